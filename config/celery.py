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
