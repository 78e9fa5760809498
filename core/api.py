"""What every API view shares and that is not about who may see what (that is the gate's,
``schools.gate.GatedViewSet``): the error format, conditional requests, filter helpers.

Errors have one shape everywhere::

    {"code": "invalid", "detail": "Проверьте поля запроса.", "fields": {"comment": ["…"]}}

``code`` is stable and machine-readable (:data:`ERROR_CODES`, documented in the schema); ``detail``
is the Russian message for a person; ``fields`` names the inputs at fault.
"""

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers, status
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
    """ETag and Last-Modified for reads; a 304 when the client has the answer already."""

    def conditional(
        self, key: str, last_modified: dt.datetime | None = None
    ) -> tuple[str, str | None, Response | None]:
        """``key`` is something cheap that changes whenever the answer does (counts, latest change
        times); the user and the full URL are mixed in, because two people see different data."""
        raw = f"{self.request.user.pk}|{self.request.get_full_path()}|{key}"
        etag = quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:32])
        ts = last_modified.timestamp() if last_modified else None
        not_modified = get_conditional_response(self.request._request, etag=etag, last_modified=ts)
        return etag, (http_date(ts) if ts else None), not_modified

    def with_validators(self, response: Response, etag: str, last_modified: str | None) -> Response:
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = last_modified
        return response


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
