from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from monitoring.services import generate_obligations
from roadmaps.models import Roadmap


class Command(BaseCommand):
    help = _("Пересчитывает обязательства по утверждённым дорожным картам (безопасно запускать повторно).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--roadmap", type=int, help=_("id одной дорожной карты"))

    def handle(self, *args: Any, roadmap: int | None = None, **options: Any) -> None:
        qs = Roadmap.objects.filter(status=Roadmap.Status.APPROVED)
        if roadmap:
            qs = qs.filter(pk=roadmap)
        for r in qs:
            counts = generate_obligations(r)
            self.stdout.write(
                f"{r.pk} {r.owner.short_name}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
