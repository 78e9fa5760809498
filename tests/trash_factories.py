"""Objects in the trash (a roadmap, an execution report, a piece of evidence) for the URL walk and
for the trash tests: made the way the services make them, one of each per region."""

from django.utils import timezone

from monitoring.models import Evidence, ExecutionReport, Obligation, TrashedEvidence, TrashedExecutionReport
from roadmaps.models import Roadmap, TrashedRoadmap
from schools.models import Membership


def make_trashed_roadmap(region_code: str, title: str = "Удалённая дорожная карта") -> TrashedRoadmap:
    """A new roadmap like the region's first one (same owner and level), in the trash."""
    model = Roadmap.objects.filter(region__code=region_code).order_by("pk").first()
    roadmap = Roadmap.objects.create(
        region=model.region,
        level=model.level,
        owner=model.owner,
        title=title,
        period_start=model.period_start,
        period_end=model.period_end,
    )
    Roadmap.objects.filter(pk=roadmap.pk).update(deleted_at=timezone.now())
    return TrashedRoadmap.objects.get(pk=roadmap.pk)


def ensure_objects(region_code: str) -> None:
    coordinator = Membership.objects.filter(region__code=region_code, role="coordinator").first().user
    if not TrashedRoadmap.objects.filter(region__code=region_code).exists():
        make_trashed_roadmap(region_code)
    obligation = (
        Obligation.objects.filter(region__code=region_code, report__isnull=False).order_by("pk").first()
    )
    if not TrashedExecutionReport.objects.filter(region__code=region_code).exists():
        # An earlier report of an obligation that has a live one now (deleted, then filed afresh).
        ExecutionReport.objects.create(
            region=obligation.region,
            obligation=None,
            trashed_obligation=obligation,
            status="failed",
            comment="Удалённый отчёт",
            deleted_at=timezone.now(),
            deleted_by=coordinator,
        )
    if not TrashedEvidence.objects.filter(region__code=region_code).exists():
        Evidence.objects.create(
            region=obligation.region,
            report=obligation.report,
            kind="link",
            url="https://example.org/deleted",
            deleted_at=timezone.now(),
            deleted_by=coordinator,
        )
