from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from schools.region_transfer import TransferError, import_region


class Command(BaseCommand):
    help = _(
        "Загружает выгрузку региона (export_region) в этот экземпляр: всё или ничего; "
        "регион, который уже есть, не загружается."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=_("Файл архива"))

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        try:
            result = import_region(Path(path))
        except TransferError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Регион %(code)s загружен: строк %(rows)d, файлов %(files)d, новых пользователей %(created)d.")
            % {
                "code": result.region_code,
                "rows": sum(result.rows.values()),
                "files": result.files,
                "created": len(result.users_created),
            }
        )
        if result.users_matched:
            self.stdout.write(
                _("Уже были в этом экземпляре и оставлены как есть: %(users)s")
                % {"users": ", ".join(result.users_matched)}
            )
