"""`manage.py backup` and `manage.py restore` against real PostgreSQL: the demo plus uploaded files
are backed up, restored into an empty throwaway database and a fresh media folder, and every
table (row count and a hash of its content) and every file (sha256) is compared.

The rows must be committed for pg_dump to see them (``transaction=True``).
"""

import json
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import MANIFEST_NAME, Database, sha256_of
from monitoring.models import Evidence, ExecutionReport


def _connect(db: Database, name: str | None = None):  # noqa: ANN202 - a psycopg2 connection
    return psycopg2.connect(
        dbname=name or db.name,
        host=db.host or None,
        port=db.port or None,
        user=db.user or None,
        password=db.password or None,
    )


@pytest.fixture
def empty_database():
    """A throwaway database next to the test database, dropped afterwards."""
    source = Database.from_settings(connection.settings_dict)
    name = f"{source.name}_restore"
    admin = _connect(source, "postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(
            name=name, host=source.host, port=source.port, user=source.user, password=source.password
        )
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def table_fingerprints(db: Database) -> dict[str, tuple[int, str]]:
    """Every public table: (rows, md5 of its rows as text in a stable order), plus sequences."""
    out: dict[str, tuple[int, str]] = {}
    conn = _connect(db)
    try:
        with conn.cursor() as cur:
            cur.execute("select tablename from pg_tables where schemaname = 'public' order by 1")
            for (table,) in cur.fetchall():
                cur.execute(
                    f"select count(*), coalesce(md5(string_agg(t::text, chr(10) order by t::text)), '') from \"{table}\" t"
                )
                out[table] = cur.fetchone()
            cur.execute("select sequencename, last_value from pg_sequences where schemaname = 'public'")
            for name, value in cur.fetchall():
                out[f"sequence {name}"] = (value or 0, "")
    finally:
        conn.close()
    return out


def file_fingerprints(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256_of(p) for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_it_restores_every_table_and_file_into_an_empty_database(
    committed_demo, tmp_path, empty_database, media_in_tmp
):
    report = ExecutionReport.objects.first()
    evidence = Evidence(
        region_id=report.region_id, report=report, kind=Evidence.Kind.FILE, original_name="Протокол.pdf"
    )
    evidence.file.save("protocol.pdf", ContentFile(b"%PDF-1.4\n% backup test\n%%EOF\n"), save=False)
    evidence.save()
    source = Database.from_settings(connection.settings_dict)
    media = Path(settings.MEDIA_ROOT)
    assert len(file_fingerprints(media)) >= 2  # the demo's evidence and the one just uploaded

    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert set(manifest["files"]) >= {"database.dump"} | {f"media/{rel}" for rel in file_fingerprints(media)}

    restored_media = tmp_path / "restored-media"
    url = f"postgres://{empty_database.user}@{empty_database.host or '127.0.0.1'}:{empty_database.port or 5432}/{empty_database.name}"
    call_command("restore", str(out), database_url=url, media_root=str(restored_media))

    before, after = table_fingerprints(source), table_fingerprints(empty_database)
    assert before["roadmaps_item"][0] > 0 and before["monitoring_evidence"][0] > 0
    differing = {
        t: (before.get(t), after.get(t))
        for t in before.keys() | after.keys()
        if before.get(t) != after.get(t)
    }
    assert not differing
    assert file_fingerprints(restored_media) == file_fingerprints(media)

    # Restoring again over the now non-empty database is refused, naming it.
    with pytest.raises(CommandError, match=empty_database.name):
        call_command("restore", str(out), database_url=url, media_root=str(restored_media))


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_backup_whose_file_was_altered(committed_demo, tmp_path, empty_database, media_in_tmp):
    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    victim = next(rel for rel in manifest["files"] if rel.startswith("media/"))
    (out / victim).write_bytes(b"tampered")
    url = f"postgres://{empty_database.user}@{empty_database.host or '127.0.0.1'}:{empty_database.port or 5432}/{empty_database.name}"
    with pytest.raises(CommandError, match="Контрольная сумма файла"):
        call_command("restore", str(out), database_url=url, media_root=str(tmp_path / "m"))
    # Nothing was restored: the checksums are checked before the database is touched.
    assert table_fingerprints(empty_database) == {}
