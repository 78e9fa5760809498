"""Reads for execution tracking. Every queryset starts from the access gate; lists are annotated
in the database so the number of queries does not grow with the number of rows."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from monitoring import rules
from monitoring.models import Evidence, ExecutionReport, Obligation
from roadmaps.models import Roadmap
from schools import access
from schools.models import User

Review = ExecutionReport.Review


def _with_relations(qs: QuerySet) -> QuerySet:
    # Evidence is counted in a correlated subquery, not a JOIN + GROUP BY: PostgreSQL then sorts
    # and cuts the page first and counts for its 30 rows only, instead of grouping every row of
    # the region (measured: 240 ms of a 270 ms page for a region of 6,000 obligations).
    evidence = (
        Evidence.objects.filter(report_id=OuterRef("report__id"))
        .order_by()
        .values("report_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Not the region: the lists do not show it (the export, which dates the submissions in the
    # region's time, joins it itself), and at 85 regions PostgreSQL read the regions table
    # whole once per listed row.
    return qs.select_related(
        "item", "roadmap", "roadmap__owner", "executor", "executor__municipality", "report"
    ).annotate(evidence_count=Coalesce(Subquery(evidence), 0))


def fileable(user: User) -> QuerySet:
    """What the user's organizations must report: seen through the gate, then narrowed to what
    they may file."""
    scope = access.get_scope(user)
    qs = Obligation.objects.visible_to(user).filter(cancelled=False)
    return qs if scope.is_admin else qs.filter(rules.fileable_q(scope))


OPEN = ~Q(report__review_state__in=[Review.SUBMITTED, Review.ACCEPTED])


def tasks(
    user: User, *, bucket: str = "open", roadmap_id: int | None = None, today: dt.date | None = None
) -> QuerySet:
    """«Мои задачи»: what the user's organizations must report, most urgent first."""
    today = today or timezone.localdate()
    qs = fileable(user)
    if roadmap_id:
        qs = qs.filter(roadmap_id=roadmap_id)
    if bucket == "overdue":
        # Returned reports have their own tab: the two lists do not overlap.
        qs = qs.filter(OPEN, due_date__lt=today).exclude(report__review_state=Review.RETURNED)
    elif bucket == "soon":
        qs = qs.filter(OPEN, due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))
    elif bucket == "returned":
        qs = qs.filter(report__review_state=Review.RETURNED)
    elif bucket == "done":
        qs = qs.filter(report__review_state__in=[Review.SUBMITTED, Review.ACCEPTED])
    else:
        qs = qs.filter(OPEN, window_start__lte=today + dt.timedelta(days=31))
    order = ["-due_date"] if bucket == "done" else ["due_date"]
    return _with_relations(qs).order_by(*order, "item__position", "executor__short_name")


def task_counts(user: User, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return fileable(user).aggregate(
        overdue=Count("pk", filter=OPEN & Q(due_date__lt=today) & ~Q(report__review_state=Review.RETURNED)),
        soon=Count("pk", filter=OPEN & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))),
        returned=Count("pk", filter=Q(report__review_state=Review.RETURNED)),
    )


def reviewable(user: User) -> QuerySet:
    """Submitted reports the user may review: seen through the gate, narrowed to their reach."""
    scope = access.get_scope(user)
    qs = Obligation.objects.visible_to(user).filter(report__review_state=Review.SUBMITTED, cancelled=False)
    return qs if scope.is_admin else qs.filter(_reviewable_of_visible_q(scope))


def _reviewable_of_visible_q(scope: access.Scope) -> Q:
    """``rules.reviewable_q`` on top of the gate, in a form PostgreSQL can estimate.

    In a region seen only in part the gate has already kept the visible executors, so «and a
    reviewable one» is «and not one of the visible executors that are not reviewable» (for a
    curator: their own organization). The same rows; but two lists of executor ids made
    PostgreSQL multiply their selectivities, expect one obligation, and look up the report of each
    of the curator's 1,640 obligations one by one (5,900 buffers twice per page at 85 regions),
    where one list lets it hash the region's submitted reports (~100).
    """
    q = Q(region_id__in=scope.manage_region_ids)
    seen_whole = scope.full_region_ids - scope.manage_region_ids
    in_part = scope.member_region_ids - scope.full_region_ids
    if not (seen_whole or in_part):
        return q  # a coordinator: the executor sets are not even read
    executors = rules._executor_sets(scope)
    if seen_whole:
        # Regions seen whole but not managed (a department official): the plain rule.
        q |= Q(region_id__in=seen_whole, executor_id__in=executors["reviewable"])
    if in_part and executors["reviewable"]:
        q |= Q(region_id__in=in_part) & ~Q(executor_id__in=executors["visible"] - executors["reviewable"])
    return q


def review_queue(user: User) -> QuerySet:
    """The review queue, oldest submission first (filtered by the page with ObligationFilter)."""
    return _with_relations(reviewable(user)).order_by("report__submitted_at")


@dataclass(frozen=True)
class Figures:
    expected: int
    submitted: int
    accepted: int
    returned: int
    on_time: int
    late: int

    @property
    def reporting_rate(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0

    @property
    def timeliness(self) -> int:
        return round(100 * self.on_time / self.expected) if self.expected else 0

    @property
    def acceptance(self) -> int:
        return round(100 * self.accepted / self.expected) if self.expected else 0


def figures(qs: QuerySet, today: dt.date | None = None) -> Figures:
    """Completeness and timeliness, DHIS2-style: of what was due by today, how much was
    submitted, accepted, and submitted on time."""
    today = today or timezone.localdate()
    return Figures(**qs.filter(due_date__lte=today).aggregate(**figure_counts()))


def figure_counts() -> dict[str, Count]:
    """The counts behind :class:`Figures` over obligations, for ``aggregate`` or a grouped
    ``annotate`` (one school's, one municipality's figures)."""
    sent = Q(report__submitted_at__isnull=False)
    return {
        "expected": Count("pk"),
        "submitted": Count("pk", filter=sent),
        "accepted": Count("pk", filter=Q(report__review_state=Review.ACCEPTED)),
        "returned": Count("pk", filter=Q(report__review_state=Review.RETURNED)),
        "on_time": Count("pk", filter=sent & Q(report__is_late=False)),
        "late": Count("pk", filter=sent & Q(report__is_late=True)),
    }


CELL_STATES = ("accepted", "submitted", "returned", "overdue", "pending")


def matrix(user: User, *, roadmap: Roadmap, by: str = "executor", today: dt.date | None = None) -> dict:
    """Roadmap items × executors (or municipalities), each cell counting obligation states."""
    today = today or timezone.localdate()
    qs = Obligation.objects.visible_to(user).filter(roadmap=roadmap, cancelled=False)
    column = "executor__municipality_id" if by == "municipality" else "executor_id"
    # No ordering: the model's (by item position and executor name) is dropped from a GROUP BY
    # query, but its joins to every obligation's item and executor stayed.
    rows = (
        qs.order_by()
        .values("item_id", column)
        .annotate(
            total=Count("pk"),
            accepted=Count("pk", filter=Q(report__review_state=Review.ACCEPTED)),
            submitted=Count("pk", filter=Q(report__review_state=Review.SUBMITTED)),
            returned=Count("pk", filter=Q(report__review_state=Review.RETURNED)),
            overdue=Count(
                "pk", filter=OPEN & ~Q(report__review_state=Review.RETURNED) & Q(due_date__lt=today)
            ),
        )
    )
    cells: dict[tuple[int, int | None], dict] = {}
    columns: set = set()
    for r in rows:
        key = (r["item_id"], r[column])
        columns.add(r[column])
        r["pending"] = r["total"] - r["accepted"] - r["submitted"] - r["returned"] - r["overdue"]
        r["state"] = _cell_state(r)
        cells[key] = r
    return {"cells": cells, "columns": columns, "column_field": column}


def _cell_state(r: dict) -> str:
    if r["overdue"]:
        return "overdue"
    if r["returned"]:
        return "returned"
    if r["submitted"]:
        return "submitted"
    if r["accepted"] and r["accepted"] == r["total"]:
        return "accepted"
    if r["accepted"]:
        return "partly"
    return "pending"
