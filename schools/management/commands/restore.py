from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from core.backup import BackupError, Database, restore_backup


class Command(BaseCommand):
    help = _(
        "Восстанавливает копию, сделанную командой backup: сверяет контрольные суммы, "
        "затем загружает базу (по умолчанию только в пустую) и файлы."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=_("Папка копии"))
        parser.add_argument(
            "--database-url",
            help=_("Куда восстанавливать (postgres://…); по умолчанию база портала"),
        )
        parser.add_argument("--media-root", help=_("Куда положить файлы; по умолчанию MEDIA_ROOT портала"))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("Заменить содержимое непустой базы (осторожно)"),
        )

    def handle(
        self,
        *args: Any,
        path: str,
        database_url: str | None,
        media_root: str | None,
        replace: bool,
        **options: Any,
    ) -> None:
        try:
            db = (
                Database.from_url(database_url)
                if database_url
                else Database.from_settings(connection.settings_dict)
            )
            # The portal's own connection must not hold the database while pg_restore replaces it.
            connection.close()
            manifest = restore_backup(
                src=Path(path), db=db, media_root=Path(media_root or settings.MEDIA_ROOT), replace=replace
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Копия от %(when)s восстановлена в базу %(db)s: файлов %(files)d, контрольные суммы сверены.")
            % {"when": manifest["created_at"], "db": db.name, "files": len(manifest["files"])}
        )
