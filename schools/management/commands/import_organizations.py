"""``manage.py import_organizations FILE --region CODE [--dry-run] [--json]`` — what the
«Организации региона» page does: the same preview, the same atomic confirm."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from schools.management.commands._onboarding_io import dump, finish, load
from schools.onboarding import ORG_COLUMNS, do_import_organizations, organizations_preview


class Command(BaseCommand):
    help = _(
        "Загружает организации региона из XLSX/CSV (обновляет по коду, добавляет новые, ничего не удаляет)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--region", required=True, help=_("код региона"))
        parser.add_argument("--dry-run", action="store_true", help=_("только показать, что изменится"))
        parser.add_argument("--json", action="store_true", help=_("результат в JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        region, table = load(options["file"], options["region"], ORG_COLUMNS)
        preview = organizations_preview(region=region, table=table)
        if not options["dry_run"] and not preview["problems"]:
            try:
                preview = do_import_organizations(actor=None, region=region, table=table)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(dump({**preview, "saved": not options["dry_run"] and not preview["problems"]}))
        else:
            self.stdout.write(
                _("Строк: %(r)s; новых: %(c)s, изменится: %(u)s, без изменений: %(n)s, нет в файле: %(m)s.")
                % {
                    "r": preview["rows_read"],
                    "c": len(preview["create"]),
                    "u": len(preview["update"]),
                    "n": len(preview["unchanged"]),
                    "m": len(preview["missing"]),
                }
            )
        finish(self, preview, dry_run=options["dry_run"], as_json=options["json"])
