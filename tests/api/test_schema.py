"""The OpenAPI description: served behind the login, checked in as docs/openapi.yaml, valid."""

from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def generated() -> str:
    from io import StringIO

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return out.getvalue()


def test_the_checked_in_schema_matches_the_code():
    assert CHECKED_IN.read_text() == generated(), (
        "docs/openapi.yaml не совпадает с API в коде. Если изменение API намеренное, "
        "выполните `make schema` и добавьте docs/openapi.yaml в коммит."
    )


def test_it_serves_the_schema_without_a_token_and_it_equals_the_checked_in_one(client, token_for):
    anonymous = client.get("/api/v1/schema/")
    assert anonymous.status_code == 200
    assert anonymous.content.decode() == CHECKED_IN.read_text()
    assert client.get("/api/v1/schema/", **token_for("tomsk-director")).content == anonymous.content
    # Reading it is all an anonymous visitor may do.
    assert client.post("/api/v1/schema/").status_code in (401, 403, 405)
    assert client.get("/api/v1/regions/").status_code == 401


def test_the_docs_page_needs_a_login_and_uses_local_assets(client, client_for):
    anonymous = client.get("/api/v1/docs/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    page = client_for("tomsk-director").get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_the_schema_does_not_depend_on_the_database_backend(monkeypatch):
    """SQLite (the demo) reports 64-bit bounds for every integer; PostgreSQL the SQL types'. The
    schema describes the model's types, so the demo serves the same document as production."""
    from django.db import connection

    monkeypatch.setattr(connection.ops, "integer_field_range", lambda internal: (-(2**63), 2**63 - 1))
    assert generated() == CHECKED_IN.read_text()
