"""Reports in the API: request one (it is built by a worker), poll its status, download the file."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import ERROR, IDEMPOTENCY_PARAMETER, StrictSerializer, absolute_url, created, idempotent
from core.downloads import attachment
from reporting import services
from reporting.models import Report
from schools.gate import GatedViewSet

CONTENT_TYPES = {
    Report.Format.PDF: "application/pdf",
    Report.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    finished = serializers.BooleanField(read_only=True)
    download = serializers.SerializerMethodField(help_text=_("Адрес файла, когда отчёт готов; иначе null"))

    class Meta:
        model = Report
        fields = [
            "id",
            "region",
            "kind",
            "fmt",
            "params",
            "title",
            "status",
            "progress",
            "message",
            "finished",
            "created_at",
            "finished_at",
            "download",
        ]

    def get_download(self, obj: Report) -> str | None:
        if obj.status != Report.Status.DONE or not obj.file:
            return None
        return absolute_url(self.context, f"/api/v1/reports/{obj.pk}/download/")


class ReportRequestSerializer(StrictSerializer):
    """What to build; the subject parameter depends on the kind (round, municipality, school,
    questionnaire). The service checks the subject against the gate."""

    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    fmt = serializers.ChoiceField(choices=Report.Format.choices, default=Report.Format.PDF)
    round = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Раунд мониторинга (quarterly)")
    )
    municipality = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Муниципалитет (municipal)")
    )
    school = serializers.IntegerField(required=False, min_value=1, help_text=_("Школа (school)"))
    questionnaire = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Анкета (questionnaire)")
    )
    roadmap = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Дорожная карта (roadmap): её XLSX/PDF, построенный в фоне")
    )
    start = serializers.DateField(required=False, help_text=_("Начало периода (municipal)"))
    end = serializers.DateField(required=False, help_text=_("Конец периода (municipal)"))

    def allowed_keys(self, data: Any) -> set[str]:
        """Only the fields of the kind asked for: a «school» in a quarterly order is a mistake."""
        if data.get("kind") == Report.Kind.NATIONAL:
            return {"kind", "fmt"}
        subject = services.SUBJECTS.get(data.get("kind")) if isinstance(data.get("kind"), str) else None
        if subject is None:
            return set(self.fields)
        extra = {"start", "end"} if data.get("kind") == Report.Kind.MUNICIPAL else set()
        return {"kind", "fmt", subject[1], *extra}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["kind"]
        if kind == Report.Kind.NATIONAL:
            # The whole country, XLSX only (the format may be left out).
            if "fmt" not in self.initial_data:
                attrs["fmt"] = Report.Format.XLSX
            attrs["params"] = {}
            return attrs
        subject = services.SUBJECTS.get(kind)
        if subject is None:
            raise serializers.ValidationError(
                {"kind": [_("Этот вид отчёта пока нельзя заказать через API.")]}
            )
        name = subject[1]
        if not attrs.get(name):
            raise serializers.ValidationError({name: [_("Укажите, о чём отчёт.")]})
        params = {name: attrs[name]}
        if kind == Report.Kind.MUNICIPAL:
            for key in ("start", "end"):
                if not attrs.get(key):
                    raise serializers.ValidationError({key: [_("Укажите период: даты начала и конца.")]})
                params[key] = attrs[key].isoformat()
        attrs["params"] = params
        return attrs


def _request_for_kind(kind: str) -> serializers.Serializer:
    """The request of one kind as the schema shows it: its subject (and for «municipal» the period)
    required. Built from ``ReportRequestSerializer`` and ``services.SUBJECTS``, so it cannot drift
    from what the view checks."""
    base = ReportRequestSerializer().fields
    kind_field = serializers.ChoiceField(choices=[(kind, Report.Kind(kind).label)])
    if kind == Report.Kind.NATIONAL:
        names = []
        fmt = serializers.ChoiceField(choices=[(Report.Format.XLSX, "XLSX")], default=Report.Format.XLSX)
    else:
        names = [services.SUBJECTS[kind][1], *(("start", "end") if kind == Report.Kind.MUNICIPAL else ())]
        fmt = base["fmt"].__class__(choices=Report.Format.choices, default=Report.Format.PDF)
    fields = {"kind": kind_field, "fmt": fmt}
    for name in names:
        field = base[name]
        fields[name] = field.__class__(
            required=True,
            help_text=field.help_text,
            **({"min_value": 1} if name not in ("start", "end") else {}),
        )
    cls = type(f"{Report.Kind(kind).name.title()}ReportSerializer", (serializers.Serializer,), fields)
    return cls()


REPORT_REQUEST = PolymorphicProxySerializer(
    component_name="ReportOrder",
    serializers={str(kind): _request_for_kind(kind) for kind in [*services.SUBJECTS, Report.Kind.NATIONAL]},
    resource_type_field_name="kind",
)


class ReportFilter(filters.FilterSet):
    class Meta:
        model = Report
        fields = ["kind", "fmt", "status"]


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Reports the user may see: region-wide roles all of the region's, others their own."""

    gate_model = Report
    # A request names its subject in the body and the service checks it against the gate, so the
    # POST on the list creates nothing the user could not see (as the «Отчёты» page does).
    acts_on_self = True
    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet:
        # The serializer names each report's region by code: one join, not a query per row.
        return super().get_queryset().select_related("region")

    @extend_schema(
        request=REPORT_REQUEST,
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[
            OpenApiExample(
                "quarterly",
                summary=_("Квартальный отчёт по раунду (id из /rounds/)"),
                value={"kind": "quarterly", "round": 3, "fmt": "xlsx"},
                request_only=True,
            ),
            OpenApiExample(
                "municipal",
                summary=_("Сводка по муниципалитету за год"),
                value={
                    "kind": "municipal",
                    "municipality": 12,
                    "start": "2023-01-01",
                    "end": "2023-12-31",
                    "fmt": "pdf",
                },
                request_only=True,
            ),
            OpenApiExample(
                "queued",
                summary=_("Отчёт принят в работу"),
                value={
                    "id": 41,
                    "region": "70",
                    "kind": "quarterly",
                    "fmt": "xlsx",
                    "params": {"round": 3},
                    "title": "Мониторинг исполнения: 2 квартал 2023",
                    "status": "queued",
                    "progress": 0,
                    "message": "",
                    "finished": False,
                    "created_at": "2026-12-01T15:20:04+07:00",
                    "finished_at": None,
                    "download": None,
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
        responses={201: ReportSerializer},
        summary=_("Заказать отчёт (строится в фоне; следите за status)"),
        description=_(
            "Поля зависят от вида отчёта (kind): quarterly — round; municipal — municipality, start и end "
            "(end не раньше start); school — school; questionnaire — questionnaire; national (все "
            "обязательства страны, только XLSX; администратор платформы и федеральный наблюдатель) — без "
            "полей. Без нужного поля или с неверной датой — 400 с именем поля в fields."
        ),
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        report = services.do_request_report(
            actor=request.user, kind=d["kind"], fmt=d["fmt"], params=d["params"]
        )
        data = ReportSerializer(report, context=self.get_serializer_context()).data
        return created(request, data, f"/api/v1/reports/{report.pk}/")

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY
            ),
            404: ERROR,
        },
        summary=_("Скачать готовый отчёт (404, пока он не готов)"),
        description=_(
            "PDF или XLSX по формату заказа. Пока status не done — 404; ссылку на файл даёт поле download "
            "отчёта, когда он готов."
        ),
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: int | None = None) -> HttpResponseBase:
        report = self.get_object()
        if report.status != Report.Status.DONE:
            raise Http404
        return attachment(
            report.file,
            filename=report.filename or f"report.{report.fmt}",
            content_type=CONTENT_TYPES[report.fmt],
        )
