"""The living demo: a current-period roadmap set beside the shipped (historical) seed plans.

The seed plans stay exactly as published — 2020–2024 with their real acts — and serve as history.
So that every page of ``make run`` has something current on any date, each demo region also gets
copies of its seed roadmaps (the same sections, measures, indicators and executors) whose control
dates are computed from *today*: deadlines this week and next, some overdue, some returned, some
accepted, two earlier quarters (the one before last closed, with its quarterly reports, to compare
with) and school statuses for the current year. Every such roadmap carries ``demo_anchor`` (the
day it was built from) and «демонстрационные данные» in its title.

``build(today)`` is deterministic for a given day (a seeded random generator) and cheap enough
for every test session: rows are written in bulk. Run again on the same day it changes nothing;
on another day it replaces the previous demo set (the seed plans and their history are never
touched). It lives in ``reporting`` because it writes roadmaps, execution and rounds, and closing
a round builds the department's reports.
"""

import datetime as dt
import random
import re
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import rounds
from monitoring.models import Evidence, ExecutionReport, MonitoringRound, Obligation, ReportEvent
from monitoring.services import generate_obligations
from reporting.models import Report
from roadmaps.models import ControlDate, Item, ItemExecutor, Roadmap, Section
from schools.models import Membership, Region, SchoolStatus

Review = ExecutionReport.Review
Status = ExecutionReport.Status
LABEL = "демонстрационные данные"

# Region → the seed documents copied (parents before children).
DEMO_SETS = {
    "70": ["000-tomsk-shnor-2023.docx", "070-zyryansky-municipal-2023.docx", "071-cherdaty-school-2023.docx"],
    "68": ["001-tambov-2020-2023.docx"],
}
# Regions whose first demo roadmap gets the rounds (closing one builds two reports: kept few, the
# seed takes part in every test session).
ROUNDS_IN = {"70"}
# Days from today of each item's current deadline, cycled over the items: overdue ones, this
# week's, next week's and later ones.
CURRENT_OFFSETS = [-12, 2, 9, -4, 5, 12, -30, 20, 0, 6, -2, 16]
# «на 2023 год», «на 2020-2023 г.г.», «на 2022-2024 гг.»: the copy's period is not the seed's.
YEARS = re.compile(r"\s+на\s+\d{4}(\s*[-–]\s*\d{4})?\s*(год[ау]?|годы|г\.\s*г\.|гг\.|г\.)?$")
RETURN_COMMENTS = [
    "Приложите приказ с подписью и номером, а не проект.",
    "Ссылка не открывается — проверьте адрес страницы на сайте.",
    "Нет списка участников, указанного в плане как результат.",
]


def region_today(region: Region) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(region.timezone)).date()


def load(today: dt.date | None = None) -> str:
    made = 0
    for code, sources in DEMO_SETS.items():
        region = Region.objects.filter(code=code).first()
        if region is not None:
            made += len(build(region, sources, today or region_today(region)))
    return _("демонстрационных дорожных карт текущего периода: %(n)s") % {"n": made}


def demo_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the start of the quarter before last to the end of the year (or two months ahead)."""
    start, _end = rounds.previous_quarter(rounds.previous_quarter(today)[0])
    end = max(dt.date(today.year, 12, 31), today + dt.timedelta(days=60))
    return start, end


@transaction.atomic
def build(region: Region, sources: list[str], today: dt.date) -> list[Roadmap]:
    existing = list(Roadmap.objects.filter(region=region, demo_anchor__isnull=False))
    if existing and all(r.demo_anchor == today for r in existing):
        return []
    _remove(existing)
    period = demo_period(today)
    _statuses_for(region, period, today)
    made: dict[str, Roadmap] = {}
    for source in sources:
        seed = Roadmap.objects.filter(region=region, source_name=source, demo_anchor__isnull=True).first()
        if seed is None:
            continue
        parent = made.get(seed.parent.source_name) if seed.parent_id else None
        made[source] = _copy(seed, parent, period, today)
    rng = random.Random(today.toordinal())
    for roadmap in made.values():
        generate_obligations(roadmap)
        _fill_reports(roadmap, today, rng)
    if made and region.code in ROUNDS_IN:
        _rounds(made[sources[0]], today)
    return list(made.values())


def _remove(roadmaps: list[Roadmap]) -> None:
    if not roadmaps:
        return
    round_ids = list(MonitoringRound.objects.filter(roadmap__in=roadmaps).values_list("pk", flat=True))
    for report in Report.objects.filter(params__round__in=round_ids):
        if report.file:
            report.file.delete(save=False)
        report.delete()
    by_level = {Roadmap.Level.SCHOOL: 0, Roadmap.Level.MUNICIPAL: 1, Roadmap.Level.REGIONAL: 2}
    for roadmap in sorted(roadmaps, key=lambda r: by_level[r.level]):
        roadmap.delete()


def _statuses_for(region: Region, period: tuple[dt.date, dt.date], today: dt.date) -> None:
    """Programme statuses for the demo years: each school's latest published status carried over
    (lists are approved yearly; the demo's years have none in the fixtures)."""
    latest: dict[tuple[int, str], SchoolStatus] = {}
    have: set[tuple[int, int]] = set()
    for s in SchoolStatus.objects.filter(region=region).order_by("year"):
        latest[(s.school_id, s.category)] = s
        have.add((s.school_id, s.year))
    newest_year = max((s.year for s in latest.values()), default=0)
    rows = []
    for year in range(period[0].year, today.year + 1):
        for s in latest.values():
            if s.year < newest_year or (s.school_id, year) in have or year <= s.year:
                continue
            rows.append(
                SchoolStatus(
                    region=region,
                    school_id=s.school_id,
                    year=year,
                    category=s.category,
                    level=s.level,
                    basis_document=_("%(label)s: статус %(year)s года перенесён")
                    % {"label": LABEL, "year": s.year},
                )
            )
    SchoolStatus.objects.bulk_create(rows, ignore_conflicts=True)


def _copy(seed: Roadmap, parent: Roadmap | None, period: tuple[dt.date, dt.date], today: dt.date) -> Roadmap:
    roadmap = Roadmap.objects.create(
        region=seed.region,
        level=seed.level,
        owner=seed.owner,
        title=f"{YEARS.sub('', seed.title).rstrip(' .,')} ({LABEL}, {period[0]:%d.%m.%Y}–{period[1]:%d.%m.%Y})",
        period_start=period[0],
        period_end=period[1],
        parent=parent,
        status=Roadmap.Status.APPROVED,
        approved_at=timezone.now(),
        demo_anchor=today,
    )
    sections = {
        s.pk: Section.objects.create(region=seed.region, roadmap=roadmap, position=s.position, title=s.title)
        for s in Section.objects.filter(roadmap=seed)
    }
    items = list(Item.objects.filter(roadmap=seed).order_by("position").prefetch_related("executors"))
    copies: dict[int, Item] = {}
    dates, executors = [], []
    q2_start, q2_end = rounds.quarter_of(period[0])
    q1_start, q1_end = rounds.previous_quarter(today)
    for n, item in enumerate(items):
        new = Item(
            region=seed.region,
            roadmap=roadmap,
            section=sections.get(item.section_id),
            parent=copies.get(item.parent_id),
            position=item.position,
            number=item.number,
            text=item.text,
            indicator_text=item.indicator_text,
            target_value=item.target_value,
            target_unit=item.target_unit,
            target_comparator=item.target_comparator,
            target_per=item.target_per,
            result_text=item.result_text,
            executors_text=item.executors_text,
            schedule_kind=item.schedule_kind,
            schedule_understood=True,
        )
        if item.schedule_kind != Item.ScheduleKind.SUBITEMS:
            dues = [
                max(q2_start, q2_end - dt.timedelta(days=(n * 3) % 60)),
                max(q1_start, q1_end - dt.timedelta(days=(n * 5) % 70)),
                today + dt.timedelta(days=CURRENT_OFFSETS[n % len(CURRENT_OFFSETS)]),
            ]
            dues = sorted({d for d in dues if period[0] <= d <= period[1]})
            new.schedule_kind = Item.ScheduleKind.MANUAL
            new.schedule_text = ", ".join(f"{d:%d.%m.%Y}" for d in dues)
            new.schedule_note = _("Демонстрационные сроки от %(today)s; в документе: «%(text)s»") % {
                "today": f"{today:%d.%m.%Y}",
                "text": item.schedule_text[:200],
            }
            for d in dues:
                dates.append((new, max(period[0], d - dt.timedelta(days=30)), d))
        new.save()
        copies[item.pk] = new
        executors += [
            ItemExecutor(
                region=seed.region,
                item=new,
                position=e.position,
                text=e.text,
                organization_id=e.organization_id,
                group=e.group,
                persons=e.persons,
            )
            for e in item.executors.all()
        ]
    ControlDate.objects.bulk_create(
        [ControlDate(region=seed.region, item=i, window_start=s, due_date=d) for i, s, d in dates]
    )
    ItemExecutor.objects.bulk_create(executors)
    return roadmap


def _fill_reports(roadmap: Roadmap, today: dt.date, rng: random.Random) -> None:
    """Reports of every kind relative to today; the last closed quarter does better than the one
    before it, so the round comparison shows a change."""
    region = roadmap.region
    tz = ZoneInfo(region.timezone)
    filers = {
        m.organization_id: m.user
        for m in Membership.objects.filter(region=region).exclude(role="department").select_related("user")
    }
    coordinator = Membership.objects.filter(region=region, role="coordinator").select_related("user").first()
    reviewer = coordinator.user if coordinator else None
    q1_start, _q1_end = rounds.previous_quarter(today)
    noon = dt.time(12)
    reports, plans = [], []
    obligations = Obligation.objects.filter(roadmap=roadmap).select_related("item").order_by("pk")
    for o in obligations:
        roll = rng.random()
        author = filers.get(o.executor_id) or reviewer
        if o.due_date >= today:
            # Not yet due: a few sent early, a few drafts started.
            if roll < 0.15:
                state = Review.SUBMITTED
            elif roll < 0.3:
                state = Review.DRAFT
            else:
                continue
        else:
            accepted, returned, submitted = (0.45, 0.55, 0.65) if o.due_date < q1_start else (0.6, 0.72, 0.82)
            if roll < accepted:
                state = Review.ACCEPTED
            elif roll < returned:
                state = Review.RETURNED
            elif roll < submitted:
                state = Review.SUBMITTED
            else:
                continue  # nothing filed: overdue
        due = dt.datetime.combine(o.due_date, noon, tzinfo=tz)
        now = dt.datetime.combine(today, dt.time(9), tzinfo=tz)
        late = state != Review.DRAFT and o.due_date < today - dt.timedelta(days=3) and rng.random() < 0.2
        if late:
            submitted_at = min(due + dt.timedelta(days=rng.randint(1, 10)), now - dt.timedelta(hours=2))
        else:
            submitted_at = min(due - dt.timedelta(days=rng.randint(0, 6)), now - dt.timedelta(hours=3))
        reviewed_at = None
        if state in (Review.ACCEPTED, Review.RETURNED):
            reviewed_at = min(
                submitted_at + dt.timedelta(days=rng.randint(1, 4)), now - dt.timedelta(hours=1)
            )
        reports.append(
            ExecutionReport(
                region=region,
                obligation=o,
                status=Status.IN_PROGRESS if state == Review.DRAFT else Status.DONE,
                comment=_("Мероприятие проведено, материалы размещены на сайте.")
                if state != Review.DRAFT
                else _("Готовим материалы, приказ на подписи."),
                actual_value=o.item.target_value if state != Review.DRAFT else None,
                done_on=min(o.due_date, today) if state != Review.DRAFT else None,
                review_state=state,
                submitted_at=submitted_at if state != Review.DRAFT else None,
                submitted_by=author if state != Review.DRAFT else None,
                is_late=late,
                reviewed_at=reviewed_at,
                reviewed_by=reviewer if reviewed_at else None,
                review_comment=rng.choice(RETURN_COMMENTS) if state == Review.RETURNED else "",
            )
        )
        plans.append((author, state, reviewed_at))
    ExecutionReport.objects.bulk_create(reports, batch_size=1000)
    evidence, events = [], []
    for report, (author, state, reviewed_at) in zip(reports, plans, strict=True):
        if state == Review.DRAFT:
            continue
        evidence.append(
            Evidence(
                region=region,
                report=report,
                kind=Evidence.Kind.LINK,
                url=f"https://toipkro.ru/demo/{report.obligation.item.number.rstrip('.') or report.pk}",
                description=_("Публикация на сайте"),
                uploaded_by=author,
                uploaded_at=report.submitted_at - dt.timedelta(minutes=30),
            )
        )
        events.append(
            ReportEvent(
                region=region,
                report=report,
                user=author,
                action="submitted",
                status=report.status,
                review_state="submitted",
                at=report.submitted_at,
            )
        )
        if reviewed_at:
            events.append(
                ReportEvent(
                    region=region,
                    report=report,
                    user=report.reviewed_by,
                    action=state,
                    status=report.status,
                    review_state=state,
                    comment=report.review_comment,
                    at=reviewed_at,
                )
            )
    # auto_now_add stamps the seeding moment on insert; the history should read as it happened.
    stamps = {id(e): e.uploaded_at for e in evidence} | {id(e): e.at for e in events}
    Evidence.objects.bulk_create(evidence, batch_size=1000)
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    for e in evidence:
        e.uploaded_at = stamps[id(e)]
    for e in events:
        e.at = stamps[id(e)]
    Evidence.objects.bulk_update(evidence, ["uploaded_at"], batch_size=500)
    ReportEvent.objects.bulk_update(events, ["at"], batch_size=500)


def _rounds(roadmap: Roadmap, today: dt.date) -> None:
    """The quarter before last is closed (its quarterly reports built) and the last quarter's
    round is open, collecting until a week from today, compared with it. Only one is closed:
    closing builds a PDF and an XLSX, and the seed runs in every test session and before every
    browser journey."""
    q2_start, _end = rounds.previous_quarter(rounds.previous_quarter(today)[0])
    q1_start, q1_end = rounds.previous_quarter(today)
    older = rounds.do_open_round(actor=None, roadmap=roadmap, period_start=q2_start)
    rounds.do_close_round(actor=None, round_=older)
    deadline = max(q1_end + dt.timedelta(days=rounds.deadline_days()), today + dt.timedelta(days=7))
    rounds.do_open_round(actor=None, roadmap=roadmap, period_start=q1_start, deadline=deadline)
