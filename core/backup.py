"""Backup and restore of the whole instance: the PostgreSQL database and the media folder.

A backup is a folder::

    <out>/
      database.dump     pg_dump custom format (compressed, restorable table by table)
      media/…           every file under MEDIA_ROOT, same relative paths
      manifest.json     format version, when, from which database, sha256 and size of every file

``restore`` checks every checksum *before* it touches anything, refuses a database that already
has tables (unless told to replace it), restores with pg_restore and copies the files back.
The tools are Debian's postgresql-client (pg_dump/pg_restore of the server's major version).
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext as _

FORMAT_VERSION = 1
DUMP_NAME = "database.dump"
MEDIA_DIR = "media"
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Russian)."""


@dataclass(frozen=True)
class Database:
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict[str, Any]) -> "Database":
        if "postgresql" not in settings_dict.get("ENGINE", ""):
            raise BackupError(
                _("Резервная копия делается только для PostgreSQL (DATABASE_URL=postgres://…).")
            )
        return cls(
            name=str(settings_dict["NAME"]),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> "Database":
        parsed = urlparse(url)
        if parsed.scheme not in ("postgres", "postgresql"):
            raise BackupError(_("Ожидался адрес вида postgres://…, получено «%(url)s».") % {"url": url})
        return cls(
            name=unquote(parsed.path.lstrip("/")),
            host=parsed.hostname or "",
            port=str(parsed.port or ""),
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
        )

    def args(self) -> list[str]:
        out = []
        if self.host:
            out += ["-h", self.host]
        if self.port:
            out += ["-p", self.port]
        if self.user:
            out += ["-U", self.user]
        return out

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(cmd: list[str], db: Database) -> None:
    done = subprocess.run(cmd, env=db.env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s завершился с ошибкой: %(stderr)s")
            % {"tool": Path(cmd[0]).name, "stderr": done.stderr.strip()[-800:]}
        )


def media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def make_backup(*, db: Database, media_root: Path, out: Path) -> dict[str, Any]:
    """Write a backup folder at ``out`` (which must not exist or be empty); return its manifest."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(_("Папка %(out)s не пуста: укажите новую папку для копии.") % {"out": out})
    out.mkdir(parents=True, exist_ok=True)
    dump = out / DUMP_NAME
    _run(
        ["pg_dump", *db.args(), "--format=custom", "--no-owner", "--no-privileges", "-f", str(dump), db.name],
        db,
    )
    files = {DUMP_NAME: {"sha256": sha256_of(dump), "size": dump.stat().st_size}}
    for src in media_files(media_root):
        rel = src.relative_to(media_root).as_posix()
        dst = out / MEDIA_DIR / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        files[f"{MEDIA_DIR}/{rel}"] = {"sha256": sha256_of(dst), "size": dst.stat().st_size}
    manifest = {
        "format": "roadmaps-backup",
        "format_version": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": db.name,
        "files": files,
    }
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def verify_backup(src: Path) -> dict[str, Any]:
    """Check the manifest against the folder: every listed file present with its checksum, and no
    unlisted media file. Raises BackupError naming the first bad file."""
    manifest_path = src / MANIFEST_NAME
    if not manifest_path.exists():
        raise BackupError(
            _("В папке %(src)s нет %(manifest)s: это не резервная копия портала.")
            % {"src": src, "manifest": MANIFEST_NAME}
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(
            _("%(manifest)s повреждён: %(exc)s") % {"manifest": MANIFEST_NAME, "exc": exc}
        ) from exc
    if manifest.get("format") != "roadmaps-backup" or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("Неизвестный формат копии (%(got)s), ожидается roadmaps-backup %(version)s.")
            % {"got": f"{manifest.get('format')} {manifest.get('format_version')}", "version": FORMAT_VERSION}
        )
    files = manifest.get("files", {})
    if DUMP_NAME not in files:
        raise BackupError(_("В описи нет %(dump)s.") % {"dump": DUMP_NAME})
    for rel, meta in files.items():
        if rel.startswith("/") or ".." in Path(rel).parts:
            raise BackupError(_("Путь %(rel)s в описи выходит за пределы копии.") % {"rel": rel})
        path = src / rel
        if not path.is_file():
            raise BackupError(_("Файл %(rel)s указан в описи, но его нет в копии.") % {"rel": rel})
        if sha256_of(path) != meta["sha256"]:
            raise BackupError(
                _("Контрольная сумма файла %(rel)s не совпадает с описью: копия повреждена.") % {"rel": rel}
            )
    listed = {rel for rel in files if rel.startswith(MEDIA_DIR + "/")}
    for path in media_files(src / MEDIA_DIR):
        rel = path.relative_to(src).as_posix()
        if rel not in listed:
            raise BackupError(_("Файл %(rel)s есть в копии, но не указан в описи.") % {"rel": rel})
    return manifest


def database_has_tables(db: Database) -> bool:
    done = subprocess.run(
        [
            "psql",
            *db.args(),
            "-d",
            db.name,
            "-tAc",
            "select count(*) from pg_tables where schemaname = 'public'",
        ],
        env=db.env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(
            _("Не удалось подключиться к базе %(db)s: %(stderr)s")
            % {"db": db.name, "stderr": done.stderr.strip()[-400:]}
        )
    return int(done.stdout.strip() or 0) > 0


def restore_backup(*, src: Path, db: Database, media_root: Path, replace: bool = False) -> dict[str, Any]:
    """Verify ``src``, then restore the database into ``db`` and the files into ``media_root``."""
    manifest = verify_backup(src)
    if database_has_tables(db) and not replace:
        raise BackupError(
            _(
                "В базе %(db)s уже есть таблицы. Восстанавливайте в пустую базу "
                "или укажите --replace, чтобы заменить её содержимое."
            )
            % {"db": db.name}
        )
    cmd = ["pg_restore", *db.args(), "--no-owner", "--no-privileges", "--exit-on-error", "-d", db.name]
    if replace:
        cmd += ["--clean", "--if-exists"]
    _run([*cmd, str(src / DUMP_NAME)], db)
    media_root.mkdir(parents=True, exist_ok=True)
    for rel in manifest["files"]:
        if not rel.startswith(MEDIA_DIR + "/"):
            continue
        dst = media_root / rel[len(MEDIA_DIR) + 1 :]
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / rel, dst)
    return manifest
