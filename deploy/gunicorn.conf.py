"""gunicorn hooks for the portal (docker-compose, the load benchmarks and the fault scripts use them:
``gunicorn -c deploy/gunicorn.conf.py config.wsgi:application …``).

Each worker gets a folder of its own for Django's temporary upload files (``FILE_UPLOAD_TEMP_DIR``),
and the master removes it when the worker exits — also when it was killed mid-upload, which Django
itself cannot clean up after (README «Сценарии отказов»: killed upload).
"""

import os
import shutil
import tempfile
from typing import Any

UPLOADS = os.environ.get("GUNICORN_UPLOAD_TEMP_ROOT") or os.path.join(tempfile.gettempdir(), "portal-uploads")


def worker_folder(pid: int) -> str:
    return os.path.join(UPLOADS, str(pid))


def on_starting(server: Any) -> None:
    shutil.rmtree(UPLOADS, ignore_errors=True)  # what a killed master left behind


def post_fork(server: Any, worker: Any) -> None:
    # Runs in the new worker before it loads Django, so settings read this folder.
    folder = worker_folder(worker.pid)
    os.makedirs(folder, exist_ok=True)
    os.environ["DJANGO_FILE_UPLOAD_TEMP_DIR"] = folder


def child_exit(server: Any, worker: Any) -> None:
    shutil.rmtree(worker_folder(worker.pid), ignore_errors=True)
