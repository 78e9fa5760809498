"""The demo's diagnostics (diagnostics/demo.py, loaded by seed_demo): three years per school with
a status in both demo regions, consistent with the statuses; a starter catalogue; the demo
school roadmap covering some of its school's risks and not others; re-runs replace only demo rows."""

from collections import defaultdict

import pytest

from diagnostics import demo
from diagnostics.coverage import coverage
from diagnostics.models import AssessmentResult, ItemDeficit, Measure, RiskLevel, SelfDiagnosis
from roadmaps.models import Roadmap
from schools.access import SystemRequester
from schools.models import Region, SchoolStatus

pytestmark = pytest.mark.django_db


def _region_years(code: str) -> list[int]:
    return demo.demo_years(demo.region_today(Region.objects.get(code=code)))


@pytest.mark.parametrize("code", ["70", "68"])
def test_every_school_with_a_status_has_three_years_of_each_kind(code):
    years = _region_years(code)
    schools = set(SchoolStatus.objects.filter(region__code=code).values_list("school_id", flat=True))
    assert schools
    for model in (SelfDiagnosis, RiskLevel, AssessmentResult):
        got = defaultdict(set)
        for school_id, year in model.objects.filter(region__code=code, demo=True).values_list(
            "school_id", "year"
        ):
            got[school_id].add(year)
        assert set(got) == schools, model
        assert all(sorted(y) == years for y in got.values()), model


def test_the_diagnostics_agree_with_the_statuses():
    year = _region_years("70")[-1]
    high = defaultdict(set)
    for school_id, factor in RiskLevel.objects.filter(year=year, level="high").values_list(
        "school_id", "factor"
    ):
        high[school_id].add(factor)
    shares = defaultdict(list)
    for school_id, share in AssessmentResult.objects.filter(year=year, kind="vpr").values_list(
        "school_id", "lowest_share"
    ):
        shares[school_id].append(float(share))
    mean = {pk: sum(v) / len(v) for pk, v in shares.items()}
    by_category = defaultdict(set)
    for s in SchoolStatus.objects.all():
        by_category[s.category].add(s.school_id)
    for school_id in by_category["shnor"]:
        assert len(high[school_id]) >= 2, school_id
    for school_id in by_category["shnsu"]:
        assert "social_conditions" in high[school_id], school_id
    for s in SchoolStatus.objects.filter(category="minpros"):
        assert {d.level for d in SelfDiagnosis.objects.filter(school=s.school)} == {s.level}
    calm = set(mean) - by_category["shnor"] - by_category["shnsu"] - by_category["risk"]
    assert calm and all(not high[pk] for pk in calm)
    # ШНОР schools do worse on «2» than the schools with no risk status (diagnosis, not a rating).
    shnor_mean = sum(mean[pk] for pk in by_category["shnor"]) / len(by_category["shnor"])
    assert shnor_mean > max(mean[pk] for pk in calm)
    # Some ШНОР schools improve over the three years, not all.
    first = _region_years("70")[0]
    improving = [
        pk
        for pk in by_category["shnor"]
        if RiskLevel.objects.filter(school_id=pk, year=year, level="high").count()
        < RiskLevel.objects.filter(school_id=pk, year=first, level="high").count()
    ]
    assert 0 < len(improving) < len(by_category["shnor"])


def test_the_demo_school_roadmap_covers_some_risks_and_leaves_gaps_with_suggestions():
    roadmap = Roadmap.objects.get(region__code="70", level="school", demo_anchor__isnull=False)
    result = coverage(SystemRequester(roadmap.region_id), roadmap)
    assert result.needs and result.covered and result.gaps
    assert any(code in result.suggestions for code in result.gaps)
    assert Measure.objects.filter(region__code="70", demo=True, source_item__isnull=False).exists()
    assert Measure.objects.filter(region__code="68", demo=True).exists()


def test_a_rerun_is_deterministic_and_replaces_only_demo_rows():
    region = Region.objects.get(code="70")
    today = demo.region_today(region)
    school = SchoolStatus.objects.filter(region=region).first().school
    imported = AssessmentResult.objects.create(
        school=school, year=2019, kind="oge", subject="Химия", participants=12, lowest_share=5
    )
    # A real import for one of the demo's school-years: the re-run leaves that school-year to it.
    real = RiskLevel.objects.filter(school=school, year=today.year, demo=True)
    real_count = real.count()
    real.update(demo=False)
    before = sorted(
        RiskLevel.objects.filter(region=region).values_list("school_id", "year", "factor", "level")
    )
    counts = [m.objects.filter(region=region).count() for m in (SelfDiagnosis, AssessmentResult, Measure)]
    links = ItemDeficit.objects.filter(region=region).count()
    demo.build(region, today)
    assert (
        sorted(RiskLevel.objects.filter(region=region).values_list("school_id", "year", "factor", "level"))
        == before
    )
    assert [
        m.objects.filter(region=region).count() for m in (SelfDiagnosis, AssessmentResult, Measure)
    ] == counts
    assert ItemDeficit.objects.filter(region=region).count() == links
    assert AssessmentResult.objects.filter(pk=imported.pk, demo=False).exists()
    assert RiskLevel.objects.filter(school=school, year=today.year, demo=False).count() == real_count
    assert not RiskLevel.objects.filter(school=school, year=today.year, demo=True).exists()
