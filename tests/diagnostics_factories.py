"""Diagnostics for tests and the URL walk: a school with a self-diagnosis, a risk profile,
assessment results, a catalogue measure and a roadmap item tagged with a deficit, per region."""

from decimal import Decimal

from diagnostics.models import (
    AssessmentResult,
    DirectionScore,
    ItemDeficit,
    Measure,
    RiskLevel,
    SelfDiagnosis,
)
from roadmaps.models import Item
from schools.models import Organization, SchoolStatus


def status_school(region_code: str) -> Organization:
    """The region's first school with a programme status (the seed has ШНОР schools)."""
    status = (
        SchoolStatus.objects.filter(region__code=region_code, school__parent__isnull=True)
        .order_by("school_id")
        .first()
    )
    if status is not None:
        return status.school
    return Organization.objects.filter(region__code=region_code, kind="school").order_by("pk").first()


def make_diagnostics(
    school: Organization, year: int, *, high=("staff_shortage", "motivation"), level="basic"
):
    """One year of diagnostics for a school: the named factors high, the rest low."""
    diagnosis, _ = SelfDiagnosis.objects.update_or_create(
        school=school,
        year=year,
        defaults={"region": school.region, "level": level, "total_points": Decimal("120")},
    )
    for direction, points in (("knowledge", 10), ("health", 18), ("teacher", 20)):
        DirectionScore.objects.update_or_create(
            diagnosis=diagnosis,
            direction=direction,
            defaults={"region": school.region, "points": Decimal(points), "max_points": Decimal("30")},
        )
    for factor in ("staff_shortage", "motivation", "material_base"):
        RiskLevel.objects.update_or_create(
            school=school,
            year=year,
            factor=factor,
            defaults={"region": school.region, "level": "high" if factor in high else "low"},
        )
    AssessmentResult.objects.update_or_create(
        school=school,
        year=year,
        kind="vpr",
        subject="Математика",
        grade=5,
        defaults={
            "region": school.region,
            "participants": 42,
            "lowest_share": Decimal("23.8"),
            "mean_score": Decimal("3.10"),
        },
    )
    return diagnosis


def ensure_objects(region_code: str) -> None:
    school = status_school(region_code)
    if school is None or SelfDiagnosis.objects.filter(region__code=region_code, demo=False).exists():
        return
    make_diagnostics(school, 2023)
    item = Item.objects.filter(region__code=region_code).order_by("pk").first()
    measure = Measure.objects.create(
        region=school.region,
        deficit="staff_shortage",
        title="Привлечение молодых педагогов",
        source_item=item,
    )
    if item is not None:
        ItemDeficit.objects.create(region=item.region, item=item, deficit="staff_shortage", measure=measure)
