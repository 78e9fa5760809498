"""Personal API tokens: created and revoked on the profile page, shown once, stored as a hash."""

import pytest

from schools import tokens
from schools.models import ApiToken, Region

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


def test_a_read_only_token_reads_and_may_not_write(client, cast):
    from monitoring.models import MonitoringRound, Obligation

    _row, secret = tokens.do_create_api_token(
        user=cast["tomsk-coordinator"], name="чтение", scope=ApiToken.Scope.READ
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/obligations/", **auth).status_code == 200
    round_ = MonitoringRound.objects.filter(region__code="70").first()
    order = client.post(
        "/api/v1/reports/", {"kind": "quarterly", "round": round_.pk}, content_type="application/json", **auth
    )
    assert order.status_code == 403 and order.json()["code"] == "insufficient_scope"
    own = Obligation.objects.filter(region__code="70").first()
    refused = client.post(f"/api/v1/obligations/{own.pk}/submit/", **auth)
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    # Another region's object is still a 404 first: the scope tells nothing about it.
    foreign = Obligation.objects.filter(region__code="68").first()
    assert client.post(f"/api/v1/obligations/{foreign.pk}/submit/", **auth).status_code == 404


def test_an_expired_token_is_refused_with_the_date(client, cast):
    import datetime as dt

    from django.utils import timezone

    row, secret = tokens.do_create_api_token(user=cast["tomsk-director"], name="на месяц", expires_in_days=30)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert row.expires_at - timezone.now() > dt.timedelta(days=29)
    assert client.get("/api/v1/regions/", **auth).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = client.get("/api/v1/regions/", **auth)
    assert expired.status_code == 401 and expired.json()["code"] == "authentication_failed"
    assert "Срок действия токена истёк" in expired.json()["detail"]


def test_the_profile_page_chooses_and_shows_scope_and_expiry(client_for):
    client = client_for("tomsk-director")
    form = client.get("/profile/").content.decode()
    assert 'name="scope"' in form and 'name="expires_in_days"' in form
    client.post(
        "/profile/", {"token_action": "create", "name": "отчёты", "scope": "read", "expires_in_days": "90"}
    )
    row = ApiToken.objects.get(user__username="tomsk-director", name="отчёты")
    assert row.scope == "read" and row.expires_at is not None
    page = client.get("/profile/").content.decode()
    tomsk = Region.objects.get(code="70").tzinfo
    assert "только чтение" in page and row.expires_at.astimezone(tomsk).strftime("%d.%m.%Y %H:%M") in page
    bad = client.post("/profile/", {"token_action": "create", "name": "x", "scope": "admin"})
    assert "Выберите права токена из списка." in bad.content.decode()


def test_the_read_only_department_may_order_a_report_but_not_change_data(api, cast):
    """Decision: ordering a report is reading data into a file (the department's whole job);
    it changes nothing in roadmaps or execution, so the department may do it (201)."""
    from monitoring.models import MonitoringRound, Obligation

    client = api("tomsk-department")
    round_ = MonitoringRound.objects.filter(region__code="70").first()
    order = client.post(
        "/api/v1/reports/", {"kind": "quarterly", "round": round_.pk, "fmt": "xlsx"}, "application/json"
    )
    assert order.status_code == 201, order.content
    assert order["Location"] == f"http://testserver/api/v1/reports/{order.json()['id']}/"
    own = Obligation.objects.filter(region__code="70").first()
    assert client.post(f"/api/v1/obligations/{own.pk}/submit/").status_code == 403
