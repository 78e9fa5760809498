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


class AutoSchema(SpectacularAutoSchema):
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
