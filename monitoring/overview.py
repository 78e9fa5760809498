"""«Сводка по региону»: who is behind, on what, and whether it is better than at the last round.

Municipalities (or, inside one municipality, its executors) ranked by lag — overdue plus returned
reports — with expected / submitted / accepted figures, the share sent on time, and the change of
that share since the latest closed monitoring round (its frozen ``RoundEntry`` snapshot). Every
figure is one grouped query over what the gate lets the reader see, so the page costs the same
few queries for a region of ten schools or of a thousand.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import parse_range
from monitoring.filters import in_programme
from monitoring.models import ExecutionReport, MonitoringRound, RoundEntry
from monitoring.rules import visible_executor_municipalities
from monitoring.selectors import OPEN
from schools.access import Requester, get_scope
from schools.models import Municipality, Organization

Review = ExecutionReport.Review
MUNICIPALITY, EXECUTOR = "executor__municipality_id", "executor_id"


@dataclass
class Row:
    key: int | None  # municipality id (None: the region's own bodies) or executor id
    name: str
    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    overdue: int = 0
    on_time: int = 0
    previous: float | None = None  # % on time at the latest closed round, if it had this row

    @property
    def lag(self) -> int:
        return self.overdue + self.returned

    @property
    def on_time_pct(self) -> float:
        return round(100 * self.on_time / self.expected, 1) if self.expected else 0.0

    @property
    def accepted_pct(self) -> float:
        return round(100 * self.accepted / self.expected, 1) if self.expected else 0.0

    @property
    def change(self) -> float | None:
        return None if self.previous is None else round(self.on_time_pct - self.previous, 1)

    @property
    def trend(self) -> str:
        """``up`` / ``down`` / ``same`` / ``new`` (no row at the round): the template words it."""
        if self.change is None:
            return "new"
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


@dataclass
class Overview:
    by: str  # MUNICIPALITY or EXECUTOR
    rows: list[Row]
    total: Row
    rounds: list[MonitoringRound]  # the closed rounds compared with


def _figures(qs: QuerySet, column: str | None, today: dt.date) -> list[dict]:
    sent = Q(report__submitted_at__isnull=False)
    counts = {
        "expected": Count("pk"),
        "submitted": Count("pk", filter=sent),
        "accepted": Count("pk", filter=Q(report__review_state=Review.ACCEPTED)),
        "returned": Count("pk", filter=Q(report__review_state=Review.RETURNED)),
        "overdue": Count(
            "pk", filter=OPEN & ~Q(report__review_state=Review.RETURNED) & Q(due_date__lt=today)
        ),
        "on_time": Count("pk", filter=sent & Q(report__is_late=False)),
    }
    due = qs.filter(due_date__lte=today).order_by()
    if column is None:
        return [due.aggregate(**counts)]
    return list(due.values(column).annotate(**counts))


def _known_municipalities(requester: Requester, column: str) -> dict[int, int | None] | None:
    """Each visible executor's municipality (None: a regional body), for grouping by
    municipality: the figures are grouped by executor and added up here, not by joining the
    organizations in the grouped query.

    The join made the plan a gamble at national size: told the reader's regions on both sides,
    PostgreSQL multiplied the two selectivities, expected 200 obligations where there are 25,000
    and, depending on the sample ANALYZE happened to take, read each one's report by index
    (93,000 buffers instead of 800 for the same page, from one run to the next). Without the
    region it hashed every organization in the country. Grouped by the obligation's own
    executor, the plan stays one read of the region's obligations and reports.

    Whole regions: their organizations (one indexed read). Regions seen in part (a municipal
    official): the gate's own executor list, already read. The administrator, who reaches every
    region at once, keeps the join.
    """
    scope = get_scope(requester)
    if column != MUNICIPALITY or scope.is_admin:
        return None
    known: dict[int, int | None] = {}
    if scope.member_region_ids - scope.full_region_ids:
        known.update(visible_executor_municipalities(scope))
    if scope.full_region_ids:
        known.update(
            Organization.objects.filter(region_id__in=scope.full_region_ids)
            .order_by()  # a dict: the model's ordering joined the regions table
            .values_list("pk", "municipality_id")
        )
    return known


def _per_municipality(rows: list[dict], municipality_of: dict[int, int | None]) -> list[dict]:
    """Counts grouped by executor, added up per the executor's municipality."""
    totals: dict[int | None, dict] = {}
    for row in rows:
        key = municipality_of.get(row[EXECUTOR])
        into = totals.setdefault(key, {MUNICIPALITY: key})
        for name, value in row.items():
            if name != EXECUTOR:
                into[name] = into.get(name, 0) + value
    return list(totals.values())


def compared_rounds(
    requester: Requester, *, roadmap_id: int | None, period: str | None, today: dt.date
) -> list[MonitoringRound]:
    """The latest closed round of each roadmap in view (before the chosen period, if any)."""
    rounds = MonitoringRound.objects.visible_to(requester).filter(
        state=MonitoringRound.State.CLOSED, period_end__lt=today
    )
    if roadmap_id:
        rounds = rounds.filter(roadmap_id=roadmap_id)
    chosen = parse_range(period) if period else None
    if chosen is not None:
        rounds = rounds.filter(period_start__lt=chosen.start)
    latest: dict[int, MonitoringRound] = {}
    for r in rounds.select_related("roadmap__owner").order_by("roadmap_id", "-period_start"):
        latest.setdefault(r.roadmap_id, r)
    return sorted(latest.values(), key=lambda r: r.period_start)


def _round_entries(requester: Requester, rounds: list[MonitoringRound], filters: dict) -> QuerySet:
    entries = RoundEntry.objects.visible_to(requester).filter(round_id__in=[r.pk for r in rounds])
    if filters.get("programme"):
        entries = in_programme(entries, filters["programme"])
    if filters.get("municipality"):
        entries = entries.filter(executor__municipality_id=filters["municipality"])
    return entries.order_by()


ROUND_COUNTS = {
    "expected": Count("pk"),
    "on_time": Count("pk", filter=Q(submitted_at__isnull=False, is_late=False)),
}


def _pct(data: dict) -> float | None:
    return round(100 * data["on_time"] / data["expected"], 1) if data["expected"] else None


def overview(requester: Requester, qs: QuerySet, *, filters: dict, today: dt.date | None = None) -> Overview:
    """``qs``: the obligations in view, already through the gate and the filters (the page's
    FilterSet); ``filters``: its cleaned data (the previous round is narrowed the same way)."""
    today = today or timezone.localdate()
    column = EXECUTOR if filters.get("municipality") else MUNICIPALITY
    municipality_of = _known_municipalities(requester, column)
    if municipality_of is None:
        data = _figures(qs, column, today)
    else:
        data = _per_municipality(_figures(qs, EXECUTOR, today), municipality_of)
    rounds = compared_rounds(
        requester, roadmap_id=filters.get("roadmap"), period=filters.get("period"), today=today
    )
    previous: dict[int | None, float | None] = {}
    if rounds:
        entries = _round_entries(requester, rounds, filters)
        if municipality_of is None:
            grouped = list(entries.values(column).annotate(**ROUND_COUNTS))
        else:
            grouped = _per_municipality(
                list(entries.values(EXECUTOR).annotate(**ROUND_COUNTS)), municipality_of
            )
        previous = {r[column]: _pct(r) for r in grouped}
    keys = [d[column] for d in data]
    if column == MUNICIPALITY:
        names = dict(
            Municipality.objects.visible_to(requester)
            .filter(pk__in=[k for k in keys if k])
            .order_by()  # a dict: the model's ordering joined the regions table per row
            .values_list("pk", "name")
        )
        names[None] = _("Региональный уровень")
    else:
        names = dict(
            Organization.objects.visible_to(requester)
            .filter(pk__in=keys)
            .order_by()  # a dict: the model's ordering joined the regions table per row
            .values_list("pk", "short_name")
        )
    fields = ("expected", "submitted", "accepted", "returned", "overdue", "on_time")
    rows = [
        Row(
            key=d[column],
            name=names.get(d[column], "—"),
            previous=previous.get(d[column]),
            **{f: d[f] for f in fields},
        )
        for d in data
    ]
    rows.sort(key=lambda r: (-r.lag, r.on_time_pct, r.name))
    total = Row(key=None, name=_("Итого"), **{f: sum(getattr(r, f) for r in rows) for f in fields})
    if rounds:
        total.previous = _pct(_round_entries(requester, rounds, filters).aggregate(**ROUND_COUNTS))
    return Overview(by=column, rows=rows, total=total, rounds=rounds)
