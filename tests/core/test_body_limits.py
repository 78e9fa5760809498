"""Request bodies are limited while they stream (core/http.py).

The bodies here are never built: ``Body`` claims a Content-Length and makes its bytes up as the
server reads them, counting — so «the body is not read» is a number, and a «1 GB» request costs
the test nothing.
"""

import pytest
from django.test import Client

from monitoring.models import Evidence
from schools import tokens
from tests.monitoring.test_pages import open_obligation

pytestmark = pytest.mark.django_db

MB = 2**20
GB = 2**30
BOUNDARY = "hostileboundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class Body:
    """A request body of ``length`` bytes: ``head``, filler, ``tail``; counts what was read."""

    def __init__(self, length: int, head: bytes = b"", tail: bytes = b""):
        self.length, self.head, self.tail, self.read_bytes = length, head, tail, 0

    def read(self, size: int = -1) -> bytes:
        left = self.length - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        start, self.read_bytes = self.read_bytes, self.read_bytes + size
        tail_start = self.length - len(self.tail)
        out = bytearray()
        if start < len(self.head):
            out += self.head[start : start + size]
        filler_end = min(start + size, tail_start)
        filler_start = max(start, len(self.head))
        if filler_end > filler_start:
            out += b"x" * (filler_end - filler_start)
        if start + size > tail_start:
            out += self.tail[max(start, tail_start) - tail_start : start + size - tail_start]
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:
        return self.read(size if size and size > 0 else 64 * 1024)


def file_body(length: int, name: str = "big.pdf") -> Body:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="description"\r\n\r\nприказ\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    return Body(length, head, f"\r\n--{BOUNDARY}--\r\n".encode())


def post(client: Client, path: str, body: Body, content_type: str = MULTIPART, **headers):
    return client.generic(
        "POST",
        path,
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
        **headers,
    )


def test_body_helper_makes_up_exactly_the_declared_bytes():
    body = file_body(10_000)
    data = body.read(3000) + body.read(3000) + body.read()
    assert len(data) == 10_000 and data.startswith(body.head) and data.endswith(body.tail)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/"])
def test_an_anonymous_big_post_is_refused_before_its_body_is_read(path):
    client = Client(enforce_csrf_checks=True)  # CSRF would otherwise read the body first
    body = Body(GB)
    response = post(client, path, body, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert "Запрос слишком большой" in response.content.decode()


def test_an_anonymous_post_above_the_small_cap_is_refused_too():
    body = Body(100 * 1024)  # under the global cap, over the anonymous 64 KB
    response = post(
        Client(enforce_csrf_checks=True), "/accounts/login/", body, "application/x-www-form-urlencoded"
    )
    assert response.status_code == 413 and body.read_bytes == 0


def test_an_anonymous_big_upload_is_refused_before_its_body_is_read():
    obligation = open_obligation("УО Зырянского района")
    body = file_body(GB)
    response = post(Client(enforce_csrf_checks=True), f"/obligations/{obligation.pk}/evidence/", body)
    assert response.status_code == 413 and body.read_bytes == 0
    assert "Войдите в портал" in response.content.decode()


def test_an_anonymous_api_upload_is_refused_as_json():
    obligation = open_obligation("УО Зырянского района")
    body = file_body(GB)
    response = post(Client(), f"/api/v1/obligations/{obligation.pk}/evidence/", body)
    assert response.status_code == 413 and body.read_bytes == 0
    assert "Запрос слишком большой" in response.json()["detail"]


def test_a_normal_login_still_works():
    response = Client(enforce_csrf_checks=False).post(
        "/accounts/login/", {"username": "zyryanka-municipal", "password": "wrong"}
    )
    assert response.status_code == 200  # the form again, with its error; not a 413


@pytest.fixture
def small_caps(settings, tmp_path):
    """A 1 MB file cap; temporary upload files (past 64 KB) in a folder the test can watch."""
    settings.UPLOAD_MAX_BYTES = MB
    settings.UPLOAD_REQUEST_MAX_BYTES = 4 * MB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "upload-tmp").mkdir()
    (tmp_path / "media").mkdir()
    return tmp_path


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_logged_in_body_over_the_global_cap_is_refused_before_it_is_read(client_for, small_caps):
    obligation = open_obligation("УО Зырянского района")
    body = file_body(GB)
    response = post(client_for("zyryanka-municipal"), f"/obligations/{obligation.pk}/evidence/", body)
    assert response.status_code == 413 and body.read_bytes == 0
    assert "Файл больше 1 МБ" in response.content.decode()


def test_a_logged_in_oversize_file_is_stopped_while_it_streams_and_leaves_nothing(client_for, small_caps):
    obligation = open_obligation("УО Зырянского района")
    body = file_body(3 * MB)  # the request fits under its cap; the file does not fit under 1 MB
    response = post(client_for("zyryanka-municipal"), f"/obligations/{obligation.pk}/evidence/", body)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Файл «big.pdf» больше 1 МБ. Сожмите его или разделите на части." in page
    assert body.read_bytes < 2 * MB  # stopped soon after the cap, not at the end
    assert files_in(small_caps / "upload-tmp") == [] and files_in(small_caps / "media") == []
    assert not Evidence.objects.filter(report__obligation=obligation).exists()


def test_an_api_oversize_file_gets_a_json_413_and_leaves_nothing(cast, small_caps):
    obligation = open_obligation("УО Зырянского района")
    _row, secret = tokens.do_create_api_token(user=cast["zyryanka-municipal"], name="скрипт")
    body = file_body(3 * MB)
    response = post(
        Client(),
        f"/api/v1/obligations/{obligation.pk}/evidence/",
        body,
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "Файл «big.pdf» больше 1 МБ. Сожмите его или разделите на части."
    assert body.read_bytes < 2 * MB
    assert files_in(small_caps / "upload-tmp") == [] and files_in(small_caps / "media") == []


def test_a_fake_token_does_not_make_the_api_read_a_body(small_caps):
    obligation = open_obligation("УО Зырянского района")
    body = file_body(3 * MB)
    response = post(
        Client(),
        f"/api/v1/obligations/{obligation.pk}/evidence/",
        body,
        HTTP_AUTHORIZATION="Bearer rmp_fake_x",
    )
    assert response.status_code == 401 and body.read_bytes == 0


def test_a_file_under_the_cap_is_accepted(client_for, small_caps):
    obligation = open_obligation("УО Зырянского района")
    body = file_body(200 * 1024, name="приказ.pdf")  # past the in-memory size: a temporary file
    response = post(client_for("zyryanka-municipal"), f"/obligations/{obligation.pk}/evidence/", body)
    assert response.status_code == 302
    evidence = Evidence.objects.get(report__obligation=obligation)
    assert evidence.original_name == "приказ.pdf" and evidence.size > 190 * 1024
