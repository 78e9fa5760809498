"""Roadmaps in the API: roadmaps with their sections and items (read), item updates for whoever
may edit the roadmap (coordinators; a municipality or school on its own). Writes go through
``roadmaps.services.do_update_item``, which re-reads dates, targets and executors and keeps
the history."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from core.api import ERROR, StrictCharField, StrictSerializer, created, per_action
from roadmaps import rules, selectors, services
from roadmaps.filters import ItemFilter, RoadmapFilter
from roadmaps.models import ControlDate, Item, ItemExecutor, Roadmap, Section
from schools.gate import GatedViewSet
from schools.models import User


class ControlDateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ControlDate
        fields = ["window_start", "due_date"]


class ItemExecutorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemExecutor
        fields = ["text", "organization", "group", "persons"]


class ItemSerializer(serializers.ModelSerializer):
    control_dates = ControlDateSerializer(many=True, read_only=True)
    executors = ItemExecutorSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "roadmap",
            "section",
            "parent",
            "position",
            "number",
            "text",
            "schedule_text",
            "schedule_kind",
            "schedule_understood",
            "schedule_note",
            "control_dates",
            "indicator_text",
            "target_value",
            "target_unit",
            "target_comparator",
            "target_per",
            "result_text",
            "executors_text",
            "executors",
        ]
        read_only_fields = [f for f in fields if f not in services.EDITABLE]


class ItemCreateSerializer(StrictSerializer):
    """A new item as written; dates, target and executors are read from the texts."""

    number = StrictCharField(required=False, allow_blank=True, max_length=20)
    text = StrictCharField(max_length=20000)
    section = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10**18)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10**18)
    schedule_text = StrictCharField(required=False, allow_blank=True, max_length=2000)
    indicator_text = StrictCharField(required=False, allow_blank=True, max_length=5000)
    result_text = StrictCharField(required=False, allow_blank=True, max_length=5000)
    executors_text = StrictCharField(required=False, allow_blank=True, max_length=5000)
    manual_dates = StrictCharField(required=False, allow_blank=True, max_length=2000)


class ItemUpdateSerializer(StrictSerializer):
    """Fields as written in the document; what the portal understands is re-read from them."""

    number = StrictCharField(required=False, allow_blank=True, max_length=20)
    text = StrictCharField(required=False, allow_blank=True, max_length=20000)
    schedule_text = StrictCharField(required=False, allow_blank=True, max_length=2000)
    indicator_text = StrictCharField(required=False, allow_blank=True, max_length=5000)
    result_text = StrictCharField(required=False, allow_blank=True, max_length=5000)
    executors_text = StrictCharField(required=False, allow_blank=True, max_length=5000)
    manual_dates = StrictCharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Даты вручную, если срок не распознан")
    )
    comment = StrictCharField(required=False, allow_blank=True, max_length=2000)


class SectionSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "position", "title", "items"]


class RoadmapSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner_name = serializers.CharField(source="owner.short_name", read_only=True)
    act = serializers.CharField(source="act_label", read_only=True)

    class Meta:
        model = Roadmap
        fields = [
            "id",
            "region",
            "level",
            "owner",
            "owner_name",
            "title",
            "period_start",
            "period_end",
            "parent",
            "status",
            "act",
            "act_kind",
            "act_number",
            "act_date",
            "approved_at",
        ]


class RoadmapDetailSerializer(RoadmapSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(RoadmapSerializer.Meta):
        fields = [*RoadmapSerializer.Meta.fields, "sections"]


def _items(user: User) -> QuerySet:
    return Item.objects.visible_to(user).prefetch_related(*selectors.item_parts()).order_by("position")


class RoadmapViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Roadmaps; the detail has every section with its items."""

    gate_model = Roadmap
    write_action = per_action(add_item=rules.EDIT_ROADMAP)

    @extend_schema(
        request=ItemCreateSerializer,
        responses={201: ItemSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Добавить пункт в дорожную карту (координатор; муниципалитет или школа — в свою)"),
        description=_(
            "Пункт записывается как в документе; сроки, показатель и исполнители распознаются из текстов "
            "(нераспознанный срок можно задать в manual_dates). Ответ 201 с Location пункта."
        ),
    )
    @action(detail=True, methods=["post"], url_path="items")
    def add_item(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        roadmap = self.get_object()
        data = ItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        section_id, parent_id = d.pop("section", None), d.pop("parent", None)
        section = roadmap.sections.filter(pk=section_id).first() if section_id else None
        parent = roadmap.items.filter(pk=parent_id).first() if parent_id else None
        if (section_id and section is None) or (parent_id and parent is None):
            raise serializers.ValidationError(
                {
                    "section" if section_id and section is None else "parent": [
                        _("Нет такого раздела или пункта в этой дорожной карте.")
                    ]
                }
            )
        item = services.do_create_item(
            actor=request.user, roadmap=roadmap, section=section, parent=parent, **d
        )
        return created(
            request,
            ItemSerializer(_items(request.user).get(pk=item.pk)).data,
            f"/api/v1/roadmap-items/{item.pk}/",
        )

    serializer_class = RoadmapSerializer
    filterset_class = RoadmapFilter
    ordering_fields = ["period_start", "title", "id"]
    ordering = ["-period_start", "level", "title", "id"]

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset().select_related("region", "owner")
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("sections__items", queryset=_items(self.request.user)))
        return qs

    def get_serializer_class(self) -> type[BaseSerializer]:
        return RoadmapDetailSerializer if self.action == "retrieve" else RoadmapSerializer


@extend_schema_view(
    partial_update=extend_schema(
        request=ItemUpdateSerializer,
        responses={200: ItemSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Изменить пункт (сроки, показатель, исполнители перечитываются; история сохраняется)"),
    )
)
class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Item
    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    ordering_fields = ["position", "id"]
    ordering = ["roadmap_id", "position"]
    http_method_names = ["get", "patch", "head", "options"]
    write_action = per_action(partial_update=rules.EDIT_ROADMAP)

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related(*selectors.item_parts())

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        data = ItemUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        manual, comment = d.pop("manual_dates", ""), d.pop("comment", "")
        services.do_update_item(actor=request.user, item=item, values=d, manual_dates=manual, comment=comment)
        return Response(ItemSerializer(self.get_queryset().get(pk=item.pk)).data)
