"""Errors a program can branch on: JSON for every route under /api/, 404 before 405 before 403."""

import pytest

from monitoring.models import Obligation

pytestmark = pytest.mark.django_db


def test_it_answers_json_404_for_a_non_numeric_id_and_an_unknown_route(api):
    client = api("tomsk-coordinator")
    for url in ("/api/v1/obligations/abc/", "/api/v1/no-such-thing/", "/api/v2/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json()["detail"] == "Не найдено."


def test_it_answers_405_for_a_method_the_route_does_not_take(api):
    own = Obligation.objects.filter(region__code="70").first()
    response = api("tomsk-coordinator").delete(f"/api/v1/obligations/{own.pk}/")
    assert response.status_code == 405
    assert response.json()["detail"]


def test_it_answers_404_not_405_for_another_regions_object(api):
    foreign = Obligation.objects.filter(region__code="68").first()
    assert api("tomsk-coordinator").delete(f"/api/v1/obligations/{foreign.pk}/").status_code == 404


def test_a_read_only_role_writing_still_gets_403(api):
    own = Obligation.objects.filter(region__code="70").first()
    response = api("tomsk-department").post(f"/api/v1/obligations/{own.pk}/submit/")
    assert response.status_code == 403


def test_every_error_carries_a_stable_code(api, client):
    from core.api import ERROR_CODES

    coordinator = api("tomsk-coordinator")
    own = Obligation.objects.filter(region__code="70").first()
    cases = [
        (client.get("/api/v1/regions/"), 401, "not_authenticated"),
        (client.get("/api/v1/regions/", HTTP_AUTHORIZATION="Bearer rmp_x_y"), 401, "authentication_failed"),
        (coordinator.get("/api/v1/no-such-thing/"), 404, "not_found"),
        (coordinator.get("/api/v1/obligations/999999999/"), 404, "not_found"),
        (coordinator.delete(f"/api/v1/obligations/{own.pk}/"), 405, "method_not_allowed"),
        (api("tomsk-department").post(f"/api/v1/obligations/{own.pk}/submit/"), 403, "permission_denied"),
        (coordinator.get("/api/v1/obligations/", {"overdue": "maybe"}), 400, "invalid"),
        (coordinator.post("/api/v1/reports/", "{not json", "application/json"), 400, "parse_error"),
        (coordinator.post("/api/v1/reports/", "kind=school", "text/plain"), 415, "unsupported_media_type"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (code, response.content)
        body = response.json()
        assert body["code"] == code and ERROR_CODES[code][0] == status
        assert body["detail"] and isinstance(body["fields"], dict)


def test_a_malformed_body_is_explained_in_russian(api):
    response = api("tomsk-coordinator").post("/api/v1/reports/", "{not json", "application/json")
    detail = response.json()["detail"]
    assert detail == "Тело запроса не читается: ожидается правильный JSON-объект."
    assert "JSON parse error" not in detail and "Expecting" not in detail


def test_state_conflicts_are_409(api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring.demo import tiny_pdf
    from monitoring.models import ExecutionReport

    obligation = Obligation.objects.filter(
        executor__short_name="УО Зырянского района", report__isnull=True, cancelled=False
    ).first()
    executor, coordinator = api("zyryanka-municipal"), api("tomsk-coordinator")
    url = f"/api/v1/obligations/{obligation.pk}"
    executor.post(f"{url}/evidence/", {"file": SimpleUploadedFile("приказ.pdf", tiny_pdf("x"))})
    first = executor.post(f"{url}/submit/", {"execution_status": "done"}, "application/json")
    assert first.status_code == 200, first.content
    again = executor.post(f"{url}/submit/")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert "отправлен на проверку" in again.json()["detail"]
    # The time in the message is Tomsk's (UTC+7), as the portal's pages show it.
    from django.utils import timezone

    submitted = ExecutionReport.objects.get(obligation=obligation).submitted_at
    tomsk = timezone.localtime(submitted, obligation.region.tzinfo).strftime("%d.%m.%Y %H:%M")
    assert tomsk in again.json()["detail"]
    report = ExecutionReport.objects.get(obligation=obligation)
    assert coordinator.post(f"/api/v1/execution-reports/{report.pk}/accept/").status_code == 200
    twice = coordinator.post(f"/api/v1/execution-reports/{report.pk}/accept/")
    assert twice.status_code == 409 and twice.json()["code"] == "conflict"
    locked = executor.post(f"{url}/report/", {"execution_status": "failed"}, "application/json")
    assert locked.status_code == 409 and "принят" in locked.json()["detail"]
    # An incomplete report is an input problem (400), not a state conflict.
    other = Obligation.objects.filter(
        executor__short_name="УО Зырянского района", report__isnull=True, cancelled=False
    ).first()
    incomplete = executor.post(f"/api/v1/obligations/{other.pk}/submit/")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "invalid"


def test_the_schema_documents_the_codes_and_409_on_writes():
    import yaml

    from core.api import ERROR_CODES
    from tests.api.test_schema import CHECKED_IN

    schema = yaml.safe_load(CHECKED_IN.read_text())
    code = schema["components"]["schemas"]["Error"]["properties"]["code"]
    assert code["allOf"] == [{"$ref": "#/components/schemas/ErrorCodeEnum"}]
    assert set(schema["components"]["schemas"]["ErrorCodeEnum"]["enum"]) == set(ERROR_CODES)
    assert "409 — состояние объекта" in code["description"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "patch", "delete"):
                assert "409" in operation["responses"], (method, path)
            else:
                assert "409" not in operation["responses"], (method, path)
