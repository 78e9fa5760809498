from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.backup import BackupError, Database, make_backup


class Command(BaseCommand):
    help = _(
        "Резервная копия: дамп базы PostgreSQL и папка файлов с описью контрольных сумм (docs в README)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help=_("Папка копии (по умолчанию backups/<дата-время>)"))

    def handle(self, *args: Any, out: str | None, **options: Any) -> None:
        target = Path(out) if out else Path("backups") / timezone.now().strftime("%Y%m%d-%H%M%S")
        try:
            manifest = make_backup(
                db=Database.from_settings(connection.settings_dict),
                media_root=Path(settings.MEDIA_ROOT),
                out=target,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(meta["size"] for meta in manifest["files"].values())
        self.stdout.write(
            _("Копия записана в %(path)s: файлов %(files)d, %(mb).1f МБ.")
            % {"path": target, "files": len(manifest["files"]), "mb": size / 2**20}
        )
