"""Per resource: list, detail, writes and who may make them; error bodies; ETag."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring.demo import tiny_pdf
from monitoring.models import Evidence, ExecutionReport, Obligation
from questionnaires.models import Assignment
from roadmaps.models import Item, Roadmap

pytestmark = pytest.mark.django_db


def an_obligation(executor: str) -> Obligation:
    return (
        Obligation.objects.filter(executor__short_name=executor, report__isnull=True, cancelled=False)
        .order_by("due_date")
        .first()
    )


def test_it_lists_roadmaps_and_serves_one_with_sections_items_and_an_etag(api):
    client = api("tomsk-director")
    listing = client.get("/api/v1/roadmaps/", {"level": "regional"}).json()
    assert listing["count"] >= 1 and {r["region"] for r in listing["results"]} == {"70"}
    roadmap_id = listing["results"][0]["id"]
    detail = client.get(f"/api/v1/roadmaps/{roadmap_id}/")
    assert detail.status_code == 200 and detail["ETag"] and detail["Last-Modified"]
    assert detail.json()["sections"][0]["items"][0]["text"]
    assert client.get(f"/api/v1/roadmaps/{roadmap_id}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304


def test_a_coordinator_updates_an_item_and_a_director_may_not(api):
    item = Item.objects.filter(roadmap__region__code="70", roadmap__level="regional").first()
    refused = api("tomsk-director").patch(f"/api/v1/roadmap-items/{item.pk}/", {"result_text": "x"})
    assert refused.status_code == 403 and refused.json()["detail"]
    changed = api("tomsk-coordinator").patch(
        f"/api/v1/roadmap-items/{item.pk}/", {"result_text": "Приказ", "comment": "уточнено"}
    )
    assert changed.status_code == 200 and changed.json()["result_text"] == "Приказ"
    empty = api("tomsk-coordinator").patch(f"/api/v1/roadmap-items/{item.pk}/", {"text": " "})
    assert empty.status_code == 400
    assert empty.json() == {
        "code": "invalid",
        "detail": "Текст мероприятия не может быть пустым.",
        "fields": {"text": ["Текст мероприятия не может быть пустым."]},
    }
    foreign = Item.objects.filter(roadmap__region__code="68").first()
    assert (
        api("tomsk-coordinator").patch(f"/api/v1/roadmap-items/{foreign.pk}/", {"text": "x"}).status_code
        == 404
    )


def test_it_filters_obligations_and_answers_304_when_nothing_changed(api):
    client = api("tomsk-coordinator")
    roadmap = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")  # the 2023 plan
    page = client.get(
        "/api/v1/obligations/", {"roadmap": roadmap.pk, "period": "2023-Q2", "ordering": "-due_date"}
    )
    data = page.json()
    assert data["count"] >= 1
    assert all(
        r["roadmap"] == roadmap.pk and "2023-04-01" <= r["due_date"] <= "2023-06-30" for r in data["results"]
    )
    assert [r["due_date"] for r in data["results"]] == sorted(
        (r["due_date"] for r in data["results"]), reverse=True
    )
    again = client.get(
        "/api/v1/obligations/",
        {"roadmap": roadmap.pk, "period": "2023-Q2", "ordering": "-due_date"},
        HTTP_IF_NONE_MATCH=page["ETag"],
    )
    assert again.status_code == 304
    bad = client.get("/api/v1/obligations/", {"review_state": "nope"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"review_state"}
    # A parameter the list does not know is refused, not ignored: a typo must not return everything.
    typo = client.get("/api/v1/obligations/", {"status": "accepted"})
    assert typo.status_code == 400 and set(typo.json()["fields"]) == {"status"}
    period = client.get("/api/v1/obligations/", {"period": "весна"})
    assert period.status_code == 400 and set(period.json()["fields"]) == {"period"}


def test_it_refuses_an_oversized_page_size_instead_of_cutting_it(api):
    client = api("tomsk-coordinator")
    too_big = client.get("/api/v1/obligations/", {"page_size": 201})
    assert too_big.status_code == 400
    assert too_big.json()["fields"] == {"page_size": ["Укажите целое число от 1 до 200."]}
    assert len(client.get("/api/v1/obligations/", {"page_size": 200}).json()["results"]) == 200


def test_it_refuses_an_unknown_ordering_naming_the_allowed_fields(api):
    client = api("tomsk-coordinator")
    bogus = client.get("/api/v1/obligations/", {"ordering": "bogus"})
    assert bogus.status_code == 400
    message = bogus.json()["fields"]["ordering"][0]
    assert "due_date, window_start, id" in message
    # One bad term among good ones is still a 400: nothing is silently dropped.
    assert client.get("/api/v1/obligations/", {"ordering": "-due_date,bogus"}).status_code == 400
    assert client.get("/api/v1/obligations/", {"ordering": "-due_date,"}).status_code == 400
    ids = [r["id"] for r in client.get("/api/v1/obligations/", {"ordering": "-id"}).json()["results"]]
    assert ids == sorted(ids, reverse=True)


def test_a_read_only_role_gets_403_on_every_write(api):
    client = api("tomsk-department")
    obligation = Obligation.objects.filter(region__code="70").first()
    for action in ("report", "evidence", "submit"):
        response = client.post(f"/api/v1/obligations/{obligation.pk}/{action}/", {"execution_status": "done"})
        assert response.status_code == 403, action
        assert response.json()["detail"] == "У вашей роли доступ только для просмотра."


def test_the_executor_saves_uploads_submits_and_the_coordinator_reviews(api):
    obligation = an_obligation("УО Зырянского района")
    executor, coordinator = api("zyryanka-municipal"), api("tomsk-coordinator")
    refused = executor.post(f"/api/v1/obligations/{obligation.pk}/submit/")
    assert refused.status_code == 400 and "Отчёт не отправлен" in refused.json()["detail"]
    saved = executor.post(
        f"/api/v1/obligations/{obligation.pk}/report/",
        {"execution_status": "done", "comment": "Сделано"},
        "application/json",
    )
    assert saved.status_code == 200 and saved.json()["report"]["review_state"] == "draft"
    bad = executor.post(
        f"/api/v1/obligations/{obligation.pk}/evidence/", {"file": SimpleUploadedFile("x.pdf", b"not a pdf")}
    )
    assert bad.status_code == 400 and bad.json()["fields"]["file"]
    link = executor.post(
        f"/api/v1/obligations/{obligation.pk}/evidence/",
        {"url": "https://zyr-edu.ru/shnor"},
        "application/json",
    )
    assert link.status_code == 201
    upload = executor.post(
        f"/api/v1/obligations/{obligation.pk}/evidence/",
        {"file": SimpleUploadedFile("приказ.pdf", tiny_pdf("x"))},
    )
    assert upload.status_code == 201
    assert upload["Location"] == f"http://testserver/api/v1/evidence/{upload.json()['id']}/"
    download = executor.get(upload.json()["download"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert executor.post(f"/api/v1/obligations/{obligation.pk}/submit/").status_code == 200
    report = ExecutionReport.objects.get(obligation=obligation)
    assert executor.post(f"/api/v1/execution-reports/{report.pk}/accept/").status_code == 403
    returned = coordinator.post(
        f"/api/v1/execution-reports/{report.pk}/return/", {"comment": ""}, "application/json"
    )
    assert returned.status_code == 400 and "comment" in returned.json()["fields"]
    accepted = coordinator.post(
        f"/api/v1/execution-reports/{report.pk}/accept/", {"comment": "Хорошо"}, "application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["review_state"] == "accepted"
    listing = coordinator.get("/api/v1/execution-reports/", {"review_state": "accepted"}).json()
    assert report.pk in {r["id"] for r in listing["results"]}
    reopened = coordinator.post(
        f"/api/v1/execution-reports/{report.pk}/reopen/", {"comment": "Ошибка"}, "application/json"
    )
    assert reopened.status_code == 200 and reopened.json()["review_state"] == "returned"
    evidence = Evidence.objects.filter(report=report, kind="link").first()
    assert executor.delete(f"/api/v1/evidence/{evidence.pk}/").status_code == 204


def test_a_director_answers_a_questionnaire_through_the_api(api):
    assignment = Assignment.objects.filter(
        school__memberships__role="director", questionnaire__status="published", region__code="70"
    ).first()
    director = assignment.school.memberships.filter(role="director").first().user.username
    client = api(director)
    detail = client.get(f"/api/v1/questionnaires/{assignment.questionnaire_id}/").json()
    incomplete = client.post(
        f"/api/v1/assignments/{assignment.pk}/submit/", {"answers": {}}, "application/json"
    )
    assert incomplete.status_code in (400, 200)
    if incomplete.status_code == 400:
        assert incomplete.json()["fields"] and all(k.startswith("q") for k in incomplete.json()["fields"])
    first = detail["questions"][0]
    value = [first["options"][0]["id"]] if first["options"] else "Ответ"
    saved = client.post(
        f"/api/v1/assignments/{assignment.pk}/save/", {"answers": {first["field"]: value}}, "application/json"
    )
    assert saved.status_code == 200 and saved.json()["answers"]
    assert (
        api("tomsk-department")
        .post(f"/api/v1/assignments/{assignment.pk}/save/", {}, "application/json")
        .status_code
        == 403
    )


def test_a_report_request_for_something_the_user_cannot_see_is_refused(api):
    from schools.models import Organization

    foreign = Organization.objects.filter(region__code="68", kind="school").first()
    response = api("tomsk-coordinator").post(
        "/api/v1/reports/", {"kind": "school", "school": foreign.pk}, "application/json"
    )
    assert response.status_code == 403
    missing = api("tomsk-coordinator").post("/api/v1/reports/", {"kind": "school"}, "application/json")
    assert missing.status_code == 400 and missing.json()["fields"] == {"school": ["Укажите, о чём отчёт."]}


def test_a_coordinator_adds_an_item_through_the_api_and_others_cannot(api):
    from roadmaps.models import Roadmap

    r = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    section = r.sections.first()
    body = {
        "number": "14.1.",
        "text": "Обновление раздела ШНОР",
        "section": section.pk,
        "schedule_text": "Июнь 2023г.",
        "executors_text": "МОУО",
    }
    created = api("tomsk-coordinator").post(
        f"/api/v1/roadmaps/{r.pk}/items/", body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created["Location"] == f"http://testserver/api/v1/roadmap-items/{created.json()['id']}/"
    assert created.json()["control_dates"][0]["due_date"] == "2023-06-30"
    bad = api("tomsk-coordinator").post(
        f"/api/v1/roadmaps/{r.pk}/items/",
        {"text": "x", "manual_dates": "99.99.2023"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "manual_dates" in bad.json()["fields"]
    assert (
        api("tomsk-department")
        .post(f"/api/v1/roadmaps/{r.pk}/items/", body, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        api("tambov-coordinator")
        .post(f"/api/v1/roadmaps/{r.pk}/items/", body, content_type="application/json")
        .status_code
        == 404
    )
