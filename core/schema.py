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

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.text import capfirst
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


CYRILLIC = re.compile(r"[А-Яа-яЁё]")

# Operations the base views share, described once: a view's own summary/description wins.
SUMMARIES = {
    "list": _("Список: %(plural)s"),
    "retrieve": _("Один объект: %(name)s"),
    "destroy": _("Удалить: %(name)s"),
    "partial_update": _("Изменить: %(name)s"),
}
DESCRIPTIONS = {
    "list": _(
        "%(plural)s, которые вам видны: данные другого региона сюда не попадают. Фильтры — в параметрах "
        "(неизвестный параметр или неверное значение — 400 с его именем), сортировка — ordering, страницы — "
        "page и page_size (next и previous — полные адреса). Ответ несёт ETag и Last-Modified: повторный "
        "запрос с If-None-Match или If-Modified-Since получит 304, если ничего не изменилось."
    ),
    "retrieve": _(
        "%(name)s по id. Чужой или несуществующий объект — 404 (их не различить). Ответ несёт ETag и "
        "Last-Modified: они меняются при любом изменении в ответе, включая связанные объекты."
    ),
    "destroy": _("%(name)s удаляется, если ваша роль и состояние объекта это позволяют (иначе 403 или 409)."),
    "partial_update": _("Меняются только переданные поля; ответ — объект целиком после изменения."),
}
# Fields that are not a model's (or whose model gives no Russian name).
FIELDS = {
    "id": _("Идентификатор"),
    "region": _("Код региона (например, 70)"),
    "count": _("Сколько всего объектов в списке (на всех страницах)"),
    "next": _("Полный адрес следующей страницы; null на последней"),
    "previous": _("Полный адрес предыдущей страницы; null на первой"),
    "results": _("Объекты этой страницы"),
    "user": _("Имя пользователя, который это сделал"),
    "roadmap": _("Дорожная карта (id)"),
    "section": _("Раздел дорожной карты (id)"),
    "parent": _("Родительский объект (id)"),
    "obligation": _("Обязательство (id)"),
    "report": _("Отчёт об исполнении (id)"),
    "question": _("Вопрос анкеты (id)"),
    "assignment": _("Назначение анкеты школе (id)"),
    "questionnaire": _("Анкета (id)"),
    "school": _("Школа (id)"),
    "municipality": _("Муниципалитет (id)"),
    "owner": _("Организация-владелец (id)"),
    "organization": _("Организация (id)"),
    "executor": _("Исполнитель — организация"),
    "item": _("Мероприятие дорожной карты"),
    "number": _("Номер, как написан в документе"),
    "text": _("Текст"),
    "short_name": _("Краткое название"),
    "comment": _("Комментарий"),
    "description": _("Описание"),
    "reason": _("Причина"),
    "evidence": _("Подтверждения: файлы и ссылки"),
    "events": _("История отчёта: кто, когда и что сделал"),
    "sections": _("Разделы с мероприятиями"),
    "items": _("Мероприятия раздела"),
    "questions": _("Вопросы анкеты"),
    "options": _("Варианты ответа"),
    "answers": _("Ответы"),
    "statuses": _("Статусы школы по годам (ШНОР, ШНСУ…)"),
    "control_dates": _("Контрольные даты: окна и сроки отчётов"),
    "executors": _("Исполнители, распознанные из текста"),
    "response": _("Ответ школы (если начат)"),
    "kind": _("Вид"),
    "fmt": _("Формат файла"),
    "params": _("Параметры отчёта"),
    "title": _("Название"),
    "status": _("Состояние"),
    "message": _("Сообщение о ходе или об ошибке"),
    "progress": _("Готовность, %"),
    "finished": _("Построение закончено (успешно или нет)"),
    "locked": _("Приём ответов закрыт"),
    "school_name": _("Краткое название школы"),
    "owner_name": _("Краткое название владельца"),
    "act": _("Утверждающий документ одной строкой"),
    "file": _("Файл"),
    "url": _("Ссылка"),
    "code": _("Код региона (например, 70)"),
    "year": _("Год"),
    "selected_options": _("Выбранные варианты ответа (id)"),
    "at": _("Когда"),
    "action": _("Что сделано"),
    "review_state": _(
        "Проверка: draft — черновик, submitted — на проверке, accepted — принят, returned — возвращён"
    ),
    "content_type": _("Тип содержимого файла, определённый по его байтам"),
    "size": _("Размер файла, байт"),
    "sha256": _("SHA-256 файла (шестнадцатеричный)"),
    "uploaded_at": _("Когда приложено"),
    "updated_at": _("Когда изменено"),
    "position": _("Порядковый номер"),
    "schedule_text": _("Срок, как написан в документе («Март 2023г.», «Ежемесячно»…)"),
    "indicator_text": _("Показатель, как написан в документе"),
    "result_text": _("Ожидаемый результат (подтверждающий документ)"),
    "executors_text": _("Исполнители, как написаны в документе"),
    "manual_dates": _("Контрольные даты вручную (ДД.ММ.ГГГГ через запятую), если срок не распознан"),
    "actual_value": _("Фактическое значение показателя"),
    "done_on": _("Дата выполнения (не в будущем)"),
    "opened_at": _("Когда раунд открыт"),
    "closed_at": _("Когда раунд закрыт (null — ещё идёт)"),
}


class AutoSchema(SpectacularAutoSchema):
    def _names(self) -> dict[str, str] | None:
        model = getattr(self.view, "gate_model", None)
        if model is None:
            return None
        return {"name": str(model._meta.verbose_name), "plural": str(model._meta.verbose_name_plural)}

    def get_summary(self) -> str | None:
        names, action = self._names(), getattr(self.view, "action", None)
        if names and action in SUMMARIES:
            return capfirst(str(SUMMARIES[action]) % names)
        return super().get_summary()

    def get_description(self) -> str:
        """Russian, for the integrator — never the view's docstring, which is written for us."""
        names, action = self._names(), getattr(self.view, "action", None)
        if names and action in DESCRIPTIONS:
            return capfirst(str(DESCRIPTIONS[action]) % names)
        return ""

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> dict:
        if not field.help_text:
            label = str(field.label or "")
            field.help_text = capfirst(label) if CYRILLIC.search(label) else FIELDS.get(field.field_name)
        return super()._map_serializer_field(field, direction, bypass_extensions)

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
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    name = parameter["name"]
                    described = (
                        _("Идентификатор объекта")
                        if parameter["in"] == "path" and name == "id"
                        else FIELDS.get(name)
                    )
                    if described:
                        parameter["description"] = str(described)
    for component in schemas.values():
        for name, prop in component.get("properties", {}).items():
            if not prop.get("description") and name in FIELDS:
                prop["description"] = str(FIELDS[name])
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
