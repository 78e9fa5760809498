"""What the import commands share: reading the file and the region, printing a preview."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from schools.models import Region
from schools.tables import Column, Table, TableError, read_table


def load(path: str, region_code: str, columns: tuple[Column, ...]) -> tuple[Region, Table]:
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise CommandError(
            _("Региона с кодом «%(code)s» нет. Создайте его: manage.py create_region.")
            % {"code": region_code}
        )
    file = Path(path)
    if not file.is_file():
        raise CommandError(_("Файл «%(path)s» не найден.") % {"path": path})
    try:
        return region, read_table(file.name, file.read_bytes(), columns)
    except TableError as exc:
        raise CommandError(
            _("Файл «%(name)s» не прочитан: %(why)s") % {"name": file.name, "why": " ".join(exc.messages)}
        ) from exc


def dump(preview: dict[str, Any]) -> str:
    return json.dumps(preview, ensure_ascii=False, indent=2, default=str)


def problems_text(preview: dict[str, Any]) -> str:
    lines = []
    for p in preview["problems"]:
        where = (_("строка %(row)s, «%(column)s»") if p["row"] else _("«%(column)s»")) % p
        lines.append(f"  {where}: {p['message']}")
    return "\n".join(lines)


def finish(command: Any, preview: dict[str, Any], *, dry_run: bool, as_json: bool) -> None:
    """Refuse a broken file with a non-zero exit, or say what happened."""
    if preview["problems"]:
        raise CommandError(
            _("В файле ошибок: %(n)s, ничего не сохранено.") % {"n": len(preview["problems"])}
            + "\n"
            + problems_text(preview)
        )
    if not as_json:
        command.stdout.write(_("Проверка без сохранения (--dry-run).") if dry_run else _("Сохранено."))
