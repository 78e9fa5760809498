"""The access gate's view half: a mixin for pages and a base class for DRF views.

Both own ``get_queryset``/``get_object`` (``gate_model.objects.visible_to(user)``), so a view that
uses them cannot forget the tenant filter; ``tests/test_url_access.py`` proves every URL of the
project goes through one of them. Both check the same two attributes before the handler runs:

- ``read_action`` — required to read the object the URL names (beyond seeing it), e.g. «track a
  questionnaire»; a role that may see but not do it gets 403;
- ``write_action`` — required for unsafe methods (POST …); a role that may only read gets 403.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api import ConditionalMixin, InsufficientScope
from schools import access
from schools.models import ApiToken, Region

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def gated_queryset(view: Any) -> models.QuerySet:
    if view.gate_model is None:
        raise ImproperlyConfigured(f"{type(view).__name__} has no gate_model")
    return view.gate_model.objects.visible_to(view.request.user)


class GatedViewMixin(LoginRequiredMixin):
    """Base of every page of the portal.

    ``gate_model`` — the model whose object the URL names (its pk, or ``slug_field``); another
    region's object is a 404. Views that show no particular object (lists, dashboards) set
    ``gate_model = None`` and build their querysets with ``Model.objects.visible_to(user)``.
    """

    gate_model: type[models.Model] | None = None
    read_action: str | None = None
    write_action: str | None = None
    slug_field = "pk"
    slug_url_kwarg = "pk"

    def get_queryset(self) -> models.QuerySet:
        return gated_queryset(self)

    def get_object(self, queryset: QuerySet | None = None) -> models.Model:
        if hasattr(self, "_gated_object"):
            return self._gated_object
        queryset = self.get_queryset() if queryset is None else queryset
        value = self.kwargs.get(self.slug_url_kwarg)
        try:
            obj = queryset.get(**{self.slug_field: value})
        except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        self._gated_object = obj
        return obj

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.gate_model is not None and self.slug_url_kwarg in kwargs:
            obj = self.get_object()  # 404 before anything else for what the user cannot see
            if request.method in SAFE_METHODS:
                if self.read_action is not None:
                    access.require(request.user, self.read_action, obj)
            else:
                if self.write_action is None:
                    return self.http_method_not_allowed(request, *args, **kwargs)
                access.require(request.user, self.write_action, obj)
        elif request.method not in SAFE_METHODS and self.write_action is not None:
            raise ImproperlyConfigured(f"{type(self).__name__}: a write needs an object to gate on")
        elif self.read_action is not None:
            raise ImproperlyConfigured(f"{type(self).__name__}: a read action needs an object to gate on")
        return super().dispatch(request, *args, **kwargs)


class GatePermission(permissions.BasePermission):
    """DRF half of the gate: authenticated users only; the object needs the view's
    ``read_action`` for reads and its ``write_action`` for writes."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if getattr(view, "public_read", False) and request.method in permissions.SAFE_METHODS:
            return view.gate_model is None  # public: what shows no tenant data (the schema)
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            action = getattr(view, "read_action", None)
            if action is not None:
                access.require(request.user, action, obj)
            return True
        action = getattr(view, "write_action", None)
        if action is None:
            return False
        access.require(request.user, action, obj)
        return True


class GatedViewSet(ConditionalMixin, viewsets.GenericViewSet):
    """Base of every API view: the queryset comes only from the gate.

    The gate's permission is always first in :meth:`get_permissions`, so a subclass that sets
    ``permission_classes`` adds to it and cannot drop it.
    """

    gate_model: type[models.Model] | None = None
    read_action: str | None = None
    write_action: str | None = None
    # Reads open to anonymous visitors: only for a view with no gate_model (no tenant data).
    public_read = False
    permission_classes: list = []

    # A list as deep as the country's obligations: a reader of every region names one
    # (``?region=70``) instead of paging through two million rows sorted on every request.
    region_required_for_country = False

    # Ids are bigints: a longer number is no id at all (and must not reach the database).
    lookup_value_regex = r"\d{1,18}"

    def get_permissions(self) -> list[permissions.BasePermission]:
        return [GatePermission(), *(cls() for cls in self.permission_classes if cls is not GatePermission)]

    def get_queryset(self) -> models.QuerySet:
        return gated_queryset(self)

    def known_rows(self) -> dict[type[models.Model], Callable[[], dict[int, models.Model]]]:
        """Rows this request reads once, for a list page's related rows
        (``core.pagination.Pagination``): the user's regions (read for the time zone), every
        region for a reader of the whole country (read with the federal viewer's scope; the
        administrator's once, also for ``region=<code>``). Every row a user sees is in one of
        them, so a list's regions cost no query of their own."""
        return {Region: lambda: {region.pk: region for region in access.readable_regions(self.request.user)}}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, GatePermission, throttling
        # A token is read here, after the middleware that sets the region's time zone for a
        # session: times in messages («отправлен 20.04.2023 15:00») are the region's, as on pages.
        region = access.primary_region(request.user)
        if region is not None:
            timezone.activate(region.tzinfo)
        if (self.lookup_url_kwarg or self.lookup_field) in self.kwargs:
            # 404 first: another region's object must look like no object at all, whatever the
            # method. Then 405 for a method the route does not take, then the token's scope and
            # the object's permission.
            obj = self._gated_lookup()
            method = request.method.lower()
            if method not in self.http_method_names or not hasattr(self, method):
                raise exceptions.MethodNotAllowed(request.method)
            self._check_scope(request)
            self.check_object_permissions(request, obj)
        else:
            self._check_scope(request)
            self._check_region_named(request)

    def _check_region_named(self, request: Request) -> None:
        if not (self.region_required_for_country and self.action == "list"):
            return
        scope = access.get_scope(request.user)
        if scope.reads_every_region and not request.query_params.get("region"):
            raise exceptions.ValidationError(
                {
                    "region": [
                        _(
                            "Укажите регион: region=<код>, например region=70. Список всей страны "
                            "слишком велик для страниц; вся страна — выгрузка всех обязательств "
                            "(отчёт national)."
                        )
                    ]
                }
            )

    @staticmethod
    def _check_scope(request: Request) -> None:
        """A read-only token reads: any other method is a 403 whatever its owner may do."""
        token = request.auth
        if (
            isinstance(token, ApiToken)
            and token.scope == ApiToken.Scope.READ
            and request.method not in SAFE_METHODS
        ):
            raise InsufficientScope()

    def _gated_lookup(self) -> models.Model:
        if not hasattr(self, "_gated_object"):
            queryset = self.filter_queryset(self.get_queryset())
            lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
            self._gated_object = get_object_or_404(
                queryset, **{self.lookup_field: self.kwargs[lookup_url_kwarg]}
            )
        return self._gated_object

    def get_object(self) -> models.Model:
        obj = self._gated_lookup()
        self.check_object_permissions(self.request, obj)
        return obj
