"""``/healthz``: is this node able to serve? Used by docker-compose healthchecks and load balancers.

Answered by the first middleware, before host validation and the HTTPS redirect, so a probe from
inside the container (``http://127.0.0.1:8000/healthz``) works; it shows no data, only states.
The database and the broker decide the status code (503 when either is down: this node cannot do
its work); the workers' heartbeat is reported beside them, and decides only with ``?strict=1``
(a web node should not be restarted because the workers are down).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

HEARTBEAT_KEY = "worker-heartbeat"
HEARTBEAT_STALE_SECONDS = 180


def record_heartbeat() -> None:
    """Called by the periodic heartbeat task on a worker."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=24 * 3600)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # noqa: BLE001 — any failure means «cannot serve»; the log has the details
        return "down"


def _broker() -> str:
    if not getattr(settings, "CELERY_BROKER_URL", ""):
        return "off"  # the demo: tasks run in-process
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        return "down"


def _worker() -> tuple[str, int | None]:
    if not getattr(settings, "CELERY_BROKER_URL", ""):
        return "off", None
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        return "unknown", None
    age = int(time.time() - beat)
    return ("ok" if age <= HEARTBEAT_STALE_SECONDS else "stale"), age


def healthz(request: HttpRequest) -> JsonResponse:
    database, broker = _database(), _broker()
    worker, age = _worker()
    healthy = database == "ok" and broker in ("ok", "off")
    if request.GET.get("strict") == "1":
        healthy = healthy and worker in ("ok", "off")
    body = {
        "status": "ok" if healthy else "fail",
        "database": database,
        "broker": broker,
        "worker": worker,
        "worker_heartbeat_age_seconds": age,
    }
    return JsonResponse(body, status=200 if healthy else 503)


class HealthCheckMiddleware:
    """First in MIDDLEWARE: ``/healthz`` never meets ALLOWED_HOSTS, the HTTPS redirect or a session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
