"""The OpenAPI description's shared part: every operation documents the errors it can give, once,
here, rather than by hand on each view (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``).

Which errors an operation can give follows from the bases every API view shares:

- 400 — a bad query parameter (``core.filters.StrictFilterBackend``) or body;
- 401 — no token or a wrong one (everything under /api/v1/ needs one);
- 403 — a write (or a gated read) the user's role may not do;
- 404 — an object the user cannot see, or a page past the end of a list;
- 409 — a write the object's state forbids now (``core.errors.ConflictError``);
- 413, 415 — a body over the size limit (``core.http``), or one in a format the view does not read;
- 429 — the per-token request budget (``core.pagination.ApiThrottle``) is spent.

A request body is described in one content type: JSON, unless the view says otherwise (a file
upload is multipart). The API also reads form posts, as browsers send them, but a script is told
one way.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse

from core.api import ERROR

ERROR_RESPONSES = {
    "400": _("Запрос с ошибкой: в detail — что не так, в fields — сообщения по полям и параметрам."),
    "401": _("Нет токена или он недействителен."),
    "403": _("Недостаточно прав для этого действия."),
    "404": _(
        "Объект не найден или недоступен (чужой объект отвечает так же); для списка — нет такой страницы."
    ),
    "409": _(
        "Состояние объекта не позволяет действие сейчас: например, отчёт уже отправлен или принят, "
        "отчёт не ждёт проверки, приём ответов закрыт (code: conflict)."
    ),
    "413": _("Тело запроса больше допустимого размера."),
    "415": _("Формат тела запроса не поддерживается."),
    "429": _("Слишком много запросов; повторите позже."),
}
BODY_ONLY = {"413", "415"}
WRITE_ONLY = {"409"}
JSON = "application/json"
ID_PATTERN = r"^\d{1,18}$"


def _model_field(field: Any) -> Any:
    """The model field behind a ModelSerializer's field, if it is a plain one."""
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


class AutoSchema(SpectacularAutoSchema):
    def _insert_min_max(self, field: Any, content: dict) -> None:
        """Integer bounds of a model field as the SQL standard types give them, not as the
        current database reports them (SQLite says 64 bits for every integer): the schema served
        by the demo, by the tests and by production is the same document."""
        super()._insert_min_max(field, content)
        model_field = _model_field(field)
        internal = model_field.get_internal_type() if model_field is not None else None
        if internal not in BaseDatabaseOperations.integer_field_ranges:
            return
        db_low, db_high = connection.ops.integer_field_range(internal)
        low, high = BaseDatabaseOperations.integer_field_ranges[internal]
        if content.get("minimum", db_low) == db_low and low is not None:
            content["minimum"] = low
        if content.get("maximum", db_high) == db_high and high is not None:
            content["maximum"] = high

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        has_body = self.method in ("POST", "PUT", "PATCH")
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        for code, description in ERROR_RESPONSES.items():
            if (code in BODY_ONLY and not has_body) or (code in WRITE_ONLY and not writes):
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ERROR, description=str(description)), code, direction=direction
                )
        return dict(sorted(responses.items()))

    def map_parsers(self) -> list[str]:
        media_types = super().map_parsers()
        return [JSON] if JSON in media_types else media_types


def postprocess(result: dict, generator: object, request: object, public: bool) -> dict:
    """What a standard client generator needs and drf-spectacular does not give by itself:

    - a filter's choice parameter refers to the enum component with the same values (one
      ``ExecutionStatusEnum`` class in a client, not a Cyrillic-named copy per list); one without
      such a component loses its Russian ``title``, which generators turn into class names;
    - request bodies refuse keys they do not know (``core.api.StrictSerializer``), so their
      components say ``additionalProperties: false``.
    """
    schemas = result.get("components", {}).get("schemas", {})
    enums = {
        frozenset(component["enum"]): name
        for name, component in schemas.items()
        if "enum" in component and component.get("type") == "string"
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] == "path" and schema.get("pattern") == ID_PATTERN:
                    # An id in a path is a number (``GatedViewSet.lookup_value_regex``).
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}
                    continue
                schema.pop("title", None)
                for target in (schema, schema.get("items", {})):
                    name = enums.get(frozenset(target.get("enum", ())))
                    if name and target.get("type") == "string":
                        target.clear()
                        target["$ref"] = f"#/components/schemas/{name}"
    for name, component in schemas.items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            _document_headers(method, operation)
    return result


def _header(description: Any, schema: dict | None = None) -> dict:
    return {"description": str(description), "schema": schema or {"type": "string"}}


RATE_LIMIT = {
    "X-RateLimit-Limit": _header(_("Сколько запросов разрешено за период (на токен)."), {"type": "integer"}),
    "X-RateLimit-Remaining": _header(_("Сколько запросов осталось в текущем периоде."), {"type": "integer"}),
    "X-RateLimit-Reset": _header(
        _("Через сколько секунд освободится следующий запрос (0 — уже можно)."), {"type": "integer"}
    ),
}
VALIDATORS = {
    "ETag": _header(_("Хеш тела ответа: меняется при любом изменении в нём, включая связанные объекты.")),
    "Last-Modified": _header(_("Когда вы впервые получили это тело по этому адресу (HTTP-дата).")),
}
CONDITIONAL_PARAMETERS = [
    {
        "in": "header",
        "name": "If-None-Match",
        "required": False,
        "schema": {"type": "string"},
        "description": str(_("ETag из прошлого ответа: если ничего не изменилось — 304 без тела.")),
    },
    {
        "in": "header",
        "name": "If-Modified-Since",
        "required": False,
        "schema": {"type": "string"},
        "description": str(_("Last-Modified из прошлого ответа: если ничего не изменилось — 304 без тела.")),
    },
]


def _document_headers(method: str, operation: dict) -> None:
    """Rate-limit headers on successful answers; validators and 304 on JSON reads
    (``core.api.ConditionalMixin``)."""
    responses = operation.get("responses", {})
    for code in ("200", "201"):
        if code in responses:
            responses[code].setdefault("headers", {}).update(RATE_LIMIT)
    if any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", [])):
        responses["422"] = {
            "description": str(
                _("Idempotency-Key уже использован для другого запроса (code: idempotency_key_reused).")
            ),
            "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        operation["responses"] = dict(sorted(responses.items()))
        if "201" in responses:
            responses["201"]["headers"]["Idempotent-Replayed"] = _header(
                _("true — ответ повторён по Idempotency-Key, новый объект не создан.")
            )
    if "201" in responses:
        responses["201"]["headers"]["Location"] = _header(_("Адрес созданного объекта в API."))
    ok = responses.get("200", {})
    if method != "get" or JSON not in ok.get("content", {}):
        return
    ok["headers"].update(VALIDATORS)
    responses["304"] = {
        "description": str(_("Не изменилось с прошлого раза (If-None-Match / If-Modified-Since); тела нет.")),
        "headers": dict(VALIDATORS),
    }
    operation["responses"] = dict(sorted(responses.items()))
    operation.setdefault("parameters", []).extend(CONDITIONAL_PARAMETERS)
