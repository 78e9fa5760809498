from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from monitoring.reminders import send_reminders


class Command(BaseCommand):
    help = _("Рассылает ежедневные напоминания исполнителям и проверяющим (то же делает задача Celery).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_reminders()
        self.stdout.write(
            _("Отправлено писем: %(sent)s, без новостей: %(skipped)s")
            % {"sent": result["sent"], "skipped": result["skipped"]}
        )
