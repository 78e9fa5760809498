from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from schools.region_transfer import TransferError, export_region


class Command(BaseCommand):
    help = _("Выгружает регион со всеми данными и файлами в zip (формат: docs/REGION_EXPORT.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=_("Код субъекта РФ, например 70"))
        parser.add_argument("--out", required=True, help=_("Файл архива, например region-70.zip"))

    def handle(self, *args: Any, code: str, out: str, **options: Any) -> None:
        path = Path(out)
        if path.exists():
            raise CommandError(_("Файл %(path)s уже существует: укажите другой.") % {"path": path})
        try:
            manifest = export_region(code, path)
        except TransferError as exc:
            path.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        rows = sum(entry["rows"] for entry in manifest["models"])
        self.stdout.write(
            _("Регион %(code)s выгружен в %(path)s: строк %(rows)d, файлов %(files)d.")
            % {"code": code, "path": path, "rows": rows, "files": len(manifest["files"])}
        )
