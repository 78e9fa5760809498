"""Idempotency-Key on report orders and evidence uploads: a retried request (a timeout, a
double click in a script) gives the first answer again and creates nothing new."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring.demo import tiny_pdf
from monitoring.models import Evidence, MonitoringRound, Obligation
from reporting.models import Report

pytestmark = pytest.mark.django_db


def _order(client, round_id: int, key: str | None, fmt: str = "xlsx"):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        "/api/v1/reports/", {"kind": "quarterly", "round": round_id, "fmt": fmt}, "application/json", **extra
    )


def test_the_same_key_orders_one_report(api, django_capture_on_commit_callbacks):
    client = api("tomsk-coordinator")
    round_ = MonitoringRound.objects.filter(region__code="70").first()
    before = Report.objects.count()
    first = _order(client, round_.pk, "2f1c6a3e-order-1")
    again = _order(client, round_.pk, "2f1c6a3e-order-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Report.objects.count() == before + 1
    # The same key with another body is a mistake in the script: 422, nothing created.
    other = _order(client, round_.pk, "2f1c6a3e-order-1", fmt="pdf")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    # Without a key, or with a new one, every request is new.
    assert _order(client, round_.pk, None).json()["id"] != first.json()["id"]
    assert _order(client, round_.pk, "2f1c6a3e-order-2").json()["id"] != first.json()["id"]
    assert Report.objects.count() == before + 3


def test_a_key_belongs_to_its_user(api):
    round_ = MonitoringRound.objects.filter(region__code="70").first()
    mine = _order(api("tomsk-coordinator"), round_.pk, "shared-key")
    theirs = _order(api("tomsk-department"), round_.pk, "shared-key")
    assert theirs.status_code == 201 and theirs.json()["id"] != mine.json()["id"]
    assert "Idempotent-Replayed" not in theirs


def test_the_same_key_uploads_one_file(api):
    obligation = Obligation.objects.filter(
        executor__short_name="УО Зырянского района", report__isnull=True, cancelled=False
    ).first()
    client = api("zyryanka-municipal")
    url = f"/api/v1/obligations/{obligation.pk}/evidence/"
    data = tiny_pdf("Приказ")
    answers = [
        client.post(url, {"file": SimpleUploadedFile("приказ.pdf", data)}, HTTP_IDEMPOTENCY_KEY="upload-1")
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Evidence.objects.filter(report__obligation=obligation).count() == 1
    changed = client.post(
        url, {"file": SimpleUploadedFile("приказ.pdf", tiny_pdf("other order"))}, HTTP_IDEMPOTENCY_KEY="upload-1"
    )
    assert changed.status_code == 422
    assert Evidence.objects.filter(report__obligation=obligation).count() == 1


def test_a_malformed_key_is_refused(api):
    round_ = MonitoringRound.objects.filter(region__code="70").first()
    before = Report.objects.count()
    response = _order(api("tomsk-coordinator"), round_.pk, "")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["Idempotency-Key"]
    assert Report.objects.count() == before
