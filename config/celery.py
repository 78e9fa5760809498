"""The Celery application.

With no broker configured (the demo run) settings switch tasks to eager mode, so the
same code runs in-process; production and the test suite use Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("roadmaps_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.celery.heartbeat", ignore_result=True, expires=55)
def heartbeat() -> None:
    """A worker took a task from the queue: /healthz reports the age of the last one."""
    from core.health import record_heartbeat

    record_heartbeat()
