"""Property-based run of schemathesis against the published schema: every operation (reads and
writes) with a coordinator's token, valid and invalid generated requests, every response checked
against what the schema promises. Writes happen inside the test's transaction and are rolled back.

Checks left out, and why:

- ``positive_data_acceptance`` — a schema can say what a well-formed request is, not which state
  an object is in: an «accept» on a report that is not submitted, a questionnaire answer after the
  lock date, are valid-looking requests rightly refused with 400/409.
- ``use_after_free``, ``ensure_resource_availability``, ``object_level_authorization`` — they
  follow links between operations in a stateful run over several identities; this run is one
  operation at a time (cross-region access is proven by ``tests/test_url_access.py``).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from config.wsgi import application
from schools import tokens

pytestmark = pytest.mark.django_db
HEADERS: dict[str, str] = {}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
]
MAX_EXAMPLES = 6


@pytest.fixture
def api_schema(cast, settings_throttle_off):
    _row, secret = tokens.do_create_api_token(user=cast["tomsk-coordinator"], name="schemathesis")
    HEADERS["Authorization"] = f"Bearer {secret}"
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=HEADERS)


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


def test_every_operation_keeps_the_promises_of_the_schema(api_schema):
    # One hypothesis run per operation and mode, driven here rather than by schemathesis' pytest
    # plugin (its fixture loader relies on a pytest internal that pytest 9 removed).
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def run(case):
                response = case.call(headers=HEADERS)
                case.validate_response(response, checks=CHECKS, headers=HEADERS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # collect them all, then report together
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert operations == 38
    assert not failures, "\n\n".join(failures)
