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
