"""``manage.py import_diagnostics FILE --kind self-diagnosis|risk-profile|assessments --region CODE
--year YYYY [--dry-run] [--json]`` — what the «Диагностика школ: загрузка» pages do: the same
preview, the same problems by row and column, the same atomic write (the year's rows of the
schools in the file are replaced). A file with any problem saves nothing and exits non-zero."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from diagnostics import importing, imports
from diagnostics.sheets import read_grid
from schools.models import Region
from schools.tables import TableError


class Command(BaseCommand):
    help = _("Загружает самодиагностику, рисковый профиль или результаты оценочных процедур из XLSX/CSV.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--kind",
            required=True,
            choices=[k.replace("_", "-") for k in importing.KINDS] + list(importing.KINDS),
            help=_("что в файле"),
        )
        parser.add_argument("--region", required=True, help=_("код региона"))
        parser.add_argument("--year", type=int, default=imports.current_year(), help=_("год данных"))
        parser.add_argument("--dry-run", action="store_true", help=_("только проверить, ничего не сохранять"))
        parser.add_argument("--json", action="store_true", help=_("вывести проверку в JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"].replace("-", "_")
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(_("Региона с кодом «%(code)s» нет.") % {"code": options["region"]})
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Файл «%(path)s» не найден.") % {"path": options["file"]})
        try:
            grid = read_grid(path.name, path.read_bytes())
        except TableError as exc:
            raise CommandError(
                _("Файл «%(name)s» не прочитан: %(why)s") % {"name": path.name, "why": " ".join(exc.messages)}
            ) from exc
        kwargs = {"region": region, "kind": kind, "year": options["year"], "grid": grid}
        result = imports.preview(**kwargs)
        saved = not options["dry_run"] and not result["problems"] and result["records"] > 0
        if saved:
            try:
                result = imports.do_import_diagnostics(actor=None, **kwargs)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(
                json.dumps({**result, "saved": saved}, ensure_ascii=False, indent=2, default=str)
            )
        else:
            self.stdout.write(
                _("%(label)s, %(year)s: записей %(n)s по %(s)s школам; заменяется прежних записей: %(r)s.")
                % {
                    "label": result["kind_label"],
                    "year": result["year"],
                    "n": result["records"],
                    "s": result["schools"],
                    "r": result["replaced"],
                }
            )
            for warning in result["warnings"]:
                self.stdout.write("  " + warning)
        if result["problems"]:
            lines = [
                "  "
                + (_("строка %(row)s, «%(column)s»") if p["row"] else _("«%(column)s»")) % p
                + f": {p['message']}"
                for p in result["problems"]
            ]
            raise CommandError(
                _("В файле ошибок: %(n)s, ничего не сохранено.") % {"n": len(result["problems"])}
                + "\n"
                + "\n".join(lines)
            )
        if not result["records"]:
            raise CommandError(_("В файле нет ни одной записи для загрузки: ничего не сохранено."))
        if not options["json"]:
            self.stdout.write(
                _("Проверка без сохранения (--dry-run).") if options["dry_run"] else _("Сохранено.")
            )
