"""A gunicorn worker killed mid-upload leaves no temporary file: each worker uploads into a folder
of its own that the master removes when the worker exits (deploy/gunicorn.conf.py). The fault
script (bench/faults/run.py, «killed upload») checks the same against a real gunicorn."""

import importlib.util
import os
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def load_hooks(tmp_path, monkeypatch):
    monkeypatch.setenv("GUNICORN_UPLOAD_TEMP_ROOT", str(tmp_path / "uploads"))
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "deploy" / "gunicorn.conf.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    return hooks


def test_a_worker_uploads_into_its_own_folder_and_the_master_removes_it_when_it_dies(tmp_path, monkeypatch):
    hooks = load_hooks(tmp_path, monkeypatch)
    monkeypatch.delenv("DJANGO_FILE_UPLOAD_TEMP_DIR", raising=False)
    worker, other = SimpleNamespace(pid=4242), SimpleNamespace(pid=4343)
    hooks.post_fork(None, worker)
    folder = Path(os.environ["DJANGO_FILE_UPLOAD_TEMP_DIR"])
    assert folder == tmp_path / "uploads" / "4242" and folder.is_dir()
    (folder / "tmpk1ll3d.upload.pdf").write_bytes(b"%PDF-1.4 half of a 15 MB file")
    hooks.post_fork(None, other)
    (tmp_path / "uploads" / "4343" / "tmpalive.upload.pdf").write_bytes(b"still arriving")

    hooks.child_exit(None, worker)  # SIGKILLed mid-upload: the master reaps it

    assert not folder.exists()
    assert (tmp_path / "uploads" / "4343" / "tmpalive.upload.pdf").exists()  # another worker's upload stays


def test_the_settings_read_the_workers_folder(monkeypatch):
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_FILE_UPLOAD_TEMP_DIR": "/tmp/portal-uploads/77"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.FILE_UPLOAD_TEMP_DIR)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "/tmp/portal-uploads/77"
