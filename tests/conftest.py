"""Shared fixtures: the demo regions are loaded once per test session into real PostgreSQL.

Each test runs inside a transaction rolled back at its end, so tests see the same two-region
cast (Томская область 70 and Тамбовская область 68) and cannot disturb each other.
"""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import demo_snapshot

PASSWORD = "demo-portal-2026"


def _compile_catalog() -> None:
    """The .mo is built, not committed (`make test` runs compilemessages); a bare `pytest` in a
    fresh checkout builds it here, so Russian plurals read right."""
    import subprocess
    from pathlib import Path

    po = Path(__file__).resolve().parent.parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
    # Django may have read the catalogs already while setting up: make it read them again.
    if settings.configured:
        from django.test.signals import setting_changed

        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


def pytest_configure(config):
    _compile_catalog()
    if not config.pluginmanager.hasplugin("django"):
        return  # pure-logic tests run without Django (-p no:django)
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            "Тесты работают только на PostgreSQL: задайте DATABASE_URL=postgres://… или запускайте через `make test`."
        )


@pytest.fixture(scope="session", autouse=True)
def celery_in_process():
    """Tasks run in the test's own process; tests of the real worker switch this off."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Tests log in hundreds of times; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete():
    """A test that commits (``transaction=True``) is followed by Django's ``flush`` of every table.
    PostgreSQL's TRUNCATE of ~50 tables and ~260 indexes takes seconds (new files for each, waited
    for on disk); the few thousand rows such a test leaves are deleted in a fraction of that. Only
    the plain flush changes: with sequences reset or CASCADE asked for, Django's own SQL runs."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # noqa: ANN001, ANN202
        if reset_sequences or allow_cascade or not tables:
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked once all rows are gone.
        return demo_snapshot.delete_all(sorted(tables))

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(scope="session", autouse=True)
def media_in_tmp(tmp_path_factory):
    """Uploaded and generated files go to a throwaway folder, not the working tree."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(root)
    yield root


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle and password-reset counters live in the shared cache (Redis under `make test`),
    which no transaction rolls back: each test starts with none of ours. Only keys under the
    portal's prefix are removed — the Celery broker may share the Redis database."""
    from django.core.cache import cache

    _clear_portal_keys(cache)
    yield
    _clear_portal_keys(cache)


def _clear_portal_keys(cache) -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("RedisCache"):
        client = cache._cache.get_client(write=True)
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup,
    django_db_blocker,
    celery_in_process,
    media_in_tmp,
    fast_password_hashing,
    tmp_path_factory,
):
    with django_db_blocker.unblock():
        call_command("seed_demo", password=PASSWORD, quiet=True)
        # Tests that commit their rows get this very demo back from it (``committed_demo``)
        # instead of seeding again.
        demo_snapshot.take(media_in_tmp, tmp_path_factory.mktemp("demo-snapshot"))


@pytest.fixture
def committed_demo(transactional_db) -> None:
    """The seeded demo, committed, for a ``transaction=True`` test (the live server's thread, a
    worker process or pg_dump read it): Django empties every table after such a test, so the
    demo is put back first — copied from the session's seeding, not seeded again
    (tests/demo_snapshot.py)."""
    demo_snapshot.restore()


@pytest.fixture
def cast(db) -> dict:
    """The demo users by username: tomsk-coordinator, tambov-director, admin, …"""
    from schools.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def client_for(client):
    """Log a test client in as one of the demo users: ``client_for("tomsk-director")``."""

    from schools.models import User

    def login(username: str):
        client.force_login(User.objects.get(username=username))
        return client

    return login
