"""Create an empty region from the shell: ``manage.py create_region --code 42 --name … --timezone …``."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from schools.onboarding import do_create_region


def _month_day(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", text.strip())
    if not m:
        raise CommandError(
            _("Дата учебного года — «ДД.ММ», например 01.09, а не «%(text)s».") % {"text": text}
        )
    return int(m.group(2)), int(m.group(1))


class Command(BaseCommand):
    help = _("Создаёт пустой регион (субъект РФ) с часовым поясом и календарём учебного года.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help=_("код субъекта РФ, например 42"))
        parser.add_argument("--name", required=True, help=_("название региона"))
        parser.add_argument(
            "--timezone", required=True, help=_("часовой пояс IANA, например Asia/Novokuznetsk")
        )
        parser.add_argument("--short-name", default="", help=_("краткое название"))
        parser.add_argument(
            "--school-year-start", default="01.09", help=_("начало учебного года, ДД.ММ (01.09)")
        )
        parser.add_argument(
            "--school-year-end", default="31.05", help=_("конец учебного года, ДД.ММ (31.05)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = do_create_region(
                actor=None,
                code=options["code"],
                name=options["name"],
                short_name=options["short_name"],
                timezone=options["timezone"],
                school_year_start=_month_day(options["school_year_start"]),
                school_year_end=_month_day(options["school_year_end"]),
            )
        except ValidationError as exc:
            raise CommandError(_("Регион не создан: %(why)s") % {"why": " ".join(exc.messages)}) from exc
        self.stdout.write(
            _("Регион %(code)s «%(name)s» создан (%(tz)s).")
            % {"code": region.code, "name": region.name, "tz": region.timezone}
        )
