"""Execution tracking in the API: obligations (filters: roadmap, executor, period, status,
overdue), the executor's report on one (save, evidence upload, submit), its review (accept,
return, reopen) and evidence files. Thin: parse → service (which checks the gate) → serialize."""

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from core.api import (
    ERROR,
    IDEMPOTENCY_PARAMETER,
    StrictCharField,
    StrictSerializer,
    absolute_url,
    created,
    idempotent,
    per_action,
)
from core.downloads import attachment
from core.uploads import ALLOWED
from monitoring import rules, services
from monitoring.filters import EvidenceFilter, ExecutionReportFilter, ObligationFilter, RoundFilter
from monitoring.models import Evidence, ExecutionReport, MonitoringRound, Obligation, ReportEvent
from schools.gate import GatedViewSet

Review = ExecutionReport.Review


# --- Serializers ------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text=_("Адрес файла в API (для ссылки — null)"))

    class Meta:
        model = Evidence
        fields = [
            "id",
            "report",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "url",
            "description",
            "uploaded_at",
            "download",
        ]

    def get_download(self, obj: Evidence) -> str | None:
        if obj.kind != Evidence.Kind.FILE:
            return None
        return absolute_url(self.context, f"/api/v1/evidence/{obj.pk}/download/")


def execution_status_field(**kwargs: Any) -> serializers.ChoiceField:
    """The executor's «status» is ``execution_status`` in the API, as in the filters: on its own,
    «status» would be read as the review state, which is ``review_state`` everywhere."""
    return serializers.ChoiceField(
        choices=ExecutionReport.Status.choices,
        help_text=_("Исполнение: что сообщил исполнитель (выполнено, частично, не выполнено…)"),
        **kwargs,
    )


class EventSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", default=None, read_only=True)
    execution_status = execution_status_field(source="status", read_only=True)

    class Meta:
        model = ReportEvent
        fields = ["at", "action", "execution_status", "review_state", "comment", "user"]


class ReportSummarySerializer(serializers.ModelSerializer):
    execution_status = execution_status_field(source="status", read_only=True)

    class Meta:
        model = ExecutionReport
        fields = ["id", "execution_status", "review_state", "submitted_at", "is_late", "reviewed_at"]


class ExecutionReportSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    execution_status = execution_status_field(source="status", read_only=True)

    class Meta:
        model = ExecutionReport
        fields = [
            "id",
            "obligation",
            "execution_status",
            "comment",
            "actual_value",
            "done_on",
            "review_state",
            "submitted_at",
            "is_late",
            "reviewed_at",
            "review_comment",
            "updated_at",
            "evidence",
            "events",
        ]
        # Only a report in the trash lets go of its obligation, and the trash is not in the API.
        extra_kwargs = {"obligation": {"allow_null": False, "required": True}}


class _Ref(serializers.Serializer):
    id = serializers.IntegerField()


class ItemRefSerializer(_Ref):
    number = serializers.CharField()
    text = serializers.CharField()


class OrgRefSerializer(_Ref):
    short_name = serializers.CharField()


class ObligationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item = ItemRefSerializer(read_only=True)
    executor = OrgRefSerializer(read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("Срок прошёл, а отчёт не отправлен и не принят"))
    report = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "id",
            "region",
            "roadmap",
            "item",
            "executor",
            "window_start",
            "due_date",
            "cancelled",
            "overdue",
            "report",
        ]

    def _report(self, obj: Obligation) -> ExecutionReport | None:
        try:
            return obj.report
        except ExecutionReport.DoesNotExist:
            return None

    def get_overdue(self, obj: Obligation) -> bool:
        report = self._report(obj)
        sent = report is not None and report.review_state in (Review.SUBMITTED, Review.ACCEPTED)
        return not sent and obj.due_date < timezone.localdate()

    @extend_schema_field(ReportSummarySerializer(allow_null=True))
    def get_report(self, obj: Obligation) -> dict[str, Any] | None:
        report = self._report(obj)
        return ReportSummarySerializer(report, context=self.context).data if report else None


class ObligationDetailSerializer(ObligationSerializer):
    report = serializers.SerializerMethodField()

    class Meta(ObligationSerializer.Meta):
        fields = ObligationSerializer.Meta.fields

    @extend_schema_field(ExecutionReportSerializer(allow_null=True))
    def get_report(self, obj: Obligation) -> dict[str, Any] | None:
        report = self._report(obj)
        return ExecutionReportSerializer(report, context=self.context).data if report else None


class ReportFieldsSerializer(StrictSerializer):
    execution_status = execution_status_field()
    comment = StrictCharField(required=False, allow_blank=True, default="", max_length=20000)
    actual_value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True)


class SubmitSerializer(StrictSerializer):
    """Optionally the report's fields, saved just before submitting (one history line)."""

    execution_status = execution_status_field(required=False)
    comment = StrictCharField(required=False, allow_blank=True, max_length=20000)
    actual_value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True)


class EvidenceInputSerializer(StrictSerializer):
    file = serializers.FileField(
        required=False, help_text=_("Файл (multipart/form-data): PDF, DOCX, XLSX, JPG, PNG…")
    )
    url = StrictCharField(required=False, allow_blank=True, max_length=1000, help_text=_("Или ссылка"))
    description = StrictCharField(required=False, allow_blank=True, default="", max_length=300)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("file")) == bool(attrs.get("url")):
            raise serializers.ValidationError(
                {"file": [_("Приложите файл или укажите ссылку (одно из двух).")]}
            )
        return attrs


class CommentSerializer(StrictSerializer):
    comment = StrictCharField(required=False, allow_blank=True, default="", max_length=20000)


def _service_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The API's ``execution_status`` is the service's (and the model's) ``status``."""
    fields = dict(fields)
    if "execution_status" in fields:
        fields["status"] = fields.pop("execution_status")
    return fields


class RoundSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("Код региона"))
    roadmap_title = serializers.CharField(
        source="roadmap.title", read_only=True, help_text=_("Название дорожной карты")
    )
    label = serializers.CharField(read_only=True, help_text=_("Квартал словами: «2 квартал 2023»"))

    class Meta:
        model = MonitoringRound
        fields = [
            "id",
            "region",
            "roadmap",
            "roadmap_title",
            "label",
            "period_start",
            "period_end",
            "deadline",
            "state",
            "opened_at",
            "closed_at",
        ]


# --- Views ------------------------------------------------------------------------------------


class ObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """What somebody must report by when, with the report on it (if any)."""

    region_required_for_country = True
    gate_model = Obligation
    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter
    ordering_fields = ["due_date", "window_start", "id"]
    ordering = ["due_date", "item__position", "executor__short_name", "id"]
    write_action = per_action(report=rules.FILE_REPORT, evidence=rules.FILE_REPORT, submit=rules.FILE_REPORT)

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset().select_related("item", "executor", "region", "report")
        if self.action == "list" and "cancelled" not in self.request.query_params:
            qs = qs.filter(cancelled=False)
        return qs

    def get_serializer_class(self) -> type[BaseSerializer]:
        return ObligationSerializer if self.action == "list" else ObligationDetailSerializer

    def _detail(self, obligation: Obligation, code: int = status.HTTP_200_OK) -> Response:
        obligation = self.get_queryset().get(pk=obligation.pk)  # fresh: the report may be new
        return Response(
            ObligationDetailSerializer(obligation, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        request=ReportFieldsSerializer,
        responses={200: ObligationDetailSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Сохранить отчёт об исполнении (черновик; создаётся при первом сохранении)"),
        description=_(
            "Исполнитель сохраняет поля отчёта; review_state остаётся draft (или returned), на проверку "
            "он уходит через submit. Отправленный или принятый отчёт менять нельзя — 409 (code: conflict)."
        ),
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: int | None = None) -> Response:
        obligation = self.get_object()
        data = ReportFieldsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.do_save_report(
            actor=request.user, obligation=obligation, **_service_fields(data.validated_data)
        )
        return self._detail(obligation)

    @extend_schema(
        request={"multipart/form-data": EvidenceInputSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: EvidenceSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Приложить подтверждение: файл (multipart) или ссылку"),
        description=_(
            "multipart/form-data: file (PDF, DOCX, XLSX, JPG, PNG… — тип проверяется по содержимому) или "
            "url (http/https), и description. Ответ 201 с Location. С заголовком Idempotency-Key повтор "
            "запроса не приложит файл второй раз."
        ),
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    @idempotent
    def evidence(self, request: Request, pk: int | None = None) -> Response:
        obligation = self.get_object()
        data = EvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if d.get("file"):
            upload = d["file"]  # its size was checked while it arrived (core/http.py)
            evidence = services.do_add_file(
                actor=request.user,
                obligation=obligation,
                name=upload.name,
                data=upload.read(),
                description=d.get("description", ""),
            )
        else:
            evidence = services.do_add_link(
                actor=request.user, obligation=obligation, url=d["url"], description=d.get("description", "")
            )
        data = EvidenceSerializer(evidence, context=self.get_serializer_context()).data
        return created(request, data, f"/api/v1/evidence/{evidence.pk}/")

    @extend_schema(
        request=SubmitSerializer,
        responses={200: ObligationDetailSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Отправить отчёт на проверку (можно сразу с полями отчёта)"),
        examples=[
            OpenApiExample(
                "done",
                summary=_("Выполнено, с комментарием"),
                value={
                    "execution_status": "done",
                    "comment": "Приказ УО Зырянского района от 12.04.2023 № 87 о назначении координатора",
                    "done_on": "2023-04-12",
                },
                request_only=True,
            )
        ],
        description=_(
            "Поля тела (все необязательны) сохраняются перед отправкой. Нужны итог (execution_status "
            "done, partial, failed или not_required), для done и partial — хотя бы одно подтверждение, "
            "для остальных — комментарий; иначе 400 с объяснением. Уже отправленный — 409."
        ),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int | None = None) -> Response:
        obligation = self.get_object()
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if fields:
            current = (
                ExecutionReport.objects.visible_to(self.request.user).filter(obligation=obligation).first()
            )
            base = {
                "status": current.status if current else ExecutionReport.Status.NOT_STARTED,
                "comment": current.comment if current else "",
                "actual_value": current.actual_value if current else None,
                "done_on": current.done_on if current else None,
            }
            services.do_save_report(
                actor=request.user, obligation=obligation, record=False, **(base | _service_fields(fields))
            )
        services.do_submit_report(actor=request.user, obligation=obligation)
        return self._detail(obligation)


def _alive(**relations: type) -> list[Prefetch]:
    """Prefetches of reverse relations with their default (trash-hiding) queryset given once: without
    it Django asks each report's related manager for its queryset, and a gated manager builds its
    trash subqueries anew per report (two thirds of a 50-report page's time). Same SQL, same rows."""
    return [Prefetch(name, queryset=model.objects.all()) for name, model in relations.items()]


class ExecutionReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Reports on obligations with evidence and history; review as explicit actions."""

    region_required_for_country = True
    gate_model = ExecutionReport
    serializer_class = ExecutionReportSerializer
    filterset_class = ExecutionReportFilter
    ordering_fields = ["updated_at", "submitted_at", "id"]
    ordering = ["-updated_at", "-id"]
    write_action = per_action(
        accept=rules.REVIEW_REPORT, return_report=rules.REVIEW_REPORT, reopen=rules.REOPEN_REPORT
    )

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("obligation")
            .prefetch_related(*_alive(evidence=Evidence, events=ReportEvent), "events__user")
        )

    def _review(
        self, step: Callable[..., ExecutionReport], request: Request, field: str = "comment"
    ) -> Response:
        """Run one review service with the posted comment; answer with the updated report."""
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = step(actor=request.user, report=self.get_object(), **{field: data.validated_data["comment"]})
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        request=CommentSerializer,
        responses={200: ExecutionReportSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Принять отчёт"),
        examples=[
            OpenApiExample(
                "conflict",
                summary=_("Отчёт уже принят"),
                value={
                    "code": "conflict",
                    "detail": "Принять можно только отчёт, отправленный на проверку.",
                    "fields": {},
                },
                response_only=True,
                status_codes=["409"],
            )
        ],
        description=_(
            "Для проверяющего (координатор, куратор своих школ). Принять можно только отчёт в состоянии "
            "submitted; иначе — 409 (code: conflict)."
        ),
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int | None = None) -> Response:
        return self._review(services.do_accept_report, request)

    @extend_schema(
        request=CommentSerializer,
        responses={200: ExecutionReportSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Вернуть отчёт на доработку (комментарий обязателен)"),
        description=_(
            "Отчёт в состоянии submitted возвращается исполнителю (returned) с комментарием, который он "
            "увидит. Без комментария — 400, не в состоянии submitted — 409."
        ),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request: Request, pk: int | None = None) -> Response:
        return self._review(services.do_return_report, request)

    @extend_schema(
        request=CommentSerializer,
        responses={200: ExecutionReportSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Открыть принятый отчёт повторно (координатор; причина обязательна)"),
        description=_(
            "Только региональный координатор: принятый отчёт снова открывается исполнителю (returned). "
            "Поле comment — причина, она обязательна."
        ),
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: int | None = None) -> Response:
        return self._review(services.do_reopen_report, request, field="reason")


class EvidenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, GatedViewSet
):
    region_required_for_country = True
    gate_model = Evidence
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    ordering_fields = ["uploaded_at", "id"]
    ordering = ["-uploaded_at", "-id"]
    write_action = per_action(destroy=rules.FILE_REPORT)

    def perform_destroy(self, instance: Evidence) -> None:
        services.do_remove_evidence(actor=self.request.user, evidence=instance)

    @extend_schema(
        # The file goes out with the type its content was recognised as on upload.
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY)
            for content_type in ["application/octet-stream", *sorted({ct for _exts, ct in ALLOWED.values()})]
        },
        summary=_("Скачать файл подтверждения"),
        description=_(
            "Файл отдаётся с типом, определённым при загрузке, и Content-Disposition: attachment. Для "
            "подтверждения-ссылки — 404."
        ),
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: int | None = None) -> HttpResponseBase:
        evidence = self.get_object()
        if evidence.kind != Evidence.Kind.FILE:
            raise Http404
        return attachment(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Quarterly monitoring rounds over the roadmaps the user sees: the ``round`` a quarterly
    report (``POST /reports/`` with ``kind=quarterly``) is ordered for."""

    gate_model = MonitoringRound
    serializer_class = RoundSerializer
    filterset_class = RoundFilter
    ordering_fields = ["period_start", "deadline", "id"]
    ordering = ["-period_start", "roadmap_id", "id"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("region", "roadmap")
