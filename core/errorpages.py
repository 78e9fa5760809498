"""Error pages that know their audience: JSON for anything under ``/api/`` (a script branches on
it), the Russian HTML pages for people. Wired as ``handler404``/``handler500`` in config/urls.py."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "not_found", "detail": _("Не найдено."), "fields": {}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {
                "code": "server_error",
                "detail": _("Внутренняя ошибка сервера. Повторите запрос позже."),
                "fields": {},
            },
            status=500,
        )
    return defaults.server_error(request)
