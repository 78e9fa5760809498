"""What schemathesis found, kept: the schema documents every answer an operation gives, and input
the schema calls invalid is a 400 naming what is wrong — never silently ignored."""

import json

import pytest
from django.core.management import call_command

from questionnaires.models import Assignment, Response
from schools.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from io import StringIO

    out = StringIO()
    with django_db_blocker.unblock():
        call_command("spectacular", "--format", "openapi-json", stdout=out)
    return json.loads(out.getvalue())


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", method, operation


def test_every_operation_documents_the_common_errors_with_the_error_body(schema):
    count = 0
    for label, method, operation in operations(schema):
        count += 1
        expected = {"400", "401", "403", "404", "429"} | ({"413", "415"} if method == "post" else set())
        if method == "patch":
            expected |= {"413", "415"}
        assert expected <= set(operation["responses"]), label
        for code in expected:
            body = operation["responses"][code]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/Error"}, (label, code)
    assert count == 48


def test_every_request_body_has_one_content_type(schema):
    bodies = {
        label: op["requestBody"]["content"] for label, _m, op in operations(schema) if "requestBody" in op
    }
    assert bodies and all(len(content) == 1 for content in bodies.values()), bodies
    assert list(bodies["POST /api/v1/obligations/{id}/evidence/"]) == ["multipart/form-data"]
    assert list(bodies["POST /api/v1/assignments/{id}/submit/"]) == ["application/json"]


def test_a_report_request_is_described_per_kind_with_its_required_fields(schema):
    components = schema["components"]["schemas"]
    one_of = components["ReportOrderRequest"]
    assert one_of["discriminator"]["propertyName"] == "kind"
    required = {
        kind: set(components[ref.rsplit("/", 1)[1]]["required"])
        for kind, ref in one_of["discriminator"]["mapping"].items()
    }
    assert required == {
        "quarterly": {"kind", "round"},
        "municipal": {"kind", "municipality", "start", "end"},
        "school": {"kind", "school"},
        "questionnaire": {"kind", "questionnaire"},
        "roadmap": {"kind", "roadmap"},
        "national": {"kind"},
    }


def test_it_names_the_missing_or_wrong_date_of_a_municipal_report(api):
    client = api("tomsk-coordinator")
    municipality = Municipality.objects.filter(region__code="70").first()
    body = {"kind": "municipal", "municipality": municipality.pk, "start": "2023-01-01"}
    missing = client.post("/api/v1/reports/", body, "application/json")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["end"]
    invalid = client.post("/api/v1/reports/", {**body, "end": "2023-13-45"}, "application/json")
    assert invalid.status_code == 400 and list(invalid.json()["fields"]) == ["end"]
    backwards = client.post("/api/v1/reports/", {**body, "end": "2022-12-31"}, "application/json")
    assert backwards.status_code == 400 and list(backwards.json()["fields"]) == ["end"]


@pytest.mark.parametrize(
    "url, query, field",
    [
        ("/api/v1/evidence/", "report=", "report"),
        ("/api/v1/municipalities/", "kind=", "kind"),
        ("/api/v1/assignments/", "submitted=0.99", "submitted"),
        ("/api/v1/obligations/", "overdue=maybe", "overdue"),
        ("/api/v1/obligations/", "roadmap=1&roadmap=2", "roadmap"),
        ("/api/v1/organizations/", "page_size=много", "page_size"),
        ("/api/v1/organizations/", "page_size=0", "page_size"),
        ("/api/v1/organizations/", "page_size=201", "page_size"),
        ("/api/v1/organizations/", "page=abc", "page"),
        ("/api/v1/organizations/", "page=0", "page"),
        ("/api/v1/organizations/", "ordering=bogus", "ordering"),
        ("/api/v1/organizations/", "ordering=id&ordering=-id", "ordering"),
        ("/api/v1/obligations/", "roadmap=1.5", "roadmap"),
        ("/api/v1/obligations/", "overdue=yes", "overdue"),
        ("/api/v1/obligations/", "review_state=maybe", "review_state"),
        ("/api/v1/obligations/", "due_after=2023-13-01", "due_after"),
        ("/api/v1/reports/", "fmt=doc", "fmt"),
    ],
)
def test_it_refuses_a_query_value_a_list_would_have_ignored(api, url, query, field):
    response = api("tomsk-coordinator").get(f"{url}?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == [field]
    assert "Error" not in response.json()["detail"]


def test_it_still_reads_yes_and_no_as_true_and_false(api):
    client = api("tomsk-coordinator")
    assert client.get("/api/v1/obligations/?overdue=true&cancelled=0").status_code == 200


def test_answers_that_are_not_an_object_are_refused_and_nothing_is_saved(api, cast):
    director = cast["tomsk-director"]
    assignment = next(a for a in Assignment.objects.visible_to(director) if not a.is_locked())
    before = Response.objects.filter(assignment=assignment).count()
    client = api("tomsk-director")
    for body in ("961", '"текст"', '{"answers": null}', '{"answers": [1]}'):
        response = client.post(f"/api/v1/assignments/{assignment.pk}/save/", body, "application/json")
        assert response.status_code == 400, body
        assert response.json()["detail"]
    assert Response.objects.filter(assignment=assignment).count() == before


def test_a_number_where_text_is_expected_is_refused_not_turned_into_text(api, cast):
    from roadmaps.models import Item

    item = Item.objects.visible_to(cast["tomsk-coordinator"]).first()
    response = api("tomsk-coordinator").patch(f"/api/v1/roadmap-items/{item.pk}/", {"schedule_text": 2.5})
    assert response.status_code == 400
    assert response.json()["fields"] == {"schedule_text": ["Ожидается строка."]}
    item.refresh_from_db()
    assert item.schedule_text != "2.5"
