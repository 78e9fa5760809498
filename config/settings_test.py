"""Settings for the test suite (pyproject's DJANGO_SETTINGS_MODULE): production settings with a
throwaway secret key, so that the suite runs with DEBUG off — as production does — while
production itself still refuses to start without DJANGO_SECRET_KEY.

The key goes into the environment, so processes the tests start (a Celery worker,
``manage.py check``) get the same one.
"""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + secrets.token_urlsafe(48))

from config.settings import *  # noqa: E402,F403

# The test client and the browser journeys speak plain HTTP to the test server; everything else
# (DEBUG off, CSP, lockouts, the cache) stays as in production. tests/test_security_settings.py
# checks the production values themselves with `manage.py check --deploy` in a subprocess.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False

# A "replica" alias on the test database (a mirror, as a streaming standby holds the same data),
# used only where a test turns READ_FROM_REPLICA on (tests/core/test_scale_out.py): a second
# connection cannot see a test's uncommitted rows, so every other test reads "default".
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
READ_FROM_REPLICA = False
