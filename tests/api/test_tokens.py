"""Personal API tokens: created and revoked on the profile page, shown once, stored as a hash."""

import pytest

from schools import tokens
from schools.models import ApiToken

pytestmark = pytest.mark.django_db


def test_it_creates_a_token_on_the_profile_page_and_shows_it_once(client_for):
    client = client_for("tomsk-director")
    page = client.post("/profile/", {"token_action": "create", "name": "выгрузка"})
    assert page.status_code == 200
    secret = page.context["new_token"]
    assert secret.startswith("rmp_") and secret in page.content.decode()
    row = ApiToken.objects.get(user__username="tomsk-director", name="выгрузка")
    assert secret not in (row.key_hash, row.prefix) and row.key_hash != secret
    again = client.get("/profile/").content.decode()
    assert secret not in again and f"rmp_{row.prefix}_" in again


def test_it_authenticates_with_bearer_and_token_keywords(client, token_for):
    for keyword in ("Bearer", "Token"):
        response = client.get("/api/v1/regions/", **token_for("tomsk-director", keyword))
        assert response.status_code == 200
        assert [r["code"] for r in response.json()["results"]] == ["70"]


def test_it_refuses_a_revoked_or_wrong_token(client, client_for, cast):
    row, secret = tokens.do_create_api_token(user=cast["tomsk-director"], name="старый")
    owner = client_for("tomsk-director")
    owner.post("/profile/", {"token_action": "revoke", "token": row.pk})
    client.logout()
    response = client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Токен недействителен или отозван.",
        "fields": {},
    }
    wrong = client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Bearer {secret[:-2]}xx")
    assert wrong.status_code == 401


def test_it_revokes_only_the_users_own_tokens(client_for, cast):
    row, _secret = tokens.do_create_api_token(user=cast["tambov-director"], name="чужой")
    client_for("tomsk-director").post("/profile/", {"token_action": "revoke", "token": row.pk})
    row.refresh_from_db()
    assert row.revoked_at is None


def test_it_records_when_a_token_was_used(client, token_for):
    headers = token_for("tomsk-director")
    client.get("/api/v1/regions/", **headers)
    assert ApiToken.objects.get(user__username="tomsk-director").last_used_at is not None


def test_it_answers_401_to_anonymous_scripts(client):
    response = client.get("/api/v1/obligations/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_throttles_per_token(client, token_for, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/minute"}}
    from django.core.cache import cache

    cache.clear()
    first, second = token_for("tomsk-director"), token_for("tomsk-director")
    codes = [client.get("/api/v1/regions/", **first).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/regions/", **second).status_code == 200  # its own budget
    cache.clear()
