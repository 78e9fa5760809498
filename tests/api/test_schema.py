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


def test_it_serves_the_schema_to_a_token_and_not_to_anonymous(client, token_for):
    assert client.get("/api/v1/schema/").status_code == 401
    response = client.get("/api/v1/schema/", **token_for("tomsk-director"))
    assert response.status_code == 200
    assert b"/api/v1/obligations/{id}/submit/" in response.content


def test_the_docs_page_needs_a_login_and_uses_local_assets(client, client_for):
    anonymous = client.get("/api/v1/docs/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    page = client_for("tomsk-director").get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "https://" not in page
