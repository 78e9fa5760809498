"""Celery adapters for reports: ids in, a service call, idempotent."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils.translation import ngettext

from reporting import services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, services.TransientBuildError)


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3, soft_time_limit=540, time_limit=600
)
def build_report_task(self: Task, report_id: int) -> str:
    try:
        return services.build(report_id, task_id=self.request.id or "", attempt=self.request.retries)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            services.fail(
                report_id,
                RuntimeError(
                    ngettext(
                        "временная ошибка повторилась %(n)s раз: %(error)s",
                        "временная ошибка повторилась %(n)s раза: %(error)s",
                        self.max_retries + 1,
                    )
                    % {"n": self.max_retries + 1, "error": exc}
                ),
            )
            return "failed"
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def purge_reports_task() -> int:
    return services.purge_old_reports()


@shared_task(ignore_result=True, time_limit=120, soft_time_limit=100, expires=55)
def sweep_reports_task() -> int:
    """Every minute: stale running and never-dispatched queued reports go back to the workers."""
    return services.sweep_reports()
