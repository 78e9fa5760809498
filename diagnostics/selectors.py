"""Reads of diagnostics beside execution, always through the gate (pass the user or a
``SystemRequester``). Each function answers for a set of schools in a fixed number of queries.

The shared reads of this app: the school card, the region view, the coverage check, the reports
and the API build on these rather than on their own queries.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from diagnostics.models import AssessmentResult, RiskLevel, SelfDiagnosis
from monitoring.models import ExecutionReport, Obligation
from monitoring.selectors import OPEN, Figures, figure_counts
from schools.access import Requester

Review = ExecutionReport.Review
# A self-diagnosis direction below this share of its maximum counts as a deficit.
WEAK_DIRECTION_SHARE = 0.5


@dataclass
class RiskProfile:
    """A school's risk profile of one year: factor code → level («low», «medium», «high»)."""

    school_id: int
    year: int | None = None
    levels: dict[str, str] = field(default_factory=dict)

    @property
    def high(self) -> list[str]:
        return sorted(code for code, level in self.levels.items() if level == RiskLevel.Level.HIGH)

    @property
    def medium(self) -> list[str]:
        return sorted(code for code, level in self.levels.items() if level == RiskLevel.Level.MEDIUM)


def risk_profiles(
    requester: Requester, school_ids: list[int], *, up_to_year: int | None = None
) -> dict[int, RiskProfile]:
    """The latest risk profile (up to ``up_to_year``) of each school; schools with none are absent."""
    qs = RiskLevel.objects.visible_to(requester).filter(school_id__in=school_ids)
    if up_to_year is not None:
        qs = qs.filter(year__lte=up_to_year)
    latest = dict(qs.values_list("school_id").annotate(y=Max("year")).values_list("school_id", "y"))
    profiles = {pk: RiskProfile(school_id=pk, year=year) for pk, year in latest.items()}
    wanted = Q()
    for pk, year in latest.items():
        wanted |= Q(school_id=pk, year=year)
    if latest:
        for school_id, factor, level in qs.filter(wanted).values_list("school_id", "factor", "level"):
            profiles[school_id].levels[factor] = level
    return profiles


def latest_self_diagnoses(
    requester: Requester, school_ids: list[int], *, up_to_year: int | None = None
) -> dict[int, SelfDiagnosis]:
    """The latest self-diagnosis of each school, with its scores prefetched."""
    qs = SelfDiagnosis.objects.visible_to(requester).filter(school_id__in=school_ids)
    if up_to_year is not None:
        qs = qs.filter(year__lte=up_to_year)
    found: dict[int, SelfDiagnosis] = {}
    for diagnosis in qs.order_by("school_id", "-year").prefetch_related("scores"):
        found.setdefault(diagnosis.school_id, diagnosis)
    return found


def weak_directions(diagnosis: SelfDiagnosis | None) -> list[str]:
    """Directions of a self-diagnosis scored below ``WEAK_DIRECTION_SHARE`` of their maximum."""
    if diagnosis is None:
        return []
    return sorted(
        s.direction for s in diagnosis.scores.all() if s.share is not None and s.share < WEAK_DIRECTION_SHARE
    )


def execution_by_school(
    requester: Requester,
    school_ids: list[int],
    *,
    today: dt.date | None = None,
    roadmap_ids: list[int] | None = None,
    by: str = "executor_id",
) -> dict[int, Figures]:
    """Completeness and timeliness of what each school had to report by today (the same figures
    as «Показатели»): every obligation whose executor is the school, from any roadmap it sees.
    Keyed by school, or by roadmap with ``by="roadmap_id"`` (one school's roadmaps in one query)."""
    today = today or timezone.localdate()
    qs = Obligation.objects.visible_to(requester).filter(
        executor_id__in=school_ids, cancelled=False, due_date__lte=today
    )
    if roadmap_ids is not None:
        qs = qs.filter(roadmap_id__in=roadmap_ids)
    rows = qs.order_by().values(by).annotate(**figure_counts())
    result: dict[int, Figures] = defaultdict(lambda: Figures(0, 0, 0, 0, 0, 0))
    for row in rows:
        key = row.pop(by)  # before Figures(**row): a subscript is evaluated last
        result[key] = Figures(**row)
    return dict(result)


def overdue_by_school(
    requester: Requester,
    school_ids: list[int],
    today: dt.date,
    *,
    roadmap_ids: list[int] | None = None,
    by: str = "executor_id",
) -> dict[int, int]:
    """Reports past their date and not sent (returned ones are counted apart, as «Мои задачи» do),
    keyed by school or, with ``by="roadmap_id"``, by roadmap."""
    qs = Obligation.objects.visible_to(requester).filter(
        executor_id__in=school_ids, cancelled=False, due_date__lt=today
    )
    if roadmap_ids is not None:
        qs = qs.filter(roadmap_id__in=roadmap_ids)
    rows = (
        qs.filter(OPEN)
        .exclude(report__review_state=Review.RETURNED)
        .order_by()
        .values(by)
        .annotate(n=Count("pk"))
    )
    return {r[by]: r["n"] for r in rows}


def lowest_shares(requester: Requester, school_ids: list[int], *, up_to_year: int) -> dict[int, list]:
    """Share of the lowest mark in ВПР per school and year (weighted by participants), oldest first."""
    rows = (
        AssessmentResult.objects.visible_to(requester)
        .filter(
            school_id__in=school_ids,
            kind="vpr",
            year__lte=up_to_year,
            lowest_share__isnull=False,
            participants__gt=0,
        )
        .order_by()
        .values("school_id", "year")
        .annotate(weighted=Sum(F("lowest_share") * F("participants")), n=Sum("participants"))
        .order_by("school_id", "year")
    )
    found: dict[int, list] = defaultdict(list)
    for r in rows:
        found[r["school_id"]].append((r["year"], round(float(r["weighted"]) / r["n"], 1)))
    return found
