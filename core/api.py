"""What every API view shares and that is not about who may see what (that is the gate's,
``schools.gate.GatedViewSet``): the error format, conditional requests, filter helpers.

Errors have one shape everywhere::

    {"code": "invalid", "detail": "Проверьте поля запроса.", "fields": {"comment": ["…"]}}

``code`` is stable and machine-readable (:data:`ERROR_CODES`, documented in the schema); ``detail``
is the Russian message for a person; ``fields`` names the inputs at fault.
"""

import functools
import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


class per_action:  # noqa: N801 — used like a value in a class body
    """``write_action`` (or ``read_action``) that depends on the DRF action (``submit`` → file a
    report …).

    Read on an instance it gives the action for ``self.action`` (None: the route takes no writes,
    so the gate refuses them); read on the class it gives the whole mapping, which is not None, so
    the URL walk knows the view writes and checks a read-only role gets 403.
    """

    def __init__(self, **mapping: str) -> None:
        self.mapping = mapping

    def __get__(self, obj: Any, cls: type | None = None) -> Any:
        if obj is None:
            return self.mapping
        return self.mapping.get(getattr(obj, "action", None))


class ConditionalMixin:
    """Validators on every read, rate-limit headers on every answer.

    **ETag** is a hash of the body itself, so it changes whenever anything in the representation
    does — a related item's text as much as the object's own fields — and never when nothing
    did. **Last-Modified** is when this user first got this body from this URL (kept in the
    cache, strictly later than any earlier body of the URL), so ``If-Modified-Since`` is exact
    too. A match answers 304 with both validators. The server still builds the body: a 304
    saves the transfer and the client's parsing, and cannot be stale.
    """

    VALIDATORS_KEPT = 7 * 24 * 3600  # seconds a Last-Modified is remembered

    def check_throttles(self, request: Request) -> None:
        self._throttles = [throttle for throttle in self.get_throttles()]
        refused = [t.wait() for t in self._throttles if not t.allow_request(request, self)]
        if refused:
            durations = [d for d in refused if d is not None]
            self.throttled(request, max(durations, default=None))

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        self._rate_limit_headers(response)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(response, Response)
            and not response.streaming
        ):
            return self._conditional(request, response)
        return response

    def _rate_limit_headers(self, response: Any) -> None:
        for throttle in getattr(self, "_throttles", []):
            history = getattr(throttle, "history", None)
            if history is None or not getattr(throttle, "num_requests", None):
                continue
            now = getattr(throttle, "now", time.time())
            response["X-RateLimit-Limit"] = str(throttle.num_requests)
            response["X-RateLimit-Remaining"] = str(max(throttle.num_requests - len(history), 0))
            reset = history[-1] + throttle.duration - now if history else 0
            response["X-RateLimit-Reset"] = str(max(math.ceil(reset), 0))

    def _conditional(self, request: Request, response: Response) -> Any:
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        last_modified = self._first_seen(request, etag)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        not_modified = get_conditional_response(request._request, etag=etag, last_modified=last_modified)
        if not_modified is None:
            return response
        for header in ("ETag", "Last-Modified", "Vary", *RATE_LIMIT_HEADERS):
            if header in response:
                not_modified[header] = response[header]
        return not_modified

    def _first_seen(self, request: Request, etag: str) -> int:
        """When this user first got this body from this URL, in whole seconds; a new body gets a
        time strictly after the URL's previous one, so a 1-second HTTP date still tells them apart."""
        url = hashlib.sha256(f"{request.user.pk}|{request.get_full_path()}".encode()).hexdigest()[:32]
        key = f"api-lm:{url}:{etag}"
        seen = cache.get(key)
        if seen is None:
            latest = cache.get(f"api-lm:{url}") or 0
            seen = max(math.ceil(time.time()), latest + 1)
            cache.set(f"api-lm:{url}", seen, self.VALIDATORS_KEPT)
            if not cache.add(key, seen, self.VALIDATORS_KEPT):
                seen = cache.get(key, seen)  # another request got there first
        return seen


RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


ERROR_CODES: dict[str, tuple[int, Any]] = {
    "invalid": (400, gettext_lazy("поле тела или параметр запроса с ошибкой — какие, в fields")),
    "parse_error": (400, gettext_lazy("тело запроса не читается: не JSON или испорченная форма")),
    "not_authenticated": (401, gettext_lazy("нет токена (заголовок Authorization)")),
    "authentication_failed": (401, gettext_lazy("токен неверный, отозван или его срок истёк")),
    "permission_denied": (403, gettext_lazy("роль пользователя не позволяет это действие")),
    "insufficient_scope": (403, gettext_lazy("токен только для чтения, а запрос что-то меняет")),
    "not_found": (404, gettext_lazy("нет такого объекта, адреса или страницы списка (или он чужой)")),
    "method_not_allowed": (405, gettext_lazy("этот адрес не принимает такой метод")),
    "not_acceptable": (406, gettext_lazy("ответ в запрошенном формате (Accept) не отдаётся")),
    "conflict": (409, gettext_lazy("состояние объекта не позволяет действие сейчас (отчёт уже отправлен…)")),
    "too_large": (413, gettext_lazy("тело запроса или файл больше допустимого")),
    "unsupported_media_type": (415, gettext_lazy("тело запроса в формате, которого операция не читает")),
    "idempotency_key_reused": (
        422,
        gettext_lazy("ключ Idempotency-Key уже использован для другого запроса"),
    ),
    "throttled": (429, gettext_lazy("израсходован лимит запросов; подождите Retry-After секунд")),
    "server_error": (500, gettext_lazy("внутренняя ошибка сервера")),
}
"""Every ``code`` the API answers with: its HTTP status and its meaning. 400 is every input
error, whatever its kind (a field, a parameter, a date before another); 409 is a state conflict;
422 only the reuse of an idempotency key for a different request."""


ERROR_CODE_CHOICES = [(code, f"{http} — {meaning}") for code, (http, meaning) in ERROR_CODES.items()]


def error_body(code: str, detail: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "detail": str(detail), "fields": fields or {}}


def _flatten(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _flatten(v)]
    return [str(value)]


def _fields(detail: dict[Any, Any]) -> dict[str, list[str]]:
    return {str(k): _flatten(v) for k, v in detail.items()}


def _validation_body(exc: DjangoValidationError) -> dict:
    code = getattr(exc, "api_code", "invalid")
    if isinstance(exc, DomainError):
        return error_body(code, " ".join(exc.messages), exc.api_fields())
    if hasattr(exc, "error_dict"):
        fields = {k: list(v) for k, v in exc.message_dict.items()}
        detail = " ".join(_flatten(fields))
        return error_body(code, detail, {k: v for k, v in fields.items() if k != "__all__"})
    return error_body(code, " ".join(exc.messages))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error as ``{"code": "…", "detail": "…", "fields": {…}}``, the detail in Russian.

    Services raise Django's ValidationError (a :class:`DomainError` — a
    :class:`~core.errors.ConflictError` is a 409 — a field dict or a plain message) and
    PermissionDenied; DRF raises its own; all end up in the same shape.
    """
    if isinstance(exc, DjangoValidationError):
        return Response(
            _validation_body(exc), status=getattr(exc, "http_status", status.HTTP_400_BAD_REQUEST)
        )
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Не найдено."))
    if isinstance(exc, exceptions.ParseError):
        # DRF's message carries the parser's English («JSON parse error - Expecting value…»).
        exc = exceptions.ParseError(_("Тело запроса не читается: ожидается правильный JSON-объект."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    code = getattr(exc, "api_code", None) or getattr(exc, "default_code", "invalid")
    if code not in ERROR_CODES:
        code = {400: "invalid", 401: "authentication_failed", 403: "permission_denied"}.get(
            response.status_code, "invalid"
        )
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, dict):
            fields = _fields(data)
            general = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
            detail = " ".join(general) or _("Проверьте поля запроса.")
        else:
            fields, detail = {}, " ".join(_flatten(data))
        response.data = error_body("invalid", detail, fields)
    elif isinstance(exc, exceptions.Throttled):
        response.data = error_body(
            "throttled",
            _("Слишком много запросов. Повторите через %(s)s с.") % {"s": exc.wait and int(exc.wait)},
        )
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else " ".join(_flatten(data))
        response.data = error_body(code, str(detail))
    return response


def absolute_url(context: dict[str, Any], path: str) -> str:
    """A link in a body, absolute like DRF's ``next``/``previous`` (the request's scheme and
    host); a serializer used without a request (a task, a test) gives the path."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class InsufficientScope(exceptions.PermissionDenied):
    """A write with a read-only token (403, ``insufficient_scope``)."""

    default_code = "insufficient_scope"
    default_detail = gettext_lazy(
        "Токен только для чтения: изменять данные с ним нельзя. Создайте токен «чтение и запись» в профиле."
    )


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = gettext_lazy(
        "Этот Idempotency-Key уже использован для другого запроса. Для нового запроса возьмите новый ключ."
    )


class IdempotentRequestInProgress(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = gettext_lazy("Запрос с этим Idempotency-Key ещё выполняется; повторите его чуть позже.")


IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEPT = 24 * 3600  # seconds a key is remembered
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description=gettext_lazy(
        "Любая строка до 255 символов (например, UUID). Повтор запроса с тем же ключом в течение суток "
        "вернёт тот же ответ, не создав второй объект; тот же ключ с другим телом — 422."
    ),
)


def _fingerprint(request: Request) -> str:
    """What the request asks for: the parsed body (files by name, size and content)."""
    digest = hashlib.sha256(request.content_type.split(";")[0].encode())
    data = request.data
    items = (
        sorted(data.lists())
        if hasattr(data, "lists")
        else sorted(data.items())
        if isinstance(data, dict)
        else [("", data)]
    )
    for name, value in items:
        digest.update(repr(name).encode())
        for one in value if isinstance(value, list) else [value]:
            if hasattr(one, "chunks"):
                digest.update(f"{one.name}|{one.size}".encode())
                for chunk in one.chunks():
                    digest.update(chunk)
                one.seek(0)
            else:
                digest.update(repr(one).encode())
    return digest.hexdigest()


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """``Idempotency-Key`` on a POST that creates something: the same key from the same user on
    the same URL gives the first answer again (201 with its Location, ``Idempotent-Replayed:
    true``) and creates nothing; the key with a different body is a 422; while the first request
    still runs, a 409. Keys live a day in the cache (Redis in production). The gate runs first:
    the handler is an action, called after the 404/403 checks."""

    @functools.wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not (1 <= len(key) <= 255 and key.isascii() and key.isprintable()):
            raise serializers.ValidationError(
                {IDEMPOTENCY_HEADER: [_("Ключ — от 1 до 255 печатных символов ASCII.")]}
            )
        scope = hashlib.sha256(f"{request.user.pk}|{request.path}|{key}".encode()).hexdigest()
        fingerprint = _fingerprint(request)
        stored = cache.get(f"idem:{scope}")
        if stored is None:
            if not cache.add(f"idem-lock:{scope}", 1, 60):
                raise IdempotentRequestInProgress()
            try:
                response = handler(view, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    stored = {
                        "fingerprint": fingerprint,
                        "status": response.status_code,
                        "data": response.data,
                        "location": response.get("Location"),
                    }
                    cache.set(f"idem:{scope}", stored, IDEMPOTENCY_KEPT)
            finally:
                cache.delete(f"idem-lock:{scope}")
            return response
        if stored["fingerprint"] != fingerprint:
            raise IdempotencyKeyReused()
        headers = {"Idempotent-Replayed": "true"}
        if stored["location"]:
            headers["Location"] = stored["location"]
        return Response(stored["data"], status=stored["status"], headers=headers)

    return wrapper


def created(request: Request, data: Any, path: str) -> Response:
    """A 201 with ``Location``: the absolute address of what was created."""
    return Response(
        data, status=status.HTTP_201_CREATED, headers={"Location": request.build_absolute_uri(path)}
    )


class StrictSerializer(serializers.Serializer):
    """A request body: a key the operation does not take is a 400 naming it. A typo, or a field
    under an old name (``status`` for ``execution_status``), must not be quietly ignored."""

    IGNORED = {"csrfmiddlewaretoken"}  # a browser's form post carries it

    def allowed_keys(self, data: Any) -> set[str]:
        return set(self.fields)

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            allowed = self.allowed_keys(data)
            unknown = sorted(set(data.keys()) - allowed - self.IGNORED)
            if unknown:
                message = _("Неизвестное поле. Допустимые: %(names)s.") % {
                    "names": ", ".join(sorted(allowed))
                }
                raise serializers.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Text in a request body: a number or a yes/no is a 400, not quietly turned into «12.0»."""

    default_error_messages = {"invalid": gettext_lazy("Ожидается строка.")}

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


ERROR = inline_serializer(
    "Error",
    fields={
        "code": serializers.ChoiceField(
            choices=ERROR_CODE_CHOICES,
            help_text=gettext_lazy("Код ошибки для программы: стабилен, не переводится."),
        ),
        "detail": serializers.CharField(help_text=gettext_lazy("Сообщение для человека, по-русски.")),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text=gettext_lazy("Поле тела или параметр запроса → сообщения о нём (может быть пустым)."),
        ),
    },
)
