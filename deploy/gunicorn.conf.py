"""gunicorn hooks for the portal (docker-compose, the load benchmarks and the fault scripts use them:
``gunicorn -c deploy/gunicorn.conf.py config.wsgi:application …``).

Each worker gets a folder of its own for Django's temporary upload files (``FILE_UPLOAD_TEMP_DIR``),
and the master removes it when the worker exits — also when it was killed mid-upload, which Django
itself cannot clean up after (README «Сценарии отказов»: killed upload).

Once a worker has loaded Django it moves everything alive then out of the garbage collector's
sight (``gc.freeze``): a full collection otherwise walks those ~125 000 startup objects each time,
and that pause (tens of ms on a busy core) landed on whichever request happened to trigger it.
"""

import gc
import os
import shutil
import tempfile
from importlib import import_module
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


def post_worker_init(worker: Any) -> None:
    # The URLconf imports every view, form and serializer: load it now so they are frozen too
    # rather than created by the first request. Startup objects live as long as the worker.
    from django.conf import settings

    import_module(settings.ROOT_URLCONF)
    gc.collect()
    gc.freeze()


def child_exit(server: Any, worker: Any) -> None:
    shutil.rmtree(worker_folder(worker.pid), ignore_errors=True)
