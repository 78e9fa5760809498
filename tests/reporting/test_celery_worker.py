"""A real Celery worker against Redis builds a report end to end, retrying a transient failure.

The worker is a separate process started from the project's own virtualenv, listening on a queue
of its own, pointed at the test database (the test commits its rows: ``transaction=True``).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from monitoring.models import MonitoringRound
from reporting.models import Report
from reporting.tasks import build_report_task

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker(celery_in_process, media_in_tmp):
    broker = settings.CELERY_BROKER_URL
    if not broker:
        pytest.fail(
            "Для теста с настоящим воркером нужен Redis: запускайте через `make test` (или задайте REDIS_URL)."
        )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "REPORTS_FAULT_INJECTION": "1",
        "DJANGO_MEDIA_ROOT": str(media_in_tmp),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    log = open(media_in_tmp / f"{queue}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-l",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    celery_in_process.conf.task_always_eager = False
    try:
        yield queue, media_in_tmp / f"{queue}.log"
    finally:
        celery_in_process.conf.task_always_eager = True
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for(report_id: int, timeout: float = 90) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = Report.objects.get(pk=report_id)
        if report.finished:
            return report
        time.sleep(0.5)
    raise AssertionError(
        f"report {report_id} not finished in {timeout}s: {report.status} {report.progress}% {report.message}"
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_a_report_and_retries_a_transient_failure(committed_demo, worker):
    queue, log_path = worker
    round_ = MonitoringRound.objects.filter(state="closed").first()
    report = Report.objects.create(
        region=round_.region,
        kind="quarterly",
        fmt="xlsx",
        title="тест воркера",
        params={"round": round_.pk, "_transient_failures": 1},
        automatic=True,  # nobody asked: built as the region's system requester
    )
    build_report_task.apply_async((report.pk,), queue=queue)
    done = wait_for(report.pk)
    log = log_path.read_text()
    assert done.status == "done", (done.message, log[-2000:])
    assert done.attempts == 2, log[-2000:]  # the first attempt failed on purpose and was retried
    assert "injected transient failure" in log
    assert done.file.size > 0 and done.filename.endswith(".xlsx")
    # The same job delivered again (acks_late redelivery, a double click) does not build twice.
    name = done.file.name
    build_report_task.apply_async((report.pk,), queue=queue)
    time.sleep(2)
    done.refresh_from_db()
    assert done.file.name == name and done.attempts == 2
