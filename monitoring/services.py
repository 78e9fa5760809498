"""Writes for execution tracking: obligations from approved roadmaps, reports, evidence, review.

Every write is one transaction that checks the gate itself and records a ReportEvent, so the
history on a report is complete whichever view, command or task made the change.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.concurrency import bump, check_version
from core.errors import ConflictError
from core.files import files_atomic, save_file
from core.uploads import check_upload
from monitoring import rules
from monitoring.models import Evidence, ExecutionReport, Obligation, ReportEvent
from roadmaps.models import Item, ItemExecutor, Roadmap
from roadmaps.schedule import due_datetime
from schools import access
from schools.models import ExecutorAlias, Membership, Organization, SchoolStatus, User

Group = ExecutorAlias.Group
Review = ExecutionReport.Review
Status = ExecutionReport.Status

# --- Obligations ------------------------------------------------------------------------------

GROUP_CATEGORIES = {
    Group.SCHOOLS: [SchoolStatus.Category.SHNOR, SchoolStatus.Category.SHNSU, SchoolStatus.Category.RISK],
    Group.SHNOR_SCHOOLS: [SchoolStatus.Category.SHNOR],
    Group.SHNSU_SCHOOLS: [SchoolStatus.Category.SHNSU],
    Group.SUPPORT_SCHOOLS: [SchoolStatus.Category.SUPPORT],
}


def expand_group(roadmap: Roadmap, group: str) -> list[int]:
    """A group of executors («МОУО», «руководители ШНОР») as organization ids for this roadmap.

    A municipal roadmap's «ОО» are the schools of that municipality; a school roadmap's are the
    school itself. Programme schools are those with a status in one of the roadmap's years.
    """
    orgs = Organization.objects.filter(region=roadmap.region)
    if roadmap.level == Roadmap.Level.SCHOOL:
        if group in GROUP_CATEGORIES:
            return [roadmap.owner_id]
        if group == Group.MUNICIPAL_AUTHORITIES:
            orgs = orgs.filter(municipality_id=roadmap.owner.municipality_id)
    elif roadmap.level == Roadmap.Level.MUNICIPAL:
        orgs = orgs.filter(municipality_id=roadmap.owner.municipality_id)
    if group == Group.MUNICIPAL_AUTHORITIES:
        return list(orgs.filter(kind=Organization.Kind.MUNICIPAL_AUTHORITY).values_list("pk", flat=True))
    if group in GROUP_CATEGORIES:
        years = list(roadmap.years)
        if group == Group.SCHOOLS and roadmap.title and "Минпросвещения" in roadmap.title:
            categories = [SchoolStatus.Category.MINPROS]
        else:
            categories = GROUP_CATEGORIES[group]
        return list(
            orgs.filter(
                kind=Organization.Kind.SCHOOL, statuses__year__in=years, statuses__category__in=categories
            )
            .distinct()
            .values_list("pk", flat=True)
        )
    if group == Group.CURATORS:
        # Curators report through the organization they work for (ТОИПКРО in Tomsk).
        return list(
            Membership.objects.filter(region=roadmap.region, role=Membership.Role.CURATOR)
            .values_list("organization_id", flat=True)
            .distinct()
        )
    return []


def desired_obligations(roadmap: Roadmap) -> dict[tuple[int, int, dt.date], dt.date]:
    """(item, executor, due date) → window start, for every item with dates and executors."""
    wanted: dict[tuple[int, int, dt.date], dt.date] = {}
    groups: dict[str, list[int]] = {}
    items = (
        Item.objects.filter(roadmap=roadmap, removed_at__isnull=True)  # an amendment took it out
        .exclude(schedule_kind=Item.ScheduleKind.SUBITEMS)
        .prefetch_related("control_dates", "executors")
    )
    for item in items:
        executors: set[int] = set()
        for e in item.executors.all():
            if e.organization_id:
                executors.add(e.organization_id)
            elif e.group:
                if e.group not in groups:
                    groups[e.group] = expand_group(roadmap, e.group)
                executors.update(groups[e.group])
        for date in item.control_dates.all():
            for executor in executors:
                wanted[(item.pk, executor, date.due_date)] = date.window_start
    return wanted


def empty_groups(roadmap: Roadmap) -> set[str]:
    """The executor groups that stand for nobody in this roadmap (same rules as
    :func:`expand_group`), in a fixed number of queries whatever the number of groups."""
    reach = Organization.objects.filter(region=roadmap.region)
    if roadmap.level != Roadmap.Level.REGIONAL:  # a municipality's or a school's plan: its municipality
        reach = reach.filter(municipality_id=roadmap.owner.municipality_id)
    empty = set()
    if not reach.filter(kind=Organization.Kind.MUNICIPAL_AUTHORITY).exists():
        empty.add(Group.MUNICIPAL_AUTHORITIES)
    # Asked at every level, so pages that call this keep the same number of queries.
    present = set(
        SchoolStatus.objects.filter(
            region=roadmap.region,
            year__in=list(roadmap.years),
            school__in=reach.filter(kind=Organization.Kind.SCHOOL),
        )
        .values_list("category", flat=True)
        .distinct()
    )
    if roadmap.level != Roadmap.Level.SCHOOL:  # a school's own plan: every school group is the school
        minpros = bool(roadmap.title and "Минпросвещения" in roadmap.title)
        for group, categories in GROUP_CATEGORIES.items():
            if group == Group.SCHOOLS and minpros:
                categories = [SchoolStatus.Category.MINPROS]
            if not present & set(categories):
                empty.add(group)
    if not Membership.objects.filter(region=roadmap.region, role=Membership.Role.CURATOR).exists():
        empty.add(Group.CURATORS)
    return empty


def assignment_preview(roadmap: Roadmap, with_counts: bool = True, items: list[Item] | None = None) -> dict:
    """Registered in ``roadmaps.services.ASSIGNMENT_PREVIEW``: what the roadmap's items assign —
    obligations and executors (``with_counts``), and items whose group executor is nobody.

    ``items``: the roadmap's items whose executors are read already (the roadmap page's shown
    items): the unmatched ones are picked from those, for those items only. Read from the table,
    PostgreSQL looked the executors up item by item (four pages each at 85 regions)."""
    empty = empty_groups(roadmap)
    unmatched: dict[int, list[str]] = {}
    if not empty:
        rows: Any = []
    elif items is not None:
        rows = [
            (item.pk, executor.text)
            for item in items
            if item.schedule_kind != Item.ScheduleKind.SUBITEMS
            for executor in item.executors.all()
            if executor.organization_id is None and executor.group in empty
        ]
    else:
        rows = (
            ItemExecutor.objects.filter(item__roadmap=roadmap, organization__isnull=True, group__in=empty)
            .exclude(item__schedule_kind=Item.ScheduleKind.SUBITEMS)
            .order_by("item__position", "position")
            .values_list("item_id", "text")
        )
    for item_id, text in rows:
        unmatched.setdefault(item_id, []).append(text)
    preview: dict = {"unmatched": unmatched}
    if with_counts:
        wanted = desired_obligations(roadmap)
        preview |= {"obligations": len(wanted), "executors": len({key[1] for key in wanted})}
    return preview


@transaction.atomic
def generate_obligations(roadmap: Roadmap) -> dict[str, int]:
    """Bring the roadmap's obligations in line with its items; safe to run again at any time.

    New ones are created, changed windows updated; one that is no longer wanted is deleted if
    nothing was reported on it, and kept but marked cancelled otherwise — an amendment never
    loses or duplicates a report.
    """
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    counts = {"created": 0, "updated": 0, "cancelled": 0, "deleted": 0, "restored": 0}
    if roadmap.status != Roadmap.Status.APPROVED:
        return counts  # drafts have none yet; an archived roadmap keeps its history as it was
    wanted = desired_obligations(roadmap)
    existing = {
        (o.item_id, o.executor_id, o.due_date): o
        for o in Obligation.objects.filter(roadmap=roadmap).select_related("report")
    }
    to_create = [
        Obligation(
            region_id=roadmap.region_id,
            roadmap=roadmap,
            item_id=item_id,
            executor_id=executor_id,
            due_date=due,
            window_start=start,
        )
        for (item_id, executor_id, due), start in wanted.items()
        if (item_id, executor_id, due) not in existing
    ]
    Obligation.objects.bulk_create(to_create, batch_size=1000)
    counts["created"] = len(to_create)
    for key, obligation in existing.items():
        if key in wanted:
            changed = []
            if obligation.window_start != wanted[key]:
                obligation.window_start = wanted[key]
                changed.append("window_start")
                counts["updated"] += 1
            if obligation.cancelled:
                obligation.cancelled = False
                changed.append("cancelled")
                counts["restored"] += 1
            if changed:
                obligation.save(update_fields=changed)
        elif _has_content(obligation):
            if not obligation.cancelled:
                obligation.cancelled = True
                obligation.save(update_fields=["cancelled"])
                counts["cancelled"] += 1
        else:
            obligation.delete()
            counts["deleted"] += 1
    return counts


def _has_content(obligation: Obligation) -> bool:
    report = getattr(obligation, "report", None)
    if report is None:
        return False
    return (
        report.review_state != Review.DRAFT or report.status != Status.NOT_STARTED or report.evidence.exists()
    )


def schedule_generation(roadmap: Roadmap) -> None:
    """Regenerate after the surrounding transaction commits (in a worker when one runs)."""
    # Through the outbox: recorded with the change, so a broker outage delays it and never loses it.
    outbox.enqueue("monitoring.tasks.generate_obligations_task", roadmap.pk)


# --- Deadlines --------------------------------------------------------------------------------


def deadline_of(obligation: Obligation) -> dt.datetime:
    return due_datetime(obligation.due_date, obligation.region.tzinfo)


def is_overdue(obligation: Obligation, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) > deadline_of(obligation)


# --- Reports ----------------------------------------------------------------------------------


def _report_for_update(obligation: Obligation) -> ExecutionReport:
    report, _created = ExecutionReport.objects.select_for_update().get_or_create(
        obligation=obligation, defaults={"region_id": obligation.region_id}
    )
    return report


def _event(report: ExecutionReport, user: User | None, action: str, comment: str = "") -> None:
    ReportEvent.objects.create(
        region_id=report.region_id,
        report=report,
        user=user,
        action=action,
        status=report.status,
        review_state=report.review_state,
        comment=comment,
    )


def lock_reason(report: ExecutionReport | None) -> str:
    """Why the executor cannot edit now — shown above the form."""
    if report is None:
        return ""
    if report.review_state == Review.SUBMITTED:
        return _("Отчёт отправлен на проверку %(when)s — до решения проверяющего изменить его нельзя.") % {
            "when": timezone.localtime(report.submitted_at).strftime("%d.%m.%Y %H:%M")
        }
    if report.review_state == Review.ACCEPTED:
        return _(
            "Отчёт принят %(when)s — изменения закрыты. Вернуть его на доработку может региональный координатор."
        ) % {"when": timezone.localtime(report.reviewed_at).strftime("%d.%m.%Y %H:%M")}
    return ""


def _require_editable(report: ExecutionReport) -> None:
    reason = lock_reason(report)
    if reason:
        raise ConflictError(reason)
    if report.obligation.cancelled:
        raise ConflictError(_("Обязательство снято редакцией дорожной карты; отчёт по нему не принимается."))


@transaction.atomic
def do_save_report(
    *,
    actor: User,
    obligation: Obligation,
    status: str,
    comment: str = "",
    actual_value: Decimal | None = None,
    done_on: dt.date | None = None,
    record: bool = True,
    version: int | None = None,
) -> ExecutionReport:
    """Save the executor's fields; ``record=False`` when a submit follows (one history line).
    A form drawn from an older ``version`` than the saved one is refused (``StaleEdit``)."""
    access.require(actor, rules.FILE_REPORT, obligation)
    report = _report_for_update(obligation)
    _require_editable(report)
    check_version(
        report,
        version,
        submitted={
            "status": status,
            "comment": comment.strip(),
            "actual_value": actual_value,
            "done_on": done_on,
        },
    )
    if status not in Status.values:
        raise ValidationError({"status": _("Выберите статус исполнения из списка.")})
    if done_on and done_on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"done_on": _("Дата выполнения не может быть в будущем.")})
    report.status, report.comment, report.actual_value, report.done_on = (
        status,
        comment.strip(),
        actual_value,
        done_on,
    )
    report.full_clean()
    bump(report)
    report.save()
    if record:
        _event(report, actor, ReportEvent.Action.SAVED)
    return report


@files_atomic
def do_add_file(
    *, actor: User, obligation: Obligation, name: str, data: bytes, description: str = ""
) -> Evidence:
    """Attach a file. The same file (same SHA-256) on the same report is recognised: the existing
    evidence comes back with ``duplicate = True`` and nothing new is written (a double submit,
    a retried upload). The file is written before its row; a failed save deletes it."""
    access.require(actor, rules.FILE_REPORT, obligation)
    report = _report_for_update(obligation)  # locked: two uploads of one file cannot both pass
    _require_editable(report)
    checked = check_upload(name, data)  # UploadRejected: nothing saved
    existing = report.evidence.filter(kind=Evidence.Kind.FILE, sha256=checked.sha256).first()
    if existing is not None:
        existing.duplicate = True
        return existing
    evidence = Evidence(
        region_id=report.region_id,
        report=report,
        kind=Evidence.Kind.FILE,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description.strip()[:300],
        uploaded_by=actor,
    )
    save_file(evidence.file, checked.stored_name, ContentFile(data))
    evidence.save()
    _event(report, actor, ReportEvent.Action.EVIDENCE_ADDED, checked.display_name)
    return evidence


@transaction.atomic
def do_add_link(*, actor: User, obligation: Obligation, url: str, description: str = "") -> Evidence:
    access.require(actor, rules.FILE_REPORT, obligation)
    report = _report_for_update(obligation)
    _require_editable(report)
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError(
            {"url": _("Ссылка должна начинаться с http:// или https://, например https://school.ru/shnor.")}
        ) from exc
    evidence = Evidence.objects.create(
        region_id=report.region_id,
        report=report,
        kind=Evidence.Kind.LINK,
        url=url,
        description=description.strip()[:300],
        uploaded_by=actor,
    )
    _event(report, actor, ReportEvent.Action.EVIDENCE_ADDED, url)
    return evidence


@transaction.atomic
def do_remove_evidence(*, actor: User, evidence: Evidence) -> None:
    access.require(actor, rules.FILE_REPORT, evidence)
    report = _report_for_update(evidence.report.obligation)
    _require_editable(report)
    label = str(evidence)
    # Into the trash (README «Корзина»): hidden everywhere, the file kept until the purge.
    Evidence.objects.filter(pk=evidence.pk).update(deleted_at=timezone.now(), deleted_by=actor)
    _event(report, actor, ReportEvent.Action.EVIDENCE_REMOVED, label)


NEEDS_EVIDENCE = {Status.DONE, Status.PARTIAL}
NEEDS_COMMENT = {Status.FAILED, Status.NOT_REQUIRED, Status.PARTIAL}


@transaction.atomic
def do_submit_report(*, actor: User, obligation: Obligation) -> ExecutionReport:
    access.require(actor, rules.FILE_REPORT, obligation)
    report = _report_for_update(obligation)
    _require_editable(report)
    problems = []
    if report.status in (Status.NOT_STARTED, Status.IN_PROGRESS):
        problems.append(
            _("укажите итог: «выполнено», «выполнено частично», «не выполнено» или «не требуется»")
        )
    if report.status in NEEDS_EVIDENCE and not report.evidence.exists():
        problems.append(_("приложите хотя бы один файл или ссылку, подтверждающие выполнение"))
    if report.status in NEEDS_COMMENT and not report.comment:
        problems.append(_("объясните в комментарии, что сделано и почему не полностью"))
    if problems:
        raise ValidationError(_("Отчёт не отправлен: %(p)s.") % {"p": "; ".join(problems)})
    now = timezone.now()
    report.review_state, report.submitted_at, report.submitted_by = Review.SUBMITTED, now, actor
    report.is_late = now > deadline_of(obligation)
    report.save()
    _event(report, actor, ReportEvent.Action.SUBMITTED, _("после срока") if report.is_late else "")
    return report


def _decide(
    *,
    actor: User,
    report: ExecutionReport,
    action: str,
    from_state: str,
    to_state: str,
    event: str,
    comment: str,
    wrong_state: str,
    comment_required: str = "",
) -> ExecutionReport:
    """A reviewer's decision: gate, lock the row, check the state it is in, record who and why."""
    access.require(actor, action, report)
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    if report.review_state != from_state:
        raise ConflictError(wrong_state)
    if comment_required and not comment.strip():
        raise ValidationError({"comment": comment_required})
    report.review_state, report.reviewed_at, report.reviewed_by = to_state, timezone.now(), actor
    report.review_comment = comment.strip()
    report.save()
    _event(report, actor, event, report.review_comment)
    return report


@transaction.atomic
def do_accept_report(*, actor: User, report: ExecutionReport, comment: str = "") -> ExecutionReport:
    return _decide(
        actor=actor,
        report=report,
        action=rules.REVIEW_REPORT,
        from_state=Review.SUBMITTED,
        to_state=Review.ACCEPTED,
        event=ReportEvent.Action.ACCEPTED,
        comment=comment,
        wrong_state=_("Принять можно только отчёт, отправленный на проверку."),
    )


@transaction.atomic
def do_return_report(*, actor: User, report: ExecutionReport, comment: str) -> ExecutionReport:
    return _decide(
        actor=actor,
        report=report,
        action=rules.REVIEW_REPORT,
        from_state=Review.SUBMITTED,
        to_state=Review.RETURNED,
        event=ReportEvent.Action.RETURNED,
        comment=comment,
        wrong_state=_("Вернуть можно только отчёт, отправленный на проверку."),
        comment_required=_("Напишите, что нужно исправить: исполнитель увидит этот комментарий."),
    )


@transaction.atomic
def do_reopen_report(*, actor: User, report: ExecutionReport, reason: str) -> ExecutionReport:
    return _decide(
        actor=actor,
        report=report,
        action=rules.REOPEN_REPORT,
        from_state=Review.ACCEPTED,
        to_state=Review.RETURNED,
        event=ReportEvent.Action.REOPENED,
        comment=reason,
        wrong_state=_("Открыть повторно можно только принятый отчёт."),
        comment_required=_("Укажите причину: исполнитель увидит её."),
    )
