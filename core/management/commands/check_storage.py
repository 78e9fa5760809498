"""``manage.py check_storage``: files and rows that do not match.

Lists (1) orphan files — under a folder some FileField uploads to, named by no row, older than
the grace period (a younger one may belong to a transaction still in flight); (2) rows naming a
file that is missing; (3) uploads' temporary files left by killed workers. ``--delete-orphans``
deletes (1) and (3); rows naming missing files are reported only (someone must decide).
``--json`` prints one object for scripts; the exit status is 1 when anything was found (0 after
``--delete-orphans`` if only orphans were found and all were deleted).
"""

import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.utils.translation import gettext as _


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy  # a proxy (the trash's) reads the same table as its model
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def upload_roots(fields: list[tuple[type[models.Model], models.FileField]]) -> set[str]:
    """The top folders files are uploaded to («evidence/%Y/%m/» → «evidence»)."""
    roots = set()
    for model, field in fields:
        try:
            # A callable upload_to (a uuid per file) is asked for a name once.
            sample = field.generate_filename(model(), "sample.bin")
        except Exception:  # noqa: BLE001 — a path needing a saved row: fall back to the string form
            sample = field.upload_to if isinstance(field.upload_to, str) else ""
        top = sample.strip("/").split("/")[0] if "/" in sample.strip("/") else ""
        if top and "%" not in top:
            roots.add(top)
    return roots


def walk(storage: Storage, folder: str) -> list[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    out = [f"{folder}/{name}" for name in files]
    for d in dirs:
        out.extend(walk(storage, f"{folder}/{d}"))
    return out


def referenced(fields: list[tuple[type[models.Model], models.FileField]]) -> dict[str, tuple[str, int]]:
    """Stored name → (model label, pk) of every row that names a file."""
    names: dict[str, tuple[str, int]] = {}
    for model, field in fields:
        rows = model._base_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
        for pk, name in rows.values_list("pk", field.name).iterator():
            names[name] = (model._meta.label, pk)
    return names


def stale_temp_uploads(grace: dt.timedelta) -> list[str]:
    """Django's temporary upload files (``*.upload*``) nobody removed: a worker died mid-request."""
    folder = Path(getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or tempfile.gettempdir())
    cutoff = time.time() - grace.total_seconds()
    out = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and ".upload" in entry.name:
                try:
                    if entry.stat().st_mtime < cutoff:
                        out.append(entry.path)
                except FileNotFoundError:
                    continue
    return sorted(out)


def check(*, grace: dt.timedelta, storage: Storage = default_storage) -> dict[str, Any]:
    fields = file_fields()
    names = referenced(fields)
    cutoff = time.time() - grace.total_seconds()
    orphans = []
    for root in sorted(upload_roots(fields)):
        for name in walk(storage, root):
            if name in names:
                continue
            try:
                if storage.get_modified_time(name).timestamp() >= cutoff:
                    continue  # perhaps a transaction still in flight
            except FileNotFoundError:
                continue
            orphans.append(name)
    missing = [
        {"model": label, "pk": pk, "file": name}
        for name, (label, pk) in sorted(names.items())
        if not storage.exists(name)
    ]
    return {"orphans": sorted(orphans), "missing": missing, "temp_uploads": stale_temp_uploads(grace)}


class Command(BaseCommand):
    help = _(
        "Находит файлы без записей, записи без файлов и забытые временные файлы загрузок "
        "(--delete-orphans удаляет файлы без записей и временные файлы)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete-orphans", action="store_true", help=_("удалить файлы без записей и временные файлы")
        )
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=60,
            help=_("не трогать файлы моложе стольких минут (их транзакция может ещё идти); по умолчанию 60"),
        )
        parser.add_argument("--json", action="store_true", help=_("один JSON-объект на stdout, для скриптов"))

    def handle(self, *args: Any, **options: Any) -> None:
        found = check(grace=dt.timedelta(minutes=options["grace_minutes"]))
        deleted = []
        if options["delete_orphans"]:
            for name in found["orphans"]:
                default_storage.delete(name)
                deleted.append(name)
            for path in found["temp_uploads"]:
                Path(path).unlink(missing_ok=True)
                deleted.append(path)
        if options["json"]:
            self.stdout.write(json.dumps(found | {"deleted": deleted}, ensure_ascii=False, indent=2))
        else:
            self._print(found, deleted)
        problems = bool(found["missing"]) or (
            not options["delete_orphans"] and bool(found["orphans"] or found["temp_uploads"])
        )
        if problems:
            raise SystemExit(1)

    def _print(self, found: dict[str, Any], deleted: list[str]) -> None:
        write = self.stdout.write
        write(_("Файлы без записей: %(n)s") % {"n": len(found["orphans"])})
        for name in found["orphans"]:
            write(f"  {name}")
        write(_("Записи без файлов: %(n)s") % {"n": len(found["missing"])})
        for row in found["missing"]:
            write(f"  {row['model']} #{row['pk']}: {row['file']}")
        write(_("Забытые временные файлы загрузок: %(n)s") % {"n": len(found["temp_uploads"])})
        for path in found["temp_uploads"]:
            write(f"  {path}")
        if deleted:
            write(_("Удалено: %(n)s") % {"n": len(deleted)})
