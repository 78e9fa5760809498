"""/api/v1/diagnostics/…: read-only lists of self-diagnoses, risk levels, assessment results and
the catalogue of measures, through the gate (the demo's diagnostics: diagnostics/demo.py)."""

import pytest

from diagnostics.models import AssessmentResult, Measure, RiskLevel, SelfDiagnosis
from schools.models import Organization

pytestmark = pytest.mark.django_db

LISTS = ["self-diagnoses", "risk-levels", "assessment-results"]
MODELS = {"self-diagnoses": SelfDiagnosis, "risk-levels": RiskLevel, "assessment-results": AssessmentResult}


def url(name: str, pk: int | None = None) -> str:
    return f"/api/v1/diagnostics/{name}/" + (f"{pk}/" if pk else "")


@pytest.fixture
def cherdaty(db) -> Organization:
    return Organization.objects.get(short_name="МБОУ «Чердатская СОШ»")


def test_a_coordinator_reads_the_regions_diagnostics_and_nothing_of_another_region(api):
    tomsk, tambov = api("tomsk-coordinator"), api("tambov-coordinator")
    for name in [*LISTS, "measures"]:
        data = tomsk.get(url(name), {"page_size": 200}).json()
        assert data["count"] > 0 and {r["region"] for r in data["results"]} == {"70"}, name
        assert {r["region"] for r in tambov.get(url(name), {"page_size": 200}).json()["results"]} == {"68"}
        foreign = data["results"][0]["id"]
        assert tambov.get(url(name, foreign)).status_code == 404
        assert tomsk.get(url(name, foreign)).status_code == 200
    row = tomsk.get(url("self-diagnoses"), {"page_size": 1}).json()["results"][0]
    assert row["scores"] and {"direction", "points", "max_points"} <= set(row["scores"][0])
    assert row["level"] in {"below_basic", "basic", "medium", "full"}


def test_within_a_region_a_school_is_seen_by_its_municipality_and_its_director_only(api, cherdaty):
    for name in LISTS:
        assert api("zyryanka-municipal").get(url(name), {"school": cherdaty.pk}).json()["count"] > 0
        assert api("cherdaty-director").get(url(name), {"school": cherdaty.pk}).json()["count"] > 0
        # The municipal official of Томск and the director of another school see none of its rows.
        assert api("tomsk-municipal").get(url(name), {"school": cherdaty.pk}).json()["count"] == 0
        assert api("tomsk-director").get(url(name), {"school": cherdaty.pk}).json()["count"] == 0
        row = MODELS[name].objects.filter(school=cherdaty).first()
        assert api("tomsk-municipal").get(url(name, row.pk)).status_code == 404
        assert api("tomsk-director").get(url(name, row.pk)).status_code == 404
    director = api("cherdaty-director").get(url("risk-levels"), {"page_size": 200}).json()
    assert {r["school"] for r in director["results"]} == {cherdaty.pk}
    municipal = api("zyryanka-municipal").get(url("self-diagnoses"), {"page_size": 200}).json()
    assert {r["school"] for r in municipal["results"]} <= set(
        Organization.objects.filter(municipality=cherdaty.municipality).values_list("pk", flat=True)
    )
    # The catalogue is the region's: every role of the region reads it.
    assert (
        api("cherdaty-director").get(url("measures")).json()["count"]
        == Measure.objects.filter(region__code="70").count()
    )


def test_it_filters_by_school_year_level_factor_kind_and_municipality(api, cherdaty):
    client = api("tomsk-coordinator")
    year = SelfDiagnosis.objects.filter(school=cherdaty).order_by("-year").first().year
    high = client.get(url("risk-levels"), {"level": "high", "year": year, "page_size": 200}).json()
    assert high["count"] == RiskLevel.objects.filter(region__code="70", level="high", year=year).count() > 0
    assert {(r["level"], r["year"]) for r in high["results"]} == {("high", year)}
    social = client.get(url("risk-levels"), {"factor": "social_conditions", "level": "high"}).json()
    assert social["count"] > 0  # ШНСУ schools
    vpr = client.get(url("assessment-results"), {"kind": "vpr", "school": cherdaty.pk, "grade": 5}).json()
    assert vpr["count"] == 2 * 3 and {r["kind"] for r in vpr["results"]} == {"vpr"}  # 2 subjects × 3 years
    by_municipality = client.get(
        url("self-diagnoses"), {"municipality": cherdaty.municipality_id, "page_size": 200}
    ).json()
    assert cherdaty.pk in {r["school"] for r in by_municipality["results"]}
    level = client.get(url("self-diagnoses"), {"level": "below_basic"}).json()
    assert all(r["level"] == "below_basic" for r in level["results"])
    measures = client.get(url("measures"), {"deficit": "teacher_competence"}).json()
    assert measures["count"] > 0 and {r["deficit"] for r in measures["results"]} == {"teacher_competence"}
    ordered = client.get(url("risk-levels"), {"ordering": "-year,factor", "school": cherdaty.pk}).json()
    years = [r["year"] for r in ordered["results"]]
    assert years == sorted(years, reverse=True)


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("risk-levels", {"level": "extreme"}, "level"),
        ("risk-levels", {"factor": "weather"}, "factor"),
        ("self-diagnoses", {"year": "прошлый"}, "year"),
        ("assessment-results", {"kind": "gia"}, "kind"),
        ("assessment-results", {"grade": "12"}, "grade"),
        ("measures", {"deficit": "nope"}, "deficit"),
        ("self-diagnoses", {"schol": "1"}, "schol"),
        ("risk-levels", {"ordering": "rating"}, "ordering"),
        ("measures", {"school": "1"}, "school"),
    ],
)
def test_a_bad_or_unknown_parameter_is_a_400_naming_it(api, name, params, field):
    response = api("tomsk-coordinator").get(url(name), params)
    assert response.status_code == 400
    body = response.json()
    assert set(body["fields"]) == {field} and body["code"] == "invalid"
    if field == "ordering":
        assert "year" in body["fields"]["ordering"][0]  # it names the allowed fields


def test_the_lists_are_read_only(api):
    row = SelfDiagnosis.objects.filter(region__code="70").first()
    client = api("tomsk-coordinator")
    assert (
        client.post(url("self-diagnoses"), {"year": 2025}, content_type="application/json").status_code == 405
    )
    assert client.delete(url("self-diagnoses", row.pk)).status_code == 405


@pytest.mark.parametrize("name", [*LISTS, "measures"])
def test_the_query_count_does_not_grow_with_the_page(api, name, django_assert_max_num_queries):
    client = api("tomsk-coordinator")
    with django_assert_max_num_queries(20) as small:
        assert len(client.get(url(name), {"page_size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        big = client.get(url(name), {"page_size": 50}).json()
    assert len(big["results"]) > 2
