"""Asking for a report and building it.

A request is checked against the gate (the user must see the round, municipality, school or
questionnaire it is about) and queued; a worker claims it with a conditional UPDATE, so a report
is never built twice, builds it with progress, and stores the file or a readable error.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import MonitoringRound
from questionnaires.models import Questionnaire
from reporting import rules
from reporting.builders.common import department_name
from reporting.models import Report
from schools import access
from schools.models import Municipality, Organization, Region, User

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=20)


class TransientBuildError(Exception):
    """A failure worth retrying (database restarting, storage hiccup)."""


# kind → (model of the main parameter, parameter name); the questionnaires app adds its kind.
SUBJECTS: dict[str, tuple[type, str]] = {
    Report.Kind.QUARTERLY: (MonitoringRound, "round"),
    Report.Kind.MUNICIPAL: (Municipality, "municipality"),
    Report.Kind.SCHOOL: (Organization, "school"),
    Report.Kind.QUESTIONNAIRE: (Questionnaire, "questionnaire"),
}
BUILDERS: dict = {}


def _subject(kind: str, params: dict, user: User | None):
    model, name = SUBJECTS[kind]
    qs = model.objects.all() if user is None else model.objects.visible_to(user)
    obj = qs.filter(pk=params.get(name)).first()
    if obj is None:
        raise PermissionDenied(_("Нет доступа к выбранному объекту отчёта."))
    return obj


def _title(kind: str, subject) -> str:
    label = Report.Kind(kind).label
    if kind == Report.Kind.QUARTERLY:
        return f"{label}: {subject.roadmap.owner.short_name}, {subject.label}"
    if kind == Report.Kind.MUNICIPAL:
        return f"{label}: {subject.name}"
    if kind == Report.Kind.SCHOOL:
        return f"{label}: {subject.short_name}"
    if kind == Report.Kind.QUESTIONNAIRE:
        return f"{label}: {subject.title[:120]} ({subject.period_label})"
    return f"{label}: {subject}"


@transaction.atomic
def do_request_report(*, actor: User | None, kind: str, fmt: str, params: dict) -> Report:
    if kind not in SUBJECTS:
        raise ValidationError({"kind": _("Неизвестный вид отчёта.")})
    if fmt not in Report.Format.values:
        raise ValidationError({"fmt": _("Выберите формат: PDF или XLSX.")})
    subject = _subject(kind, params, actor)
    region = subject if isinstance(subject, Region) else Region.objects.get(pk=subject.region_id)
    if actor is not None:
        access.require(actor, rules.REQUEST_REPORT, region)
        if kind == Report.Kind.QUARTERLY and not access.get_scope(actor).reaches_region_fully(region.pk):
            # The quarterly report covers every executor of the region: region-wide roles only.
            raise PermissionDenied(_("Квартальный отчёт по региону доступен координатору и департаменту."))
        if kind == Report.Kind.QUESTIONNAIRE and not params.get("questionnaire"):
            raise ValidationError({"questionnaire": _("Выберите анкету.")})
    if kind == Report.Kind.MUNICIPAL:
        for key in ("start", "end"):
            try:
                dt.date.fromisoformat(params[key])
            except (KeyError, TypeError, ValueError) as exc:
                raise ValidationError({key: _("Укажите период: даты начала и конца.")}) from exc
        if params["end"] < params["start"]:
            raise ValidationError({"end": _("Конец периода раньше начала.")})
    report = Report.objects.create(
        region=region, kind=kind, fmt=fmt, params=params, title=_title(kind, subject), requested_by=actor
    )
    from reporting.tasks import build_report_task

    transaction.on_commit(lambda: build_report_task.delay(report.pk))
    return report


def claim(report_id: int, task_id: str) -> bool:
    """Take the report for building; False if somebody else has it or it is finished.

    A message redelivered after a worker died (acks_late) carries the same task id, or finds a
    run that has been silent for too long: both may take it over.
    """
    now = timezone.now()
    taken = Report.objects.filter(
        Q(status=Report.Status.QUEUED)
        | Q(status=Report.Status.RUNNING, task_id=task_id)
        | Q(status=Report.Status.RUNNING, started_at__lt=now - STALE_AFTER),
        pk=report_id,
    ).update(status=Report.Status.RUNNING, started_at=now, task_id=task_id[:64], progress=1, message="")
    return bool(taken)


def _progress(report_id: int):
    def update(pct: int, message: str = "") -> None:
        Report.objects.filter(pk=report_id).update(progress=max(1, min(99, pct)), message=message)

    return update


def build(report_id: int, *, task_id: str | None = None, attempt: int = 0) -> str:
    task_id = task_id or uuid.uuid4().hex
    if not claim(report_id, task_id):
        return "skipped"
    report = Report.objects.get(pk=report_id)
    Report.objects.filter(pk=report_id).update(attempts=attempt + 1)
    progress = _progress(report_id)
    try:
        _inject_fault(report, attempt)
        subject = _subject(report.kind, report.params, None)
        progress(10, _("Сбор данных"))
        data = BUILDERS[report.kind](subject, report.params, progress, report.requested_by)
        data.setdefault("department", department_name(report.region))
        progress(85, _("Оформление файла"))
        from reporting.render import render_pdf, render_xlsx_report

        body = render_pdf(data) if report.fmt == Report.Format.PDF else render_xlsx_report(data)
        name = f"{uuid.uuid4().hex}.{report.fmt}"
        report.file.save(name, ContentFile(body), save=False)
        Report.objects.filter(pk=report_id).update(
            file=report.file.name,
            filename=f"{report.title[:150]}.{report.fmt}".replace("/", "-").replace('"', ""),
            status=Report.Status.DONE,
            progress=100,
            message="",
            finished_at=timezone.now(),
        )
        return "done"
    except (OperationalError, TransientBuildError, ConnectionError):
        # Give the report back to the queue: the retry will claim it again.
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.QUEUED, message=_("Временная ошибка, повтор…")
        )
        raise
    except Exception as exc:
        log.exception("report %s failed", report_id)
        fail(report_id, exc)
        return "failed"


def fail(report_id: int, exc: BaseException) -> None:
    text = _("Не удалось построить отчёт: %(error)s. Попробуйте ещё раз или сообщите администратору.") % {
        "error": str(exc)[:300] or _("внутренняя ошибка")
    }
    Report.objects.filter(pk=report_id).update(
        status=Report.Status.FAILED, message=text, finished_at=timezone.now()
    )


def _inject_fault(report: Report, attempt: int) -> None:
    """Test hook (off unless REPORTS_FAULT_INJECTION): fail the first N attempts transiently."""
    if getattr(settings, "REPORTS_FAULT_INJECTION", False) and attempt < int(
        report.params.get("_transient_failures", 0)
    ):
        raise TransientBuildError(f"injected transient failure on attempt {attempt + 1}")


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


def _quarterly(round_, params, progress, requester):
    from reporting.builders import quarterly

    return quarterly.build(round_, progress)


def _municipal(municipality, params, progress, requester):
    from reporting.builders import municipal

    return municipal.build(
        municipality,
        start=dt.date.fromisoformat(params["start"]),
        end=dt.date.fromisoformat(params["end"]),
        roadmap_id=params.get("roadmap") or None,
        progress=progress,
    )


def _school(school, params, progress, requester):
    from reporting.builders import school as school_builder

    return school_builder.build(school, progress)


def _questionnaire(questionnaire, params, progress, requester):
    from reporting.builders import questionnaire as builder

    # Answers are shown within the requester's own reach (a municipality sees its schools).
    return builder.build(questionnaire, requester, progress)


BUILDERS.update(
    {
        Report.Kind.QUARTERLY: _quarterly,
        Report.Kind.MUNICIPAL: _municipal,
        Report.Kind.SCHOOL: _school,
        Report.Kind.QUESTIONNAIRE: _questionnaire,
    }
)


def auto_quarterly_reports(round_: MonitoringRound) -> list[Report]:
    """When a round closes the department gets its quarterly reports without asking."""
    existing = Report.objects.filter(
        kind=Report.Kind.QUARTERLY, params__round=round_.pk, requested_by__isnull=True
    )
    if existing.exists():
        return list(existing)
    return [
        do_request_report(actor=None, kind=Report.Kind.QUARTERLY, fmt=fmt, params={"round": round_.pk})
        for fmt in ("pdf", "xlsx")
    ]
