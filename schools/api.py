"""The hierarchy resources under /api/v1/ (regions, municipalities, organizations) and the schema.

Every API view inherits :class:`schools.gate.GatedViewSet`: the queryset comes only from the gate,
an object route answers 404 for what the user cannot see *before* anything else, and a write needs
the view's ``write_action``. The error format and filter helpers are in :mod:`core.api`.
"""

import functools
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, serializers
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from schools import access, selectors
from schools.filters import MunicipalityFilter, OrganizationFilter
from schools.gate import GatedViewMixin, GatedViewSet
from schools.models import Municipality, Organization, Region, SchoolStatus


class TokenAuthScheme(OpenApiAuthenticationExtension):
    target_class = "schools.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("Личный токен из профиля: `Authorization: Bearer rmp_…`"),
        }


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


def _region_order(request: Request) -> list:
    """The list's order of regions (access.region_order), or none when ``region=<code>`` cuts it
    to one region: the join of the regions a reader of the country orders by would then sort
    rows that all have the same code."""
    if request.query_params.get("region"):
        return []
    return access.region_order(request.user)


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Region
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{2,3}"
    ordering_fields = ["code", "name"]
    ordering = ["code"]


class MunicipalityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Municipality
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    ordering_fields = ["name", "id"]

    @property
    def ordering(self) -> list:
        # By region code, then name: the code's order without joining the regions table.
        return [*_region_order(self.request), "name"]

    def get_queryset(self) -> QuerySet:
        # The region (its code) read apart from the page's rows (core/paging.py), from the
        # user's regions this request has read already: joined to the rows, PostgreSQL expected
        # one row and read the regions table again for each of them.
        return super().get_queryset().select_related("region")


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Organization
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["short_name", "id"]

    @property
    def ordering(self) -> list:
        # By region code, then short name (one region's index order, no join of the regions).
        return [*_region_order(self.request), "short_name"]

    def get_queryset(self) -> QuerySet:
        # The region apart from the rows (see the municipalities) and the statuses in a query of
        # their own, by their own region too, not a descent of the country's index per school.
        return (
            super()
            .get_queryset()
            .select_related("region")
            .prefetch_related(selectors.statuses_of_regions(self.request.user))
        )


# --- Schema -----------------------------------------------------------------------------------


class SchemaViewSet(GatedViewSet):
    """The OpenAPI 3 description of this API (``docs/openapi.yaml`` is the checked-in copy).

    Readable without a token (``public_read``): an integrator generates a client before having
    one, and the schema shows no tenant data, only the shape of the API, the same for everybody.
    Built once per process: it only changes with the code.
    """

    schema = None  # not part of itself
    pagination_class = None
    filter_backends: list = []
    public_read = True

    def get_renderers(self) -> list[BaseRenderer]:
        from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer

        return [OpenApiYamlRenderer(), OpenApiJsonRenderer()]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(_schema())


@functools.cache
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


class DocsView(GatedViewMixin, SpectacularSwaggerSplitView):
    """Swagger UI for people: served from our own static files (drf-spectacular-sidecar), behind
    the login like every page; the API itself is described by ``SchemaViewSet``. The split view
    serves its start-up script as a separate request (``?script``) and our template keeps its
    styles in a static file, so the page runs under the portal's CSP (no inline script/style)."""

    url_name = "api-schema-list"
    template_name = "api/swagger_ui.html"
