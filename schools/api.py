"""The API's common ground and the hierarchy resources under /api/v1/.

Every API view inherits :class:`GatedApiViewSet` (a :class:`~schools.gate.GatedViewSet`): the
queryset comes only from the gate, an object route answers 404 for what the user cannot see
*before* anything else (even on a method the route does not take), and a write needs the view's
``write_action`` for the current DRF action. Errors have one shape everywhere::

    {"detail": "Проверьте поля запроса.", "fields": {"status": ["Выберите статус из списка."]}}
"""

import hashlib

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import inline_serializer
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from schools.gate import GatedViewMixin, GatedViewSet
from schools.models import Municipality, Organization, Region, SchoolStatus

# --- Common ground ----------------------------------------------------------------------------


class per_action:  # noqa: N801 — used like a value in a class body
    """``write_action`` that depends on the DRF action (``submit`` → file a report …).

    Read on an instance it gives the action for ``self.action`` (None: the route takes no
    writes, so GatePermission refuses them); read on the class it gives the whole mapping, which
    is not None, so the URL walk knows the view writes and checks a read-only role gets 403.
    """

    def __init__(self, **mapping: str):
        self.mapping = mapping

    def __get__(self, obj, cls=None):
        if obj is None:
            return self.mapping
        return self.mapping.get(getattr(obj, "action", None))


class GatedApiViewSet(GatedViewSet):
    """Base of every API view of the portal (see the module docstring)."""

    def conditional(self, key: str, last_modified=None):
        """An ETag (and Last-Modified) for a read; a 304 response if the client has it already.

        ``key`` is something cheap that changes whenever the answer does (counts, latest change
        times); the user and the full URL are mixed in, because two people see different data.
        """
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


class TokenAuthScheme(OpenApiAuthenticationExtension):
    target_class = "schools.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Личный токен из профиля: `Authorization: Bearer rmp_…`",
        }


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _flatten(v)]
    return [str(value)]


def _fields(detail) -> dict[str, list[str]]:
    return {str(k): _flatten(v) for k, v in detail.items()}


def exception_handler(exc, context):
    """Every error as ``{"detail": "…", "fields": {…}}`` in Russian.

    Services raise Django's ValidationError (with a field dict or a plain message) and
    PermissionDenied; DRF raises its own; both end up in the same shape.
    """
    from monitoring.uploads import UploadRejected
    from questionnaires.services import AnswerErrors
    from roadmaps.importing.analysis import ManualDatesError

    if isinstance(exc, ManualDatesError):
        return Response(
            {"detail": str(exc), "fields": {"manual_dates": [str(exc)]}}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, AnswerErrors):
        fields = {f"q{qid}": [msg] for qid, msg in exc.by_question.items()}
        return Response({"detail": exc.messages[0], "fields": fields}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, UploadRejected):
        return Response(
            {"detail": str(exc), "fields": {"file": [str(exc)]}}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {k: list(v) for k, v in exc.message_dict.items()}
            detail = " ".join(_flatten(fields))
            fields = {k: v for k, v in fields.items() if k != "__all__"}
        else:
            detail, fields = " ".join(exc.messages), {}
        return Response({"detail": detail, "fields": fields}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Не найдено."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, dict):
            fields = _fields(data)
            general = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
            detail = " ".join(general) or _("Проверьте поля запроса.")
        else:
            fields, detail = {}, " ".join(_flatten(data))
        response.data = {"detail": detail, "fields": fields}
    elif isinstance(exc, exceptions.Throttled):
        response.data = {
            "detail": _("Слишком много запросов. Повторите через %(s)s с.")
            % {"s": exc.wait and int(exc.wait)},
            "fields": {},
        }
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else " ".join(_flatten(data))
        response.data = {"detail": str(detail), "fields": {}}
    return response


def id_filter(**kwargs) -> filters.NumberFilter:
    """An id in a query string; out-of-range numbers are a 400, not a database error. Foreign
    keys are filtered by number, not by ModelChoiceFilter, which would tell whether another
    region's id exists."""
    return filters.NumberFilter(min_value=1, max_value=2**63 - 1, **kwargs)


def year_filter(**kwargs) -> filters.NumberFilter:
    return filters.NumberFilter(min_value=1900, max_value=2200, **kwargs)


ERROR = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


# --- Hierarchy --------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "timezone"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "region", "name", "kind"]


class StatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchoolStatus
        fields = ["year", "category", "level", "basis_document"]


class OrganizationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    statuses = StatusSerializer(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "region",
            "municipality",
            "kind",
            "short_name",
            "name",
            "legal_form",
            "parent",
            "is_rural",
            "is_small",
            "director_name",
            "statuses",
        ]


class MunicipalityFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", help_text="Код региона, например 70")
    search = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Часть названия")

    class Meta:
        model = Municipality
        fields = ["region", "kind"]


class OrganizationFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", help_text="Код региона, например 70")
    category = filters.ChoiceFilter(
        field_name="statuses__category",
        choices=SchoolStatus.Category.choices,
        distinct=True,
        help_text="Школы с этим статусом (в году `year`, если он задан)",
    )
    year = year_filter(field_name="statuses__year", distinct=True)
    municipality = id_filter(field_name="municipality_id")
    parent = id_filter(field_name="parent_id")
    search = filters.CharFilter(method="filter_search", help_text="Часть краткого или полного названия")

    class Meta:
        model = Organization
        fields = ["region", "municipality", "kind", "parent", "category", "year"]

    def filter_search(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(short_name__icontains=value) | Q(name__icontains=value))


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedApiViewSet):
    gate_model = Region
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{2,3}"
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class MunicipalityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedApiViewSet):
    gate_model = Municipality
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    ordering_fields = ["name", "id"]
    ordering = ["region__code", "name"]

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedApiViewSet):
    gate_model = Organization
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["short_name", "id"]
    ordering = ["region__code", "short_name"]

    def get_queryset(self):
        return super().get_queryset().select_related("region").prefetch_related("statuses")


# --- Schema -----------------------------------------------------------------------------------


class SchemaViewSet(GatedApiViewSet):
    """The OpenAPI 3 description of this API (``docs/openapi.yaml`` is the checked-in copy).

    A GatedViewSet so that a script with a token can read it and an anonymous visitor cannot;
    it shows no tenant data, only the shape of the API, the same for everybody.
    """

    schema = None  # not part of itself
    pagination_class = None
    filter_backends: list = []

    def get_renderers(self):
        from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer

        return [OpenApiYamlRenderer(), OpenApiJsonRenderer()]

    def list(self, request, *args, **kwargs):
        from drf_spectacular.generators import SchemaGenerator

        return Response(SchemaGenerator().get_schema(request=None, public=True))


class DocsView(GatedViewMixin, SpectacularSwaggerSplitView):
    """Swagger UI for people: served from our own static files (drf-spectacular-sidecar), behind
    the login like every page; the API itself is described by ``SchemaViewSet``. The split view
    serves its start-up script as a separate request (``?script``) and our template keeps its
    styles in a static file, so the page runs under the portal's CSP (no inline script/style)."""

    url_name = "api-schema-list"
    template_name = "api/swagger_ui.html"
