from typing import Any

from django.core.management.base import BaseCommand

from monitoring.reminders import send_reminders


class Command(BaseCommand):
    help = "Рассылает ежедневные напоминания исполнителям и проверяющим (то же делает задача Celery)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_reminders()
        self.stdout.write(f"Отправлено писем: {result['sent']}, без новостей: {result['skipped']}")
