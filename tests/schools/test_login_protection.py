"""Password guessing is stopped: after the limit of failures the username and the address are
locked out on the portal login and the admin login alike, even with the right password, with a
Russian page that says when to try again; password reset is limited per address and per e-mail."""

import pytest
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def fail_logins(client, url: str, username: str, times: int) -> None:
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "not-the-password"})
        assert response.status_code in (200, 429)


def test_it_locks_out_a_username_even_with_the_right_password(client, settings):
    fail_logins(client, "/accounts/login/", "tomsk-director", settings.AXES_FAILURE_LIMIT)
    response = client.post("/accounts/login/", {"username": "tomsk-director", "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Слишком много неудачных попыток входа. Попробуйте снова через 15 минут" in body
    assert "обратитесь к администратору" in body
    assert "_auth_user_id" not in client.session


def test_it_lets_a_user_in_below_the_limit_and_forgets_the_failures(client, settings):
    fail_logins(client, "/accounts/login/", "tomsk-director", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post("/accounts/login/", {"username": "tomsk-director", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"]
    client.logout()
    # The success reset the count: one more failure does not lock the account.
    fail_logins(client, "/accounts/login/", "tomsk-director", 1)
    response = client.post("/accounts/login/", {"username": "tomsk-director", "password": PASSWORD})
    assert response.status_code == 302


def test_it_locks_out_an_address_that_tries_many_usernames(client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": f"guess-{n}", "password": "x"})
    response = client.post("/accounts/login/", {"username": "tambov-coordinator", "password": PASSWORD})
    assert response.status_code == 429
    # Another address is not affected.
    other = client.post(
        "/accounts/login/",
        {"username": "tambov-coordinator", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert other.status_code == 302


def test_it_locks_out_the_admin_login_too(client, settings):
    fail_logins(client, "/admin/login/", "admin", settings.AXES_FAILURE_LIMIT)
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "Слишком много неудачных попыток входа" in response.content.decode()
    # The portal login shares the count: the account is locked there as well.
    assert client.post("/accounts/login/", {"username": "admin", "password": PASSWORD}).status_code == 429


def test_force_login_in_tests_is_not_affected(client_for):
    assert client_for("tomsk-director").get("/").status_code == 200


def test_it_limits_password_reset_per_email(client, settings, cast):
    user = cast["tomsk-director"]
    user.email = "director@example.ru"
    user.save()
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
        assert client.post("/accounts/password_reset/", {"email": "Director@example.ru"}).status_code == 302
    sent = len(mail.outbox)
    response = client.post(
        "/accounts/password_reset/", {"email": "director@example.ru"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert "Слишком много запросов на восстановление пароля" in response.content.decode()
    assert len(mail.outbox) == sent


def test_it_limits_password_reset_per_address(client, settings):
    for n in range(settings.PASSWORD_RESET_LIMIT_PER_IP):
        assert client.post("/accounts/password_reset/", {"email": f"x{n}@example.ru"}).status_code == 302
    response = client.post("/accounts/password_reset/", {"email": "fresh@example.ru"})
    assert response.status_code == 429
    assert "Попробуйте снова через 60 минут" in response.content.decode()
