"""Read-only API of the hierarchy under /api/v1/; every view is a GatedViewSet."""

from rest_framework import mixins, serializers

from schools.gate import GatedViewSet
from schools.models import Municipality, Organization, Region, SchoolStatus


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


class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Region
    serializer_class = RegionSerializer
    lookup_field = "code"


class MunicipalityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Municipality
    serializer_class = MunicipalitySerializer

    def get_queryset(self):
        return super().get_queryset().select_related("region").order_by("region__code", "name")


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Organization
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("region")
            .prefetch_related("statuses")
            .order_by("region__code", "short_name")
        )
