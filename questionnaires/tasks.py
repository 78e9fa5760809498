"""Celery adapters: take ids, call a service. The daily run is declared in CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from questionnaires import services


@shared_task(time_limit=10 * 60, soft_time_limit=9 * 60)
def send_questionnaire_reminders() -> int:
    """Remind directors whose questionnaire is due tomorrow (their region's time)."""
    return services.do_send_due_reminders()


@shared_task(
    time_limit=10 * 60, soft_time_limit=9 * 60, autoretry_for=(OSError,), retry_backoff=60, max_retries=5
)
def email_reminders(assignment_ids: list[int]) -> int:
    return services.send_reminder_emails(assignment_ids=assignment_ids)
