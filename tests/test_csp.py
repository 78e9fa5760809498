"""Every page carries the Content-Security-Policy, and no rendered page needs what it forbids:
no inline <script>, no on…= handlers, no style="" attributes — for every role, on every page
of the URL walk (lists and the own region's objects), the login pages and the API docs."""

import re

import pytest

from tests.test_url_access import an_object, gated_patterns, url_for, url_kwargs, view_class

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER_OR_STYLE = re.compile(r"<[a-z][^>]*\s(on[a-z]+|style)\s*=", re.I)
ROLES = [
    "admin",
    "tomsk-coordinator",
    "tomsk-curator",
    "tomsk-department",
    "tomsk-director",
    "tomsk-municipal",
]


def assert_strict(response, url: str) -> None:
    policy = response["Content-Security-Policy"]
    if response.get("Content-Disposition", "").startswith("attachment"):
        # A download runs nothing at all: no sources and a sandbox (core.downloads).
        assert policy == "default-src 'none'; sandbox", url
        return
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), f"{url}: inline <script>"
    found = INLINE_HANDLER_OR_STYLE.search(body)
    assert not found, f"{url}: inline attribute {found.group(0)[:120]!r}"


@pytest.mark.parametrize("username", ROLES)
def test_no_page_of_a_role_has_inline_script_or_style(client_for, username):
    client = client_for(username)
    pages = 0
    for route, p in gated_patterns():
        cls = view_class(p)
        if route.startswith("api/v1/") and "docs" not in route:
            continue  # JSON: the header is checked, there is no markup
        obj = an_object(cls.gate_model, "70") if cls.gate_model and url_kwargs(route) else None
        if url_kwargs(route) and set(url_kwargs(route)) - {"format"} and obj is None:
            continue
        url = url_for(route, cls, obj)
        response = client.get(url)
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        assert_strict(response, url)
        pages += 1
    assert pages >= 10


def test_the_login_pages_and_the_lockout_page_are_strict(client, settings):
    for url in ["/accounts/login/", "/accounts/password_reset/", "/admin/login/"]:
        assert_strict(client.get(url), url)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "tomsk-director", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "tomsk-director", "password": "wrong"})
    assert locked.status_code == 429
    assert_strict(locked, "lockout")


def test_the_api_docs_load_their_script_from_a_url(client_for):
    client = client_for("tomsk-coordinator")
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert_strict(page, "/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
