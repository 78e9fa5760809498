"""API tests authenticate like scripts do: a personal token in the Authorization header."""

import pytest

from schools import tokens


@pytest.fixture
def token_for(cast):
    """``token_for("tomsk-director")`` → headers for the test client with a fresh token."""

    def make(username: str, keyword: str = "Bearer") -> dict:
        _row, secret = tokens.do_create_api_token(user=cast[username], name="тест")
        return {"HTTP_AUTHORIZATION": f"{keyword} {secret}"}

    return make


@pytest.fixture
def api(client, token_for):
    """``api("tomsk-director")`` → a client whose every request carries that user's token."""

    class Api:
        def __init__(self, headers):
            self.headers = headers

        def get(self, url, data=None, **extra):
            return client.get(url, data, **self.headers, **extra)

        def post(self, url, data=None, content_type=None, **extra):
            if content_type:
                return client.post(url, data, content_type=content_type, **self.headers, **extra)
            return client.post(url, data or {}, **self.headers, **extra)

        def patch(self, url, data, **extra):
            return client.patch(url, data, content_type="application/json", **self.headers, **extra)

        def delete(self, url, **extra):
            return client.delete(url, **self.headers, **extra)

    return lambda username: Api(token_for(username))
