"""A worker killed in the middle of a build (its pool child, or the whole process group) does not
stall the report: it is finished exactly once after a worker is available again.

Real processes: a prefork Celery worker against Redis and the test database (rows committed:
``transaction=True``). A test hook makes the build slow (``_slow_seconds``) so the kill lands
mid-build; heartbeat and staleness are shortened through the environment, as an operator could.
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

from monitoring.models import MonitoringRound
from reporting import services
from reporting.models import Report
from tests.reporting.test_celery_worker import database_url

ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 4


class Worker:
    """A prefork worker (one pool child) in its own process group."""

    def __init__(self, queue: str, media: Path) -> None:
        self.queue, self.media = queue, media
        self.log_path = media / f"{queue}-{uuid.uuid4().hex[:6]}.log"
        env = os.environ | {
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "REPORTS_FAULT_INJECTION": "1",
            "REPORT_HEARTBEAT_SECONDS": "1",
            "REPORT_STALE_SECONDS": str(STALE_SECONDS),
            "DJANGO_MEDIA_ROOT": str(media),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-Q",
                queue,
                "-l",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{queue}-{uuid.uuid4().hex[:4]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the test can kill all of it
        )

    def pool_child(self) -> int:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def kill_group(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text()[-3000:]


@pytest.fixture
def workers(celery_in_process, media_in_tmp, settings):
    if not settings.CELERY_BROKER_URL:
        pytest.fail("Для теста с настоящим воркером нужен Redis: задайте REDIS_URL.")
    settings.REPORT_STALE_SECONDS = STALE_SECONDS  # the sweeper runs in this process
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    started: list[Worker] = []

    def start() -> Worker:
        started.append(Worker(queue, media_in_tmp))
        return started[-1]

    old_queue = celery_in_process.conf.task_default_queue
    celery_in_process.conf.task_always_eager = False
    celery_in_process.conf.task_default_queue = queue  # what the sweeper publishes goes there too
    try:
        yield start
    finally:
        celery_in_process.conf.task_always_eager = True
        celery_in_process.conf.task_default_queue = old_queue
        for worker in started:
            worker.stop()


def slow_report() -> Report:
    # The demo (``committed_demo``) has quarterly reports of its own: out of the workers' way.
    Report.objects.all().delete()
    round_ = MonitoringRound.objects.filter(state="closed").first()
    return Report.objects.create(
        region=round_.region,
        kind="quarterly",
        fmt="xlsx",
        title="воркер убит",
        params={"round": round_.pk, "_slow_seconds": 3},
        automatic=True,
    )


def wait(condition, what: str, timeout: float, worker: Worker, sweep: bool = False) -> None:
    """Poll until ``condition()``; with ``sweep`` the test plays beat, calling the sweeper each second."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if sweep:
            services.sweep_reports()
        time.sleep(1)
    raise AssertionError(f"{what} did not happen in {timeout}s; worker log:\n{worker.output()}")


def building(report: Report) -> bool:
    report.refresh_from_db()
    return report.status == "running" and report.message == "slow build (test)"


def finished(report: Report) -> bool:
    report.refresh_from_db()
    return report.finished


def report_files(media: Path) -> set[str]:
    return {str(p.relative_to(media)) for p in (media / "reports").rglob("*") if p.is_file()}


def unowned(files: set[str]) -> set[str]:
    """Files no report row points at (a run that lost its claim leaves none behind)."""
    return files - set(Report.objects.values_list("file", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_pool_child_is_killed_is_finished_once(committed_demo, workers, media_in_tmp):
    report = slow_report()
    before = report_files(media_in_tmp)
    worker = workers()
    assert services.dispatch_report(report.pk)
    wait(lambda: building(report), "the build starting", 120, worker)
    os.kill(worker.pool_child(), signal.SIGKILL)
    # The parent sees its child lost, the message is rejected back to the queue (acks_late,
    # reject_on_worker_lost) and the same task claims the report again.
    wait(lambda: finished(report), "the report finishing", 120, worker)
    assert report.status == "done", (report.message, worker.output())
    assert report.attempts == 2, worker.output()
    assert report.file and not unowned(report_files(media_in_tmp) - before)


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_whole_worker_is_killed_is_finished_once_by_the_next_worker(
    committed_demo, workers, media_in_tmp
):
    report = slow_report()
    before = report_files(media_in_tmp)
    first = workers()
    assert services.dispatch_report(report.pk)
    wait(lambda: building(report), "the build starting", 120, first)
    dead_task_id = report.task_id
    first.kill_group()  # master and child at once: nobody gives the message back
    second = workers()
    # Beat's sweeper (here: the test, once a second) sees the silent report and queues it again.
    wait(lambda: finished(report), "the report finishing", 120, second, sweep=True)
    assert report.status == "done", (report.message, second.output())
    assert report.attempts == 2, second.output()
    assert report.file and not unowned(report_files(media_in_tmp) - before)
    # The dead run's message, redelivered when its visibility timeout ends, finds it done.
    from reporting.tasks import build_report_task

    build_report_task.apply_async((report.pk,), task_id=dead_task_id)
    wait(lambda: "skipped" in second.output(), "the late redelivery being skipped", 60, second)
    report.refresh_from_db()
    assert report.attempts == 2 and not unowned(report_files(media_in_tmp) - before)
