"""Execution reports and evidence in the trash, and the purge of the whole trash (README «Корзина»).

A deleted report lets go of its obligation (``obligation`` → ``trashed_obligation``), so every
join from obligations — tallies, filters, the obligation page — sees no report, and the executor
may file afresh; restoring re-attaches it if nobody has. Deleted evidence keeps its file until the
purge. The purge (a daily beat task) removes what has been in the trash longer than
``SOFT_DELETE_RETENTION_DAYS``, rows and files (files after the commit).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import rules
from monitoring.models import Evidence, ExecutionReport, Obligation, TrashedEvidence, TrashedExecutionReport
from roadmaps.models import Roadmap
from roadmaps.rules import RESTORE_FROM_TRASH
from schools import access
from schools.models import User


@transaction.atomic
def do_delete_report(*, actor: User, obligation: Obligation) -> ExecutionReport:
    access.require(actor, rules.DELETE_REPORT, obligation)
    report = ExecutionReport.objects.select_for_update().filter(obligation=obligation).first()
    if report is None:
        raise ValidationError(_("По этому обязательству ещё нет отчёта."))
    ExecutionReport.objects.filter(pk=report.pk).update(
        obligation=None, trashed_obligation=obligation, deleted_at=timezone.now(), deleted_by=actor
    )
    return report


@transaction.atomic
def do_restore_report(*, actor: User, report: TrashedExecutionReport) -> None:
    access.require(actor, RESTORE_FROM_TRASH, report)
    obligation = Obligation.objects.filter(pk=report.trashed_obligation_id).first()
    if obligation is None:
        raise ValidationError(
            _("Обязательство этого отчёта удалено вместе с дорожной картой: сначала восстановите её.")
        )
    Obligation.objects.select_for_update().filter(pk=obligation.pk).first()
    if ExecutionReport._base_manager.filter(obligation=obligation).exists():
        raise ValidationError(
            _(
                "По этому обязательству уже подан новый отчёт: восстановить прежний можно, только удалив новый."
            )
        )
    TrashedExecutionReport.objects.filter(pk=report.pk).update(
        obligation=obligation, trashed_obligation=None, deleted_at=None, deleted_by=None
    )


@transaction.atomic
def do_restore_evidence(*, actor: User, evidence: TrashedEvidence) -> None:
    access.require(actor, RESTORE_FROM_TRASH, evidence)
    if not ExecutionReport.objects.filter(pk=evidence.report_id).exists():
        raise ValidationError(_("Отчёт этого подтверждения удалён: сначала восстановите отчёт."))
    TrashedEvidence.objects.filter(pk=evidence.pk).update(deleted_at=None, deleted_by=None)


def _files_of(evidence: "Q") -> list[str]:
    return [
        n for n in Evidence._base_manager.filter(evidence).exclude(file="").values_list("file", flat=True)
    ]


@transaction.atomic
def do_purge_trash(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove what has been in the trash longer than the retention period, with its files."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SOFT_DELETE_RETENTION_DAYS)
    counts = {"roadmaps": 0, "reports": 0, "evidence": 0, "files": 0}
    files: list[str] = []
    old_evidence = Q(deleted_at__lt=cutoff)
    files += _files_of(old_evidence)
    counts["evidence"], _detail = Evidence._base_manager.filter(old_evidence).delete()
    old_reports = ExecutionReport._base_manager.filter(deleted_at__lt=cutoff)
    files += _files_of(Q(report__in=old_reports.values("pk")))
    counts["reports"] = old_reports.count()
    old_reports.delete()
    # A roadmap another one implements (PROTECT) waits for its children to go first.
    while True:
        old = Roadmap._base_manager.filter(deleted_at__lt=cutoff).exclude(
            pk__in=Roadmap._base_manager.filter(parent__isnull=False).values("parent_id")
        )
        ids = list(old.values_list("pk", flat=True))
        if not ids:
            break
        files += _files_of(
            Q(report__obligation__roadmap_id__in=ids) | Q(report__trashed_obligation__roadmap_id__in=ids)
        )
        Roadmap._base_manager.filter(pk__in=ids).delete()
        counts["roadmaps"] += len(ids)
    storage = Evidence._meta.get_field("file").storage
    counts["files"] = len(set(files))
    for name in set(files):
        transaction.on_commit(lambda name=name: storage.delete(name))
    return counts
