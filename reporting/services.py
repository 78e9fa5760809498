"""Asking for a report and building it.

A request is checked against the gate: the requester must see its subject (round, municipality,
school, questionnaire), the subject must be of the kind the report is about, and the requester's
role must be allowed that report about it (``rules.ORDERABLE``). A worker claims the report with a
conditional UPDATE, so it is never built twice, and builds it *as the requester*: every builder
reads through the gate, so the file holds only rows the requester may see. Reports nobody asked
for (a round's quarterly reports) are built as the region's system requester.
"""

import contextlib
import datetime as dt
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import OperationalError, connections, transaction
from django.db.models import F, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.replica import reads_from_replica
from monitoring.models import MonitoringRound
from questionnaires.models import Questionnaire
from reporting import rules
from reporting.builders.common import Progress, department_name
from reporting.models import Report
from roadmaps import exports as roadmap_exports
from roadmaps.models import Roadmap
from schools import access
from schools.access import Requester, SystemRequester
from schools.models import Municipality, Organization, Region, User

log = logging.getLogger(__name__)


class TransientBuildError(Exception):
    """A failure worth retrying (database restarting, storage hiccup)."""


# kind → (model of the main parameter, parameter name).
SUBJECTS: dict[str, tuple[type, str]] = {
    Report.Kind.QUARTERLY: (MonitoringRound, "round"),
    Report.Kind.MUNICIPAL: (Municipality, "municipality"),
    Report.Kind.SCHOOL: (Organization, "school"),
    Report.Kind.QUESTIONNAIRE: (Questionnaire, "questionnaire"),
    Report.Kind.ROADMAP: (Roadmap, "roadmap"),
}
BUILDERS: dict = {}


def _subject(kind: str, params: dict, requester: Requester) -> Model | None:
    """The report's subject as the requester sees it; «missing» and «not yours» look the same."""
    model, name = SUBJECTS[kind]
    try:
        obj = model._default_manager.visible_to(requester).filter(pk=int(params.get(name))).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        raise PermissionDenied(_("Нет доступа к выбранному объекту отчёта."))
    return obj


def _check_subject_kind(kind: str, subject: Model) -> None:
    """A subject of the wrong kind is a mistake in the request, named by its field."""
    if kind == Report.Kind.SCHOOL and subject.kind != Organization.Kind.SCHOOL:
        raise ValidationError(
            {
                "school": _(
                    "Карточка строится только для школы, а «%(name)s» — не школа (%(kind)s). Выберите школу."
                )
                % {"name": subject.short_name, "kind": subject.get_kind_display()}
            }
        )
    if kind == Report.Kind.QUESTIONNAIRE and subject.is_template:
        raise ValidationError(
            {"questionnaire": _("Это шаблон анкеты, по нему нет ответов. Выберите проведённую анкету.")}
        )


def requester_of(report: Report) -> Requester:
    """Whom a report is built for: the user who asked, or the region's system requester."""
    if report.automatic:
        return SystemRequester(region_id=report.region_id)
    if report.requested_by is None:
        # The user was deleted: nobody's reach is left to build it in.
        raise PermissionDenied(_("Пользователь, заказавший отчёт, удалён."))
    return report.requested_by


def _title(kind: str, subject: Any) -> str:
    label = Report.Kind(kind).label
    if kind == Report.Kind.QUARTERLY:
        return f"{label}: {subject.roadmap.owner.short_name}, {subject.label}"
    if kind == Report.Kind.MUNICIPAL:
        return f"{label}: {subject.name}"
    if kind == Report.Kind.SCHOOL:
        return f"{label}: {subject.short_name}"
    if kind == Report.Kind.QUESTIONNAIRE:
        return f"{label}: {subject.title[:120]} ({subject.period_label})"
    if kind == Report.Kind.ROADMAP:
        return f"{label}: {subject.owner.short_name}, {subject.title[:200]}"
    return f"{label}: {subject}"


# The national export's build may run longer than a region's report (Celery limits, seconds).
NATIONAL_TIME_LIMITS = {"soft_time_limit": 3300, "time_limit": 3600}


def _request_national(actor: User | None, fmt: str, params: dict) -> Report:
    """The national export: no subject and no region; the administrator or a federal viewer."""
    if actor is None or not rules.may_order_national(access.get_scope(actor)):
        raise PermissionDenied(rules.REFUSALS[rules.NATIONAL])
    if fmt != Report.Format.XLSX:
        raise ValidationError({"fmt": _("Выгрузка всех обязательств по стране строится только в XLSX.")})
    if params:
        raise ValidationError(
            {
                "kind": _("У выгрузки по стране нет параметров: уберите %(names)s.")
                % {"names": ", ".join(sorted(params))}
            }
        )
    today = timezone.localdate()
    report = Report.objects.create(
        region=None,
        kind=Report.Kind.NATIONAL,
        fmt=fmt,
        params={},
        title=f"{Report.Kind.NATIONAL.label} ({today:%d.%m.%Y})",
        requested_by=actor,
    )
    transaction.on_commit(lambda: dispatch_report(report.pk))
    return report


@transaction.atomic
def do_request_report(*, actor: User | None, kind: str, fmt: str, params: dict) -> Report:
    """Queue a report for ``actor``; ``actor=None`` is the portal itself (automatic reports of a
    closed round), built over the subject's whole region."""
    if kind == Report.Kind.NATIONAL:
        return _request_national(actor, fmt, params)
    if kind not in SUBJECTS:
        raise ValidationError({"kind": _("Неизвестный вид отчёта.")})
    if fmt not in Report.Format.values:
        raise ValidationError({"fmt": _("Выберите формат: PDF или XLSX.")})
    name = SUBJECTS[kind][1]
    if not params.get(name):
        raise ValidationError({name: _("Укажите, о чём отчёт.")})
    if actor is None:
        model = SUBJECTS[kind][0]
        region_id = model._default_manager.filter(pk=params[name]).values_list("region_id", flat=True).first()
        if region_id is None:
            raise ValidationError({name: _("Объект отчёта не найден.")})
        requester = SystemRequester(region_id=region_id)
    else:
        requester = actor
    subject = _subject(kind, params, requester)
    _check_subject_kind(kind, subject)
    region = Region.objects.get(pk=subject.region_id)
    if actor is not None:
        access.require(actor, rules.REQUEST_REPORT, region)
        if not rules.may_order(access.get_scope(actor), kind, subject):
            raise PermissionDenied(rules.REFUSALS[kind])
    if kind == Report.Kind.MUNICIPAL:
        for key in ("start", "end"):
            try:
                dt.date.fromisoformat(params[key])
            except (KeyError, TypeError, ValueError) as exc:
                raise ValidationError({key: _("Укажите период: даты начала и конца.")}) from exc
        if params["end"] < params["start"]:
            raise ValidationError({"end": _("Конец периода раньше начала.")})
    report = Report.objects.create(
        region=region,
        kind=kind,
        fmt=fmt,
        params=params,
        title=_title(kind, subject),
        requested_by=actor,
        automatic=actor is None,
    )
    # The queued row is the promise: published on commit, and by the sweeper if the broker is down.
    transaction.on_commit(lambda: dispatch_report(report.pk))
    return report


def dispatch_report(report_id: int) -> bool:
    """Publish a build of a queued report; False (the report stays queued) if the broker is down."""
    national = Report.objects.filter(pk=report_id, kind=Report.Kind.NATIONAL).exists()
    options = NATIONAL_TIME_LIMITS if national else {}
    if not outbox.publish("reporting.tasks.build_report_task", [report_id], **options):
        return False
    Report.objects.filter(pk=report_id).update(dispatched_at=timezone.now())
    return True


def sweep_reports() -> int:
    """Queue again what a broker outage or a dead worker left behind; returns how many were sent.

    - a running report whose worker has been silent for REPORT_STALE_SECONDS goes back to the
      queue (its worker was killed: the build restarts from the beginning);
    - a queued report whose message never reached the broker, or has waited REPORT_REQUEUE_SECONDS
      (lost with a restarted broker), is published again. The claim makes duplicates harmless.
    """
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.REPORT_STALE_SECONDS)
    abandoned = [
        pk
        for pk in Report.objects.filter(status=Report.Status.RUNNING, heartbeat_at__lt=stale).values_list(
            "pk", flat=True
        )
        # Conditional: a run that showed life meanwhile keeps its report.
        if Report.objects.filter(pk=pk, status=Report.Status.RUNNING, heartbeat_at__lt=stale).update(
            status=Report.Status.QUEUED,
            task_id="",
            dispatched_at=None,
            message=_("Построение прервалось, отчёт снова в очереди…"),
        )
    ]
    grace = now - dt.timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    requeue = now - dt.timedelta(seconds=settings.REPORT_REQUEUE_SECONDS)
    due = Report.objects.filter(status=Report.Status.QUEUED).filter(
        Q(dispatched_at__isnull=True, created_at__lt=grace) | Q(dispatched_at__lt=requeue)
    )
    sent = 0
    for pk in dict.fromkeys([*abandoned, *due.order_by("pk").values_list("pk", flat=True)[:500]]):
        if not dispatch_report(pk):
            break  # the broker is still down: the next sweep goes on
        sent += 1
    return sent


def claim(report_id: int, task_id: str) -> bool:
    """Take the report for building; False if somebody else has it or it is finished.

    A message redelivered after a worker died (acks_late) carries the same task id, or finds a
    run that has been silent for too long: both may take it over.
    """
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.REPORT_STALE_SECONDS)
    taken = Report.objects.filter(
        Q(status=Report.Status.QUEUED)
        | Q(status=Report.Status.RUNNING, task_id=task_id[:64])
        | Q(status=Report.Status.RUNNING, heartbeat_at__lt=stale),
        pk=report_id,
    ).update(
        status=Report.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        task_id=task_id[:64],
        progress=1,
        message="",
    )
    return bool(taken)


@contextlib.contextmanager
def _heartbeat(report_id: int, task_id: str) -> Iterator[None]:
    """While a build runs, a thread touches the report every REPORT_HEARTBEAT_SECONDS: a report
    silent for longer than REPORT_STALE_SECONDS has lost its worker (the sweeper requeues it)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.REPORT_HEARTBEAT_SECONDS):
                Report.objects.filter(pk=report_id, task_id=task_id[:64]).update(heartbeat_at=timezone.now())
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _progress(report_id: int) -> Progress:
    def update(pct: int, message: str = "") -> None:
        Report.objects.filter(pk=report_id).update(
            progress=max(1, min(99, pct)), message=message, heartbeat_at=timezone.now()
        )

    return update


def build(report_id: int, *, task_id: str | None = None, attempt: int = 0) -> str:
    task_id = task_id or uuid.uuid4().hex
    if not claim(report_id, task_id):
        return "skipped"
    report = Report.objects.get(pk=report_id)
    progress = _progress(report_id)
    try:
        with _heartbeat(report_id, task_id):
            return _build_claimed(report, task_id=task_id, attempt=attempt, progress=progress)
    except (OperationalError, TransientBuildError, ConnectionError):
        # Give the report back to the queue: the retry will claim it again.
        Report.objects.filter(pk=report_id, task_id=task_id[:64]).update(
            status=Report.Status.QUEUED, message=_("Временная ошибка, повтор…")
        )
        raise
    except Exception as exc:
        log.exception("report %s failed", report_id)
        fail(report_id, exc)
        return "failed"


def _build_national(report: Report, requester: Requester, progress: Progress) -> str:
    """The national export streams into a temporary file and goes to storage from there: the
    file is never held in memory (``reporting.builders.national``)."""
    from reporting.builders import national

    if not rules.may_order_national(access.get_scope(requester)):
        raise PermissionDenied(rules.REFUSALS[rules.NATIONAL])
    with tempfile.TemporaryFile() as tmp:
        with reads_from_replica():
            national.write(requester, tmp, progress)
        progress(96, _("Сохранение файла"))
        tmp.seek(0)
        name = report.file.field.generate_filename(report, f"{uuid.uuid4().hex}.xlsx")
        return report.file.storage.save(name, File(tmp))


def _build_claimed(report: Report, *, task_id: str, attempt: int, progress: Progress) -> str:
    _inject_fault(report, attempt, progress)
    # Built as the requester, with their reach at build time: a subject no longer in reach
    # fails readably, and every row comes through the gate.
    requester = requester_of(report)
    if report.kind == Report.Kind.NATIONAL:
        report.file.name = _build_national(report, requester, progress)
        return _finish(report, task_id)
    subject = _subject(report.kind, report.params, requester)
    progress(10, _("Сбор данных"))
    with reads_from_replica():  # a snapshot: it may read a standby a few seconds behind
        data = BUILDERS[report.kind](subject, report.params, progress, requester)
    data.setdefault("department", department_name(report.region, requester))
    progress(85, _("Оформление файла"))
    from reporting.render import render_pdf, render_xlsx_report

    if report.kind == Report.Kind.ROADMAP:
        # The roadmap as an official appendix, in its own layout (roadmaps/exports.py).
        pdf, xlsx = roadmap_exports.roadmap_pdf, roadmap_exports.roadmap_xlsx
    else:
        pdf, xlsx = render_pdf, render_xlsx_report
    body = pdf(data) if report.fmt == Report.Format.PDF else xlsx(data)
    name = f"{uuid.uuid4().hex}.{report.fmt}"
    report.file.save(name, ContentFile(body), save=False)
    return _finish(report, task_id)


def _finish(report: Report, task_id: str) -> str:
    report_id = report.pk
    # Finished only by the run that holds the claim: a run taken for dead that wakes up
    # (or a duplicate) throws its file away, so a report is finished exactly once.
    finished = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, task_id=task_id[:64]).update(
        file=report.file.name,
        filename=f"{report.title[:150]}.{report.fmt}".replace("/", "-").replace('"', ""),
        status=Report.Status.DONE,
        progress=100,
        message="",
        finished_at=timezone.now(),
    )
    if not finished:
        report.file.storage.delete(report.file.name)
        return "superseded"
    return "done"


def fail(report_id: int, exc: BaseException) -> None:
    text = _("Не удалось построить отчёт: %(error)s. Попробуйте ещё раз или сообщите администратору.") % {
        "error": str(exc)[:300].rstrip(".") or _("внутренняя ошибка")
    }
    Report.objects.filter(pk=report_id).update(
        status=Report.Status.FAILED, message=text, finished_at=timezone.now()
    )


def _inject_fault(report: Report, attempt: int, progress: Progress) -> None:
    """Test hook (off unless REPORTS_FAULT_INJECTION): fail the first N attempts transiently, or
    build slowly (``_slow_seconds``) so a test can kill the worker in the middle."""
    if not getattr(settings, "REPORTS_FAULT_INJECTION", False):
        return
    if attempt < int(report.params.get("_transient_failures", 0)):
        raise TransientBuildError(f"injected transient failure on attempt {attempt + 1}")
    slow = float(report.params.get("_slow_seconds", 0))
    if slow:
        deadline = time.monotonic() + slow
        while time.monotonic() < deadline:
            progress(5, "slow build (test)")
            time.sleep(0.2)


def purge_old_reports(today: dt.date | None = None) -> int:
    days = getattr(settings, "REPORT_RETENTION_DAYS", 90)
    cutoff = timezone.now() - dt.timedelta(days=days)
    old = Report.objects.filter(created_at__lt=cutoff)
    count = 0
    for report in old:
        if report.file:
            report.file.delete(save=False)
        report.delete()
        count += 1
    return count


# --- Builders ---------------------------------------------------------------------------------


def _quarterly(round_: MonitoringRound, params: dict, progress: Progress, requester: Requester) -> dict:
    from reporting.builders import quarterly

    return quarterly.build(round_, requester, progress)


def _municipal(municipality: Municipality, params: dict, progress: Progress, requester: Requester) -> dict:
    from reporting.builders import municipal

    return municipal.build(
        municipality,
        requester,
        start=dt.date.fromisoformat(params["start"]),
        end=dt.date.fromisoformat(params["end"]),
        roadmap_id=params.get("roadmap") or None,
        progress=progress,
    )


def _school(school: Organization, params: dict, progress: Progress, requester: Requester) -> dict:
    from reporting.builders import school as school_builder

    return school_builder.build(school, requester, progress)


def _questionnaire(
    questionnaire: Questionnaire, params: dict, progress: Progress, requester: Requester
) -> dict:
    from reporting.builders import questionnaire as builder

    return builder.build(questionnaire, requester, progress)


def _roadmap(roadmap: Roadmap, params: dict, progress: Progress, requester: Requester) -> dict:
    return roadmap_exports.roadmap_table(roadmap)


BUILDERS.update(
    {
        Report.Kind.ROADMAP: _roadmap,
        Report.Kind.QUARTERLY: _quarterly,
        Report.Kind.MUNICIPAL: _municipal,
        Report.Kind.SCHOOL: _school,
        Report.Kind.QUESTIONNAIRE: _questionnaire,
    }
)


def auto_quarterly_reports(round_: MonitoringRound) -> list[Report]:
    """When a round closes the department gets its quarterly reports without asking.

    Registered in ``monitoring.rounds.ON_ROUND_CLOSED``: it runs inside the closing transaction,
    so the reports are recorded with the closure and queued on commit. Idempotent.
    """
    existing = Report.objects.filter(kind=Report.Kind.QUARTERLY, params__round=round_.pk, automatic=True)
    if existing.exists():
        return list(existing)
    return [
        do_request_report(actor=None, kind=Report.Kind.QUARTERLY, fmt=fmt, params={"round": round_.pk})
        for fmt in ("pdf", "xlsx")
    ]
