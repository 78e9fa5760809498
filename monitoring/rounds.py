"""Quarterly monitoring rounds: opened at a quarter's end (by beat or by hand), closed after the
deadline with a frozen snapshot, compared with the previous round.

Whoever reads a round reads only the rows the gate lets them see (:func:`entries_of` takes the
requester). Other apps react to a closed round through :data:`ON_ROUND_CLOSED` (reporting queues
the department's quarterly reports there), so this module never imports them.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import MonitoringRound, Obligation, RoundEntry
from roadmaps.models import Roadmap
from schools import access
from schools.access import Requester, SystemRequester
from schools.models import User

OPEN_ROUND = "open_round"

# Called inside the closing transaction with the round just closed; work a hook records there
# commits with the closure or not at all (its side effects go on commit).
ON_ROUND_CLOSED: list = []


def _round_closed(round_: MonitoringRound) -> None:
    for hook in ON_ROUND_CLOSED:
        hook(round_)


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = (dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)) - dt.timedelta(days=1)
    return start, end


def previous_quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    start, _end = quarter_of(day)
    return quarter_of(start - dt.timedelta(days=1))


def deadline_days() -> int:
    return getattr(settings, "ROUND_DEADLINE_DAYS", 15)


@transaction.atomic
def do_open_round(
    *, actor: User | None, roadmap: Roadmap, period_start: dt.date, deadline: dt.date | None = None
) -> MonitoringRound:
    if actor is not None:
        access.require(actor, OPEN_ROUND, roadmap)
    if roadmap.status != Roadmap.Status.APPROVED:
        raise ValidationError(_("Раунд мониторинга открывается только по утверждённой дорожной карте."))
    start, end = quarter_of(period_start)
    if end < roadmap.period_start or start > roadmap.period_end:
        raise ValidationError(_("Квартал вне периода дорожной карты."))
    deadline = deadline or end + dt.timedelta(days=deadline_days())
    if deadline < end:
        raise ValidationError({"deadline": _("Срок сбора не может быть раньше конца квартала.")})
    try:
        with transaction.atomic():
            return MonitoringRound.objects.create(
                region=roadmap.region,
                roadmap=roadmap,
                period_start=start,
                period_end=end,
                deadline=deadline,
                opened_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("Раунд за этот квартал уже открыт.")) from exc


def _quarter_obligations(round_: MonitoringRound, requester: Requester) -> QuerySet:
    return (
        Obligation.objects.visible_to(requester)
        .filter(
            roadmap_id=round_.roadmap_id,
            cancelled=False,
            due_date__gte=round_.period_start,
            due_date__lte=round_.period_end,
        )
        .select_related("item", "item__section", "executor", "executor__municipality", "report")
        .annotate(n_evidence=Count("report__evidence"))
        .order_by("item__position", "executor__short_name", "due_date")
    )


def _entries(round_: MonitoringRound, requester: Requester) -> list[RoundEntry]:
    rows = []
    for o in _quarter_obligations(round_, requester):
        report = getattr(o, "report", None)
        rows.append(
            RoundEntry(
                region_id=round_.region_id,
                round=round_,
                obligation=o,
                section=o.item.section.title if o.item.section else "",
                item_number=o.item.number,
                item_text=o.item.text,
                item_position=o.item.position,
                executor=o.executor,
                executor_name=o.executor.short_name,
                municipality_name=o.executor.municipality.name if o.executor.municipality else "",
                due_date=o.due_date,
                status=report.status if report else "not_started",
                review_state=report.review_state if report else "draft",
                is_late=bool(report and report.is_late),
                submitted_at=report.submitted_at if report else None,
                evidence_count=o.n_evidence,
                target_value=o.item.target_value,
                target_comparator=o.item.target_comparator,
                target_unit=o.item.target_unit,
                actual_value=report.actual_value if report else None,
            )
        )
    return rows


@transaction.atomic
def do_close_round(*, actor: User | None, round_: MonitoringRound) -> MonitoringRound:
    """Freeze the quarter's obligations as they stand now; a closed round is left as it is.
    ``actor`` None is the daily schedule (the system); a person needs the right to run rounds."""
    if actor is not None:
        access.require(actor, OPEN_ROUND, round_)
    round_ = MonitoringRound.objects.select_for_update().get(pk=round_.pk)
    if round_.state == MonitoringRound.State.CLOSED:
        return round_
    # The snapshot is the whole region's truth; readers are narrowed again by entries_of.
    snapshot = _entries(round_, SystemRequester(region_id=round_.region_id))
    RoundEntry.objects.bulk_create(snapshot, batch_size=1000)
    round_.state, round_.closed_at = MonitoringRound.State.CLOSED, timezone.now()
    round_.save(update_fields=["state", "closed_at"])
    _round_closed(round_)
    return round_


def run_schedule(today: dt.date | None = None) -> dict[str, int]:
    """The daily job: open the last quarter's round for every approved roadmap that covers it,
    close rounds whose deadline has passed. Idempotent: running it twice changes nothing."""
    today = today or timezone.localdate()
    start, end = previous_quarter(today)
    opened = closed = 0
    for roadmap in Roadmap.objects.filter(
        status=Roadmap.Status.APPROVED, period_start__lte=end, period_end__gte=start
    ):
        if not MonitoringRound.objects.filter(roadmap=roadmap, period_start=start).exists():
            try:
                do_open_round(actor=None, roadmap=roadmap, period_start=start)
                opened += 1
            except ValidationError:
                pass
    for round_ in MonitoringRound.objects.filter(state=MonitoringRound.State.OPEN, deadline__lt=today):
        do_close_round(actor=None, round_=round_)
        closed += 1
    return {"opened": opened, "closed": closed}


def entries_of(round_: MonitoringRound, *, requester: Requester) -> list[RoundEntry]:
    """The round's rows the requester may see: frozen entries when closed, the live obligations
    (unsaved) while open. Seeing a round is not seeing every executor's execution in it."""
    if round_.state == MonitoringRound.State.CLOSED:
        return list(
            RoundEntry.objects.visible_to(requester)
            .filter(round=round_)
            .order_by("item_position", "executor_name", "due_date")
        )
    return _entries(round_, requester)


def previous_round(round_: MonitoringRound) -> MonitoringRound | None:
    return (
        MonitoringRound.objects.filter(roadmap=round_.roadmap, period_start__lt=round_.period_start)
        .order_by("-period_start")
        .first()
    )
