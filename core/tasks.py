"""The outbox sweeper (declared in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from core import outbox


@shared_task(ignore_result=True, time_limit=120, soft_time_limit=100, expires=55)
def sweep_outbox_task() -> int:
    return outbox.sweep()
