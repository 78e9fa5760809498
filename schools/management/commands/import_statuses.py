"""``manage.py import_statuses FILE --region CODE --year YYYY [--category …] [--basis …]
[--dry-run] [--json]`` — what the «Статусы школ» page does. Names that match no school exactly
are reported with suggestions and skipped (the page lets a person pick; a script must not guess)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from schools.management.commands._onboarding_io import dump, finish, load
from schools.onboarding import STATUS_COLUMNS, do_import_statuses, parse_category, statuses_preview


class Command(BaseCommand):
    help = _("Загружает статусы школ года (ШНОР, ШНСУ, группа риска, …) из списка XLSX/CSV.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--region", required=True, help=_("код региона"))
        parser.add_argument("--year", required=True, type=int, help=_("год списка"))
        parser.add_argument(
            "--category",
            default="",
            help=_("одна категория для всех строк: shnor, shnsu, risk, support, minpros"),
        )
        parser.add_argument("--basis", default="", help=_("основание: документ, которым утверждён список"))
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        category = ""
        if options["category"]:
            category = parse_category(options["category"]) or ""
            if not category:
                raise CommandError(
                    _("Неизвестная категория «%(value)s»: shnor, shnsu, risk, support, minpros.")
                    % {"value": options["category"]}
                )
        region, table = load(options["file"], options["region"], STATUS_COLUMNS)
        kwargs = {
            "region": region,
            "table": table,
            "year": options["year"],
            "category": category,
            "basis_document": options["basis"],
        }
        preview = statuses_preview(**kwargs)
        saved = not options["dry_run"] and not preview["problems"]
        if saved:
            try:
                preview = do_import_statuses(actor=None, **kwargs)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(dump({**preview, "saved": saved}))
        else:
            self.stdout.write(
                _("Строк: %(r)s; найдено школ: %(m)s, не найдено: %(u)s.")
                % {"r": preview["rows_read"], "m": len(preview["matched"]), "u": len(preview["unmatched"])}
            )
            for u in preview["unmatched"]:
                hint = "; ".join(s["label"] for s in u["suggestions"]) or _("похожих нет")
                self.stdout.write(
                    _("  строка %(row)s: «%(name)s» не найдена (похоже: %(hint)s)")
                    % {"row": u["row"], "name": u["name"], "hint": hint}
                )
        finish(self, preview, dry_run=options["dry_run"], as_json=options["json"])
