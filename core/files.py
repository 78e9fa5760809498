"""Files follow transactions.

A file and the row that names it are two writes, only one of them transactional. The rules:

- a new file is written, then its row is linked (``save_file``); if the service's transaction
  fails (``files_atomic``), the files it wrote are deleted, so a refused or failed save leaves no
  file behind;
- a replaced or removed file is deleted only after the transaction commits
  (``delete_after_commit``): a rollback keeps the row and its file together;
- what no code path can clean — a process killed between writing a file and committing its row,
  an upload's temporary file left by a killed worker — is found by ``manage.py check_storage``
  (orphans past a grace period, rows naming missing files) and removed with ``--delete-orphans``.
"""

import contextlib
import contextvars
import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile

P = ParamSpec("P")
R = TypeVar("R")
_written: contextvars.ContextVar[list[tuple[Any, str]] | None] = contextvars.ContextVar(
    "files_written", default=None
)


def save_file(field_file: FieldFile, name: str, content: File) -> None:
    """Write ``content`` for ``field_file`` (its row is saved by the caller, in the same transaction)."""
    field_file.save(name, content, save=False)
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


def delete_after_commit(field_file: FieldFile | None) -> None:
    """Delete a replaced or removed file once the transaction that let go of it commits."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


def files_atomic(func: Callable[P, R]) -> Callable[P, R]:
    """``transaction.atomic`` that also deletes the files ``save_file`` wrote if the block fails."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        outer = _written.get()
        written: list[tuple[Any, str]] = []
        token = _written.set(written)
        try:
            with transaction.atomic():
                result = func(*args, **kwargs)
        except BaseException:
            for storage, name in written:
                with contextlib.suppress(OSError):
                    storage.delete(name)
            raise
        finally:
            _written.reset(token)
        if outer is not None:
            outer.extend(written)  # an enclosing block that fails removes them too
        return result

    return wrapper
