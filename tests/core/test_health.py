"""/healthz: database and broker decide the status; the workers' heartbeat is reported beside them."""

import time

import pytest
from django.core.cache import cache

from core import health

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_a_login_and_before_host_checks(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.ru"]  # a probe from inside the container sends its own Host
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["broker"] in ("ok", "off")


def test_it_reports_a_fresh_and_a_stale_worker_heartbeat(client, settings):
    if not settings.CELERY_BROKER_URL:
        pytest.fail("Этот тест проверяет рабочую конфигурацию с брокером: запускайте через `make test`.")
    health.record_heartbeat()
    assert client.get("/healthz").json()["worker"] == "ok"
    cache.set(health.HEARTBEAT_KEY, time.time() - health.HEARTBEAT_STALE_SECONDS - 5)
    stale = client.get("/healthz")
    assert stale.status_code == 200 and stale.json()["worker"] == "stale"
    # A load balancer that wants the whole node alive asks strictly.
    assert client.get("/healthz", {"strict": "1"}).status_code == 503


def test_it_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down" and response.json()["database"] == "ok"


def test_it_answers_503_when_the_database_cannot_be_queried(client, monkeypatch):
    from django.db import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "down"


def test_the_heartbeat_task_records_the_worker(settings):
    from config.celery import heartbeat

    cache.delete(health.HEARTBEAT_KEY)
    heartbeat.apply()
    assert cache.get(health.HEARTBEAT_KEY) is not None
    assert "config.celery.heartbeat" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
