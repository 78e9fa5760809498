from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from questionnaires import services


class Command(BaseCommand):
    help = _("Напоминает руководителям школ об анкетах, срок которых истекает завтра (по времени региона).")

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.do_send_due_reminders()
        self.stdout.write(_("Напоминаний поставлено в очередь: %(n)s") % {"n": count})
