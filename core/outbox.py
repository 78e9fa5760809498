"""Work that must happen after a commit, which a broker outage only delays.

``enqueue(task_name, *args)`` writes an ``OutboxMessage`` in the caller's transaction and
publishes the task when it commits. If the broker cannot be reached the request still succeeds
(the row is the promise); ``sweep()``, run every minute by beat, publishes what never reached the
broker and what was published long ago but never finished (a message lost with a restarted
Redis, a worker killed with it). A task that succeeds deletes its row (``task_success``); one that
fails for good marks it failed and is left for an administrator. Tasks sent this way must be
idempotent: they run at least once.

``publish`` is also the one place that sends a task and survives a missing broker; reports use it
with their own state as the outbox (``reporting.services.dispatch_report``).
"""

import contextlib
import contextvars
import datetime as dt
import importlib
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import OutboxMessage

log = logging.getLogger(__name__)
TASK_ID = re.compile(r"^outbox-(\d+)-\d+$")


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError as KombuOperationalError

    return (KombuOperationalError, ConnectionError, TimeoutError, OSError)


class Watch:
    """What a block tried to publish and could not (``watch()``)."""

    def __init__(self) -> None:
        self.delayed: list[str] = []


_watching: contextvars.ContextVar[Watch | None] = contextvars.ContextVar("outbox_watch", default=None)


@contextlib.contextmanager
def watch() -> Iterator[Watch]:
    """Lets a view tell the user that work was accepted but waits for the broker::

    with outbox.watch() as w:
        do_something()  # its transaction commits inside the block
    if w.delayed:
        messages.warning(request, outbox.delayed_message())
    """
    current = Watch()
    token = _watching.set(current)
    try:
        yield current
    finally:
        _watching.reset(token)


def delayed_message() -> str:
    return _(
        "Очередь фоновых задач сейчас недоступна. Всё сохранено, а работа принята и будет выполнена "
        "автоматически, как только очередь заработает."
    )


def publish(task_name: str, args: list, *, task_id: str | None = None, **options: Any) -> bool:
    """Send a task to the broker; False (logged, not raised) when the broker cannot be reached."""
    from celery import current_app

    if task_name not in current_app.tasks:
        # Tasks are discovered lazily; the name says which module declares it.
        importlib.import_module(task_name.rsplit(".", 1)[0])
    task = current_app.tasks[task_name]
    try:
        task.apply_async(args=args, task_id=task_id, **options)
    except _broker_errors() as exc:
        log.warning("broker unreachable, %s%s left for the sweeper: %s", task_name, tuple(args), exc)
        current = _watching.get()
        if current is not None:
            current.delayed.append(task_name)
        return False
    return True


def enqueue(task_name: str, *args: Any) -> OutboxMessage:
    """Record ``task_name(*args)`` in the current transaction; publish it on commit."""
    message = OutboxMessage.objects.create(task=task_name, args=list(args))
    transaction.on_commit(lambda: _send(message.pk))
    return message


def _send(pk: int) -> bool:
    message = OutboxMessage.objects.filter(pk=pk, failed_at__isnull=True).first()
    if message is None:
        return True  # done already
    ok = publish(message.task, message.args, task_id=f"outbox-{pk}-{message.attempts + 1}")
    # A quick worker may have finished and deleted the row already: then this updates nothing.
    # Never reaching the broker leaves published_at empty: the sweeper takes it after the grace.
    changes = (
        {"published_at": timezone.now()} if ok else {"published_at": None, "last_error": "broker unreachable"}
    )
    OutboxMessage.objects.filter(pk=pk).update(attempts=F("attempts") + 1, **changes)
    return ok


def sweep(*, limit: int = 500) -> int:
    """Publish messages that never reached the broker or were lost after it; returns how many
    were sent. Stops at the first failure: the broker is still down, the next sweep goes on."""
    now = timezone.now()
    grace = dt.timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    lease = dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    due = (
        OutboxMessage.objects.filter(failed_at__isnull=True)
        .filter(Q(published_at__isnull=True, created_at__lt=now - grace) | Q(published_at__lt=now - lease))
        .order_by("pk")
        .values_list("pk", "published_at")[:limit]
    )
    sent = 0
    for pk, published_at in list(due):
        # Claimed with a conditional UPDATE: two sweepers never publish the same row twice.
        claimed = OutboxMessage.objects.filter(pk=pk, published_at=published_at).update(published_at=now)
        if not claimed:
            continue
        if not _send(pk):
            break
        sent += 1
    return sent


def _outbox_id(sender: Any) -> int | None:
    task_id = getattr(getattr(sender, "request", None), "id", None) or ""
    match = TASK_ID.match(task_id)
    return int(match.group(1)) if match else None


def _on_success(sender: Any = None, **kwargs: Any) -> None:
    pk = _outbox_id(sender)
    if pk is not None:
        OutboxMessage.objects.filter(pk=pk).delete()


def _on_failure(sender: Any = None, exception: BaseException | None = None, **kwargs: Any) -> None:
    pk = _outbox_id(sender)
    if pk is not None:
        OutboxMessage.objects.filter(pk=pk).update(failed_at=timezone.now(), last_error=str(exception)[:2000])


def connect_signals() -> None:
    from celery.signals import task_failure, task_success

    task_success.connect(_on_success, dispatch_uid="core.outbox.success")
    task_failure.connect(_on_failure, dispatch_uid="core.outbox.failure")


class DelayedWorkMiddleware:
    """After MessageMiddleware: if a request's work could not reach the broker, the page says it
    was accepted and will run (the API answers the same in the ``X-Work-Delayed`` header)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with watch() as current:
            response = self.get_response(request)
        if current.delayed:
            response["X-Work-Delayed"] = "1"
            if hasattr(request, "_messages"):
                messages.warning(request, delayed_message())
        return response
