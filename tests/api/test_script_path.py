"""The «done when» of the API issue: a script with nothing but a token and the published schema
lists its region's overdue obligations, uploads evidence for one, submits it and fetches a
report — and never sees another region."""

import pytest

from monitoring.demo import tiny_pdf

pytestmark = pytest.mark.django_db


def test_a_script_with_a_token_reports_an_overdue_obligation_and_fetches_a_report(
    client, token_for, django_capture_on_commit_callbacks
):
    auth = token_for("zyryanka-municipal")

    # 1. Overdue obligations this user must file, from the region only.
    listing = client.get("/api/v1/obligations/", {"overdue": "true", "fileable": "true"}, **auth)
    assert listing.status_code == 200, listing.content
    page = listing.json()
    assert page["count"] >= 1
    assert {row["region"] for row in page["results"]} == {"70"}
    assert all(row["overdue"] for row in page["results"])
    obligation = page["results"][0]

    # 2. Evidence as a multipart upload.
    upload = client.post(
        f"/api/v1/obligations/{obligation['id']}/evidence/",
        {"file": _file("приказ.pdf", tiny_pdf("order")), "description": "Приказ о проведении"},
        **auth,
    )
    assert upload.status_code == 201, upload.content
    evidence = upload.json()
    assert evidence["kind"] == "file" and len(evidence["sha256"]) == 64

    # 3. Submit with the report's fields in one call.
    submit = client.post(
        f"/api/v1/obligations/{obligation['id']}/submit/",
        {"execution_status": "done", "comment": "Проведено", "done_on": "2023-04-20"},
        content_type="application/json",
        **auth,
    )
    assert submit.status_code == 200, submit.content
    report = submit.json()["report"]
    assert report["review_state"] == "submitted" and report["is_late"]
    assert [e["original_name"] for e in report["evidence"]] == [evidence["original_name"]]

    # It no longer counts as overdue.
    again = client.get(
        "/api/v1/obligations/", {"overdue": "true", "fileable": "true", "page_size": 200}, **auth
    )
    assert obligation["id"] not in {row["id"] for row in again.json()["results"]}

    # 4. A report about the user's municipality: request, poll, download.
    municipality = obligation_municipality(client, auth, obligation)
    with django_capture_on_commit_callbacks(execute=True):  # the worker's turn, in-process here
        requested = client.post(
            "/api/v1/reports/",
            {
                "kind": "municipal",
                "fmt": "xlsx",
                "municipality": municipality,
                "start": "2023-01-01",
                "end": "2023-12-31",
            },
            content_type="application/json",
            **auth,
        )
    assert requested.status_code == 201, requested.content
    status = client.get(f"/api/v1/reports/{requested.json()['id']}/", **auth).json()
    assert status["status"] == "done", status
    download = client.get(status["download"], **auth)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(download.streaming_content)[:2] == b"PK"


def obligation_municipality(client, auth, obligation) -> int:
    org = client.get(f"/api/v1/organizations/{obligation['executor']['id']}/", **auth).json()
    return org["municipality"]


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_same_script_cannot_reach_another_region(client, token_for):
    auth = token_for("tambov-municipal")
    from monitoring.models import Obligation

    tomsk = Obligation.objects.filter(region__code="70").first()
    assert client.get(f"/api/v1/obligations/{tomsk.pk}/", **auth).status_code == 404
    assert client.post(f"/api/v1/obligations/{tomsk.pk}/submit/", **auth).status_code == 404
    listing = client.get("/api/v1/obligations/", {"page_size": 200}, **auth).json()
    assert {row["region"] for row in listing["results"]} <= {"68"}
