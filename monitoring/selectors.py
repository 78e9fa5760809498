"""Reads for execution tracking. Every queryset starts from the access gate; lists are annotated
in the database so the number of queries does not grow with the number of rows."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
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
    if scope.is_admin:
        return Obligation.objects.visible_to(user).filter(cancelled=False)
    # One list of executors, not the gate's and then the fileable ones (rules.filing_scope).
    filer = access.seen_through(user, rules.filing_scope(scope))
    return Obligation.objects.visible_to(filer).filter(
        rules.fileable_in_whole_regions_q(scope), cancelled=False
    )


SENT = [Review.SUBMITTED, Review.ACCEPTED]
OPEN = ~Q(report__review_state__in=SENT)


def _no_report_in(states: list[str]) -> Q:
    """Obligations without a report in one of ``states`` (``OPEN`` for the submitted and accepted
    ones), as «no such report exists» rather than a condition on the left-joined report.

    PostgreSQL estimates the joined condition from the reports' states alone, as if every
    obligation had a report: a fifth of a director's obligations open where more than half
    are. Expecting fewer rows than the page holds, it sorted all of them at 85 regions (each
    one's report and item looked up: 1,221 buffers) where, at 1, it walked the due dates in
    order and stopped at the page's end (288). The semi-join's estimate counts the obligations
    that have no report. The report's own managers are not used: like the join, the test sees
    every report still attached to its obligation (a trashed one lets go of it).
    """
    sent = ExecutionReport._base_manager.filter(
        obligation_id=OuterRef("pk"), region_id=OuterRef("region_id"), review_state__in=states
    )
    return ~Q(Exists(sent))


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
        qs = qs.filter(
            _no_report_in([Review.SUBMITTED, Review.ACCEPTED, Review.RETURNED]), due_date__lt=today
        )
    elif bucket == "soon":
        qs = qs.filter(_no_report_in(SENT), due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))
    elif bucket == "returned":
        qs = qs.filter(report__review_state=Review.RETURNED)
    elif bucket == "done":
        qs = qs.filter(report__review_state__in=[Review.SUBMITTED, Review.ACCEPTED])
    else:
        qs = qs.filter(_no_report_in(SENT), window_start__lte=today + dt.timedelta(days=31))
    due = _due_order(user)
    return _with_relations(qs).order_by(
        due.desc() if bucket == "done" else due.asc(), "item__position", "executor__short_name"
    )


def _due_order(user: User) -> F | ExpressionWrapper:
    """What «Мои задачи» sort on first: the due date itself when the user files for one
    executor, whose (region, executor, due date) index gives the rows in date order (PostgreSQL
    walks it and stops at the page's end); the date plus nothing for several (or the
    administrator): PostgreSQL 15 cannot merge several executors' index orders, and walked the
    region's date index instead hoping to meet them early (a coordinator's three regional bodies:
    1,371 buffers for 63 obligations at 1 region, where hashing and sorting their 172 reads 668).
    SQLite (the demo) keeps the date: it would add a number to a date's text."""
    scope = access.get_scope(user)
    if scope.is_admin or len(rules._executor_sets(scope)["fileable"]) != 1:
        if connection.vendor == "postgresql":
            return ExpressionWrapper(F("due_date") + Value(0), output_field=DateField())
    return F("due_date")


def task_rows(user: User) -> QuerySet:
    """Every row of every tab of «Мои задачи», with what the list shows: the page reads its rows
    from here by id (``core.paging.DeferredJoinPaginator(rows=…)``)."""
    return _with_relations(fileable(user))


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
