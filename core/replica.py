"""An optional read replica for heavy reads (report builds, exports).

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database (``READ_FROM_REPLICA``) and
this router sends the
reads made inside :func:`reads_from_replica` there; everything else — writes, and every read of
pages and the API — stays on ``default``. Without the setting the block is a no-op, so callers
never ask whether a replica exists. A replica lags behind by its replication delay: only work
that may see data a few seconds old reads from it (a report is a snapshot anyway).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db.models import Model

REPLICA = "replica"
_reading = ContextVar("reads_from_replica", default=False)


@contextmanager
def reads_from_replica() -> Iterator[None]:
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: object) -> str | None:
        if _reading.get() and settings.READ_FROM_REPLICA:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: object) -> str | None:
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool:
        return True  # one database and its copy: every object may link to every other

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db != REPLICA
