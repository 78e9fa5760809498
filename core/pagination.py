"""DRF defaults named in settings.REST_FRAMEWORK that DRF reads while importing its views, so they
cannot live in ``core.api`` (which imports those views): pagination and throttling."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from rest_framework import pagination, throttling
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.paging import SplitJoinPaginator

if TYPE_CHECKING:  # DRF imports this module while importing its views
    from rest_framework.views import APIView


class Pagination(pagination.PageNumberPagination):
    # Sort and cut on ids, then read the page's rows and each table they show by those ids,
    # within the rows' regions (core/paging.py).
    django_paginator_class = SplitJoinPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        """A size that is no whole number from 1 to the maximum is a 400 naming the parameter (DRF
        would quietly use the default, or cut it to the maximum)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return self._number(raw, self.page_size_query_param, maximum=self.max_page_size)

    def paginate_queryset(self, queryset: Any, request: Request, view: APIView | None = None) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None:
            self._number(raw, self.page_query_param)  # «abc» is a bad value (400), not a missing page
        # Rows the request has read already (the user's regions, schools.gate.GatedViewSet): the
        # page takes its related rows of those tables from them instead of reading them again.
        known = view.known_rows() if hasattr(view, "known_rows") else {}
        self.django_paginator_class = functools.partial(type(self).django_paginator_class, known=known)
        return super().paginate_queryset(queryset, request, view)

    @staticmethod
    def _number(raw: str, name: str, maximum: int | None = None) -> int:
        value = int(raw) if raw.isascii() and raw.isdigit() else 0
        if value < 1 or (maximum is not None and value > maximum):
            if maximum is None:
                message = _("Укажите целое число от 1.")
            else:
                message = _("Укажите целое число от 1 до %(max)s.") % {"max": maximum}
            raise ValidationError({name: [message]})
        return value

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = _(
                    "Размер страницы: от 1 до %(max)s (по умолчанию %(default)s)."
                ) % {"max": self.max_page_size, "default": self.page_size}
            else:
                parameter["description"] = _("Номер страницы, с 1; страница за концом списка — 404.")
        return parameters


class ApiThrottle(throttling.SimpleRateThrottle):
    """One budget per token (a script) or per user (the browser); rate from settings."""

    scope = "api"

    def get_rate(self) -> str | None:
        # Read at request time, so settings overrides (tests, environment) apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous requests are refused anyway
        ident = f"token-{request.auth.pk}" if getattr(request.auth, "pk", None) else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
