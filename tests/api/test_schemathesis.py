"""Property-based run of schemathesis against the published schema with a coordinator's token:
every GET operation, a bounded number of generated requests each, and no answer may be a 5xx."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from schools import tokens

pytestmark = pytest.mark.django_db
HEADERS: dict[str, str] = {}


@pytest.fixture
def api_schema(cast, settings_throttle_off):
    _row, secret = tokens.do_create_api_token(user=cast["tomsk-coordinator"], name="schemathesis")
    HEADERS["Authorization"] = f"Bearer {secret}"
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=HEADERS)
    return schema.include(method="GET")


@pytest.fixture
def settings_throttle_off(settings):
    # Calling the WSGI app directly (not Django's test client) would close the test's
    # transaction-bound connection at the end of each request; keep it open as the client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "100000/minute"}}
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_get_operation_answers_with_a_server_error(api_schema):
    # One hypothesis run per operation, driven here rather than by schemathesis' pytest plugin
    # (its fixture loader relies on a pytest internal that pytest 9 removed).
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            response = case.call(headers=HEADERS)
            case.validate_response(response, checks=[not_a_server_error])

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
