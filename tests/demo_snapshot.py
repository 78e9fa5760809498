"""The seeded demo, taken once per test session and put back in a second or two.

Seeding the living demo (``seed_demo``: both regions, the roadmaps parsed from their DOCX/XLSX/PDF
sources, a year of obligations, rounds with their quarterly reports built) takes ~20 s. Tests
whose rows must be committed — browser journeys against the live server, real Celery workers,
pg_dump — run with ``transaction=True``, and Django empties every table after each of them. They
used to seed again; now they call :func:`restore`, which empties the same tables and copies back
the rows taken right after the session's own seeding (``COPY … TO/FROM STDIN``, binary), plus
the demo's files in MEDIA_ROOT that a test removed or changed. The result is the database the
session's seeding left, row for row with the same ids.

Sequences never go back: each is set to the larger of its value now and its value at the
snapshot (a ``flush`` with reset sequences may have restarted it), so a row a test creates after
a restore never takes an id of the demo's rows.
"""

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction


@dataclass
class _Table:
    name: str
    columns: list[str]
    data: bytes


@dataclass
class _Snapshot:
    tables: list[_Table]
    sequences: dict[str, int]  # sequence name → last value
    media: Path  # a copy of MEDIA_ROOT as the seeding left it
    media_root: Path


_snapshot: _Snapshot | None = None


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> list[str]:
    """What ``flush`` (TransactionTestCase's teardown) empties: every table of every model."""
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _columns(cursor, table: str) -> list[str]:
    return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _copy_out(cursor, sql: str) -> bytes:
    raw = cursor.cursor  # the driver's cursor under Django's wrapper
    buf = io.BytesIO()
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, buf)
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            for block in copy:
                buf.write(block)
    return buf.getvalue()


def _copy_in(cursor, sql: str, data: bytes) -> None:
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):
        raw.copy_expert(sql, io.BytesIO(data))
    else:
        with raw.copy(sql) as copy:
            copy.write(data)


def delete_all(tables: list[str]) -> list[str]:
    """Empty ``tables`` row by row, in one transaction (the foreign keys are checked at its end).

    For the demo's few thousand rows this is several times quicker than TRUNCATE, which creates
    new files for every table and index (~50 tables, ~260 indexes) and waits for them on disk.
    """
    return [f"DELETE FROM {_quote(table)}" for table in tables]


def take(media_root: Path, keep: Path) -> None:
    """Remember every model table's rows and a copy of ``media_root`` (kept under ``keep``)."""
    global _snapshot
    tables = []
    with transaction.atomic(), connection.cursor() as cursor:
        for name in _tables():
            columns = _columns(cursor, name)
            cols = ", ".join(_quote(c) for c in columns)
            data = _copy_out(cursor, f"COPY {_quote(name)} ({cols}) TO STDOUT (FORMAT binary)")
            tables.append(_Table(name, columns, data))
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
        sequences = dict(cursor.fetchall())
    media = keep / "media"
    if media.exists():
        shutil.rmtree(media)
    shutil.copytree(media_root, media, symlinks=True)
    _snapshot = _Snapshot(tables=tables, sequences=sequences, media=media, media_root=Path(media_root))


def restore() -> None:
    """Put the seeded demo back: every model table exactly as taken, and the seeding's files."""
    if _snapshot is None:
        raise RuntimeError("demo_snapshot.take() was not called: the session fixture seeds and takes it")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for statement in delete_all([t.name for t in _snapshot.tables]):
            cursor.execute(statement)
        for table in _snapshot.tables:
            if not table.data:
                continue
            cols = ", ".join(_quote(c) for c in table.columns)
            _copy_in(cursor, f"COPY {_quote(table.name)} ({cols}) FROM STDIN (FORMAT binary)", table.data)
        if _snapshot.sequences:
            names, values = zip(*_snapshot.sequences.items(), strict=True)
            cursor.execute(
                "SELECT setval(format('%%I.%%I', s.schemaname, s.sequencename)::regclass,"
                " greatest(v.value, coalesce(s.last_value, 0)))"
                " FROM pg_sequences s JOIN unnest(%s::text[], %s::bigint[]) AS v(name, value)"
                " ON v.name = s.sequencename WHERE s.schemaname = current_schema()",
                [list(names), list(values)],
            )
    # Content types were recreated with other ids by flush's post_migrate: forget the cached ones.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    _restore_media()


def _restore_media() -> None:
    """The seeding's files back where a test removed or changed them; files tests added stay."""
    assert _snapshot is not None
    for source in _snapshot.media.rglob("*"):
        if not source.is_file():
            continue
        target = _snapshot.media_root / source.relative_to(_snapshot.media)
        if not target.is_file() or target.stat().st_size != source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
