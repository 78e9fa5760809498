"""Request bodies limited while they stream: a middleware and an upload handler.

Without them Django writes any multipart body to a temporary file in full before a view can
say no, and CSRF reads the body of an anonymous POST before the login check runs — a 1 GB
POST to the login page landed on disk. Here:

* ``BodyLimitMiddleware`` (before ``CsrfViewMiddleware``) answers 413 *before the body is read*
  when the declared length is above the global cap (everybody) or above a small cap for a
  request with no logged-in session and no API token (login, password reset); then it parses a
  logged-in multipart POST itself, under the upload handler, so an oversize file becomes a
  clear 413 page or JSON error instead of a crash in the CSRF check.
* ``LimitedUploadHandler`` (first in ``FILE_UPLOAD_HANDLERS``) counts each file's bytes as they
  arrive and stops the parse past ``UPLOAD_MAX_BYTES``, deleting the half-written temporary file.
  It is the one size check for uploads; views and API views do not repeat it.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.uploads import UploadTooLarge, too_large_message


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(settings.API_PATH_PREFIX)


def too_large_response(request: HttpRequest, message: str) -> HttpResponse:
    """413 as the API's JSON error or as a small page (no base template: no user is loaded yet)."""
    if _is_api(request):
        return JsonResponse({"code": "too_large", "detail": message, "fields": {}}, status=413)
    return HttpResponse(render_to_string("413.html", {"message": message}), status=413)


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _content_length(request)
        if length > settings.ANONYMOUS_REQUEST_MAX_BYTES and not self._may_upload(request):
            return too_large_response(
                request,
                _(
                    "Запрос слишком большой. Войдите в портал и повторите — загружать файлы можно после входа."
                ),
            )
        if length > settings.UPLOAD_REQUEST_MAX_BYTES:
            return too_large_response(request, too_large_message(None, settings.UPLOAD_MAX_BYTES))
        if (
            length
            and request.method == "POST"
            and request.content_type == "multipart/form-data"
            and self._logged_in(request)
        ):
            try:
                request.POST  # noqa: B018 — parse now, under LimitedUploadHandler
            except UploadTooLarge as exc:
                return too_large_response(request, str(exc))
            except UnreadablePostError:
                return HttpResponse(status=400)  # the client went away mid-upload
        return self.get_response(request)

    @staticmethod
    def _logged_in(request: HttpRequest) -> bool:
        session = getattr(request, "session", None)
        return session is not None and SESSION_KEY in session

    def _may_upload(self, request: HttpRequest) -> bool:
        # An API token is checked by the API before it reads the body; elsewhere a token means nothing.
        return self._logged_in(request) or (_is_api(request) and "HTTP_AUTHORIZATION" in request.META)


class LimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        if content_length > settings.UPLOAD_REQUEST_MAX_BYTES:
            self._abort()
        return None  # the next handlers parse

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self._abort()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the memory or temporary-file handler returns the file

    def _abort(self) -> None:
        # Django closes finished files on an error, not the one being written: close it here
        # (a temporary upload file deletes itself on close), so nothing is left on disk.
        for handler in getattr(self.request, "upload_handlers", []):
            partial = getattr(handler, "file", None)
            if handler is not self and partial is not None:
                partial.close()
        raise UploadTooLarge(too_large_message(self.file_name, settings.UPLOAD_MAX_BYTES))
