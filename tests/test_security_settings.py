"""Production settings fail safe: checked in a separate process with a production-like
environment, as a deployment would start (the test suite itself runs on config.settings_test)."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "portal.example.ru",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def random_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=120
    )


def test_it_passes_the_deploy_check_in_production():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        DJANGO_SECRET_KEY=random_key(),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output and "WARNING" not in output


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = run(["manage.py", "check"], **PRODUCTION)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr
    assert "Задайте DJANGO_SECRET_KEY" in result.stderr


def test_commands_that_only_read_the_code_run_without_a_secret_key():
    """A migration check or a catalog build on a machine without secrets: no key needed, and
    nothing that signs or serves is let through by it."""
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    refused = run(["manage.py", "migrate", "--check"], **PRODUCTION)
    assert refused.returncode != 0 and "DJANGO_SECRET_KEY" in refused.stderr


def test_the_demo_run_starts_without_a_secret_key():
    result = run(["manage.py", "check"], DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings")
    assert result.returncode == 0, result.stderr


PRINT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'ssl': s.SECURE_SSL_REDIRECT, "
    "'proxy': s.SECURE_PROXY_SSL_HEADER, 'hsts': s.SECURE_HSTS_SECONDS, 'cookie': s.SESSION_COOKIE_SECURE, "
    "'referrer': s.SECURE_REFERRER_POLICY, 'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES']}))"
)


def production_settings(**env: str) -> dict:
    result = run(["-c", PRINT], **PRODUCTION, DJANGO_SECRET_KEY=random_key(), **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_uses_https_only_and_the_shared_cache():
    s = production_settings(REDIS_URL="redis://127.0.0.1:6379/9")
    assert s["cache"].endswith("RedisCache")
    assert s["ssl"] is True and s["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["hsts"] >= 365 * 24 * 3600 and s["cookie"] is True and s["referrer"] == "same-origin"
    assert s["csp"]["script-src"] == ["'self'"] and s["csp"]["style-src"] == ["'self'"]


def test_without_redis_the_cache_is_process_memory():
    result = run(["-c", PRINT], **PRODUCTION, DJANGO_SECRET_KEY=random_key(), REDIS_URL="", CACHE_URL="")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["cache"].endswith("LocMemCache")
