"""The test infrastructure itself: a test that commits gets the seeded demo back exactly
(tests/demo_snapshot.py), whatever the test before it changed, deleted, added or removed on disk."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from monitoring.models import Evidence
from roadmaps.models import ItemExecutor
from schools.models import User
from tests import demo_snapshot


def fingerprint() -> dict[str, tuple[int, str]]:
    """Every model table: (rows, md5 of its rows as text in a stable order)."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(
                f"select count(*), coalesce(md5(string_agg(t::text, chr(10) order by t::text)), '') "
                f"from {connection.ops.quote_name(table)} t"
            )
            out[table] = cursor.fetchone()
    return out


@pytest.mark.django_db(transaction=True)
def test_a_committing_test_gets_the_seeded_demo_back_row_for_row_and_file_for_file(
    committed_demo, media_in_tmp
):
    seeded = fingerprint()
    assert seeded["roadmaps_item"][0] > 0 and seeded["monitoring_obligation"][0] > 0
    evidence = Evidence.objects.exclude(file="").exclude(file__isnull=True).first()
    path = Path(media_in_tmp) / evidence.file.name
    size = path.stat().st_size

    # What a journey does: edits, deletes (cascading), adds rows, and a file disappears.
    User.objects.filter(username="tomsk-director").update(full_name="Изменено тестом")
    Evidence.objects.filter(pk=evidence.pk).delete()
    ItemExecutor.objects.filter(pk__in=ItemExecutor.objects.values("pk")[:10]).delete()
    added = User.objects.create(username="added-by-a-test")
    path.unlink()
    assert fingerprint() != seeded

    demo_snapshot.restore()

    assert fingerprint() == seeded
    assert path.is_file() and path.stat().st_size == size
    assert not User.objects.filter(username="added-by-a-test").exists()
    # A new row gets an id never used before: the sequences were not rewound.
    assert User.objects.create(username="added-again").pk > added.pk


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_that_restarts_the_sequences_new_rows_do_not_collide_with_the_demo(committed_demo):
    seeded = fingerprint()
    demo_users = max_pk("schools_user")
    call_command("flush", interactive=False, verbosity=0)  # sequences restart at 1

    demo_snapshot.restore()

    assert fingerprint() == seeded
    assert User.objects.create(username="added-after-restart").pk > demo_users > 0


def max_pk(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"select coalesce(max(id), 0) from {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]
