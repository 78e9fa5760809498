"""Celery adapters: ids in, a service call, idempotent."""

from celery import shared_task

from monitoring import services


@shared_task(
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
    time_limit=600,
    soft_time_limit=570,
)
def generate_obligations_task(roadmap_id: int) -> dict:
    from roadmaps.models import Roadmap

    roadmap = Roadmap.objects.filter(pk=roadmap_id).first()
    if roadmap is None:
        return {}
    return services.generate_obligations(roadmap)


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1740)
def send_reminders_task() -> dict:
    from monitoring.reminders import send_reminders

    return send_reminders()


@shared_task(acks_late=True, soft_time_limit=1700, time_limit=1800)
def monitoring_rounds_task() -> dict:
    """Daily: open last quarter's rounds, close those past their deadline (closing notifies
    ON_ROUND_CLOSED, where reporting queues the quarterly reports)."""
    from monitoring import rounds

    return rounds.run_schedule()


@shared_task(acks_late=True, soft_time_limit=1700, time_limit=1800)
def purge_trash_task() -> dict:
    """Daily: what has been in the trash longer than SOFT_DELETE_RETENTION_DAYS goes, with files."""
    from monitoring.trash import do_purge_trash

    return do_purge_trash()
