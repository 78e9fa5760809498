"""Diagnostics in the API, read-only: self-diagnoses with their points per direction, risk
levels, assessment results and the region's catalogue of measures. Rows come through the gate
(whoever reaches the school sees its diagnostics; the catalogue is the region's). This is
diagnosis for targeted support, not a rating of schools or teachers."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from diagnostics.filters import AssessmentResultFilter, MeasureFilter, RiskLevelFilter, SelfDiagnosisFilter
from diagnostics.models import AssessmentResult, DirectionScore, Measure, RiskLevel, SelfDiagnosis
from schools.gate import GatedViewSet

NOT_A_RATING = _(
    "Диагностика для адресной поддержки, а не рейтинг школ и учителей: результаты не используются "
    "для их оценки."
)


class DirectionScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = DirectionScore
        fields = ["direction", "points", "max_points"]


class SchoolRowSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    school_name = serializers.CharField(source="school.short_name", read_only=True)
    ROW_FIELDS = ["id", "region", "school", "school_name", "year"]


class SelfDiagnosisSerializer(SchoolRowSerializer):
    scores = DirectionScoreSerializer(
        many=True, read_only=True, help_text=_("Баллы по магистральным направлениям и ключевым условиям")
    )

    class Meta:
        model = SelfDiagnosis
        fields = [*SchoolRowSerializer.ROW_FIELDS, "level", "total_points", "critical_unmet", "scores"]


class RiskLevelSerializer(SchoolRowSerializer):
    class Meta:
        model = RiskLevel
        fields = [*SchoolRowSerializer.ROW_FIELDS, "factor", "level"]


class AssessmentResultSerializer(SchoolRowSerializer):
    class Meta:
        model = AssessmentResult
        fields = [
            *SchoolRowSerializer.ROW_FIELDS,
            "kind",
            "subject",
            "grade",
            "participants",
            "lowest_share",
            "mean_score",
            "doubtful_objectivity",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "region", "deficit", "title", "description", "source_item"]


def _described(summary: str, description: str, example: dict) -> dict:
    return {
        "list": extend_schema(
            summary=summary,
            description=f"{description} {NOT_A_RATING}",
            examples=[OpenApiExample("Row", value=example, response_only=True)],
        )
    }


class SchoolRowViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    ordering_fields = ["year", "school", "id"]
    ordering = ["school", "-year", "id"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("region", "school")


@extend_schema_view(
    **_described(
        _("Самодиагностика «Школа Минпросвещения России»"),
        _(
            "Самодиагностика школ, которые вам видны: уровень, баллы всего и по направлениям, "
            "невыполненные критические показатели. Фильтры: school, municipality, year, level."
        ),
        {
            "id": 12,
            "region": "70",
            "school": 41,
            "school_name": "МБОУ «Чердатская СОШ»",
            "year": 2025,
            "level": "basic",
            "total_points": 142.0,
            "critical_unmet": ["нет школьного театра"],
            "scores": [{"direction": "knowledge", "points": 21.0, "max_points": 49.0}],
        },
    )
)
class SelfDiagnosisViewSet(SchoolRowViewSet):
    gate_model = SelfDiagnosis
    serializer_class = SelfDiagnosisSerializer
    filterset_class = SelfDiagnosisFilter

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("scores")


@extend_schema_view(
    **_described(
        _("Рисковый профиль школ"),
        _(
            "Уровень каждого фактора риска школы по годам. Фильтры: school, municipality, year, "
            "factor, level (например, level=high — высокие риски)."
        ),
        {
            "id": 301,
            "region": "70",
            "school": 41,
            "school_name": "МБОУ «Чердатская СОШ»",
            "year": 2025,
            "factor": "staff_shortage",
            "level": "high",
        },
    )
)
class RiskLevelViewSet(SchoolRowViewSet):
    gate_model = RiskLevel
    serializer_class = RiskLevelSerializer
    filterset_class = RiskLevelFilter
    ordering_fields = ["year", "school", "factor", "level", "id"]
    ordering = ["school", "-year", "factor", "id"]


@extend_schema_view(
    **_described(
        _("Результаты оценочных процедур (ВПР, ОГЭ, ЕГЭ)"),
        _(
            "Сводные результаты школы по году, процедуре и предмету: участники, доля низшего результата "
            "(«2» по ВПР и ОГЭ, ниже минимума по ЕГЭ), средний балл, признаки необъективности. Фильтры: "
            "school, municipality, year, kind, subject, grade."
        ),
        {
            "id": 77,
            "region": "70",
            "school": 41,
            "school_name": "МБОУ «Чердатская СОШ»",
            "year": 2025,
            "kind": "vpr",
            "subject": "Математика",
            "grade": 5,
            "participants": 38,
            "lowest_share": 21.1,
            "mean_score": 3.35,
            "doubtful_objectivity": False,
        },
    )
)
class AssessmentResultViewSet(SchoolRowViewSet):
    gate_model = AssessmentResult
    serializer_class = AssessmentResultSerializer
    filterset_class = AssessmentResultFilter
    ordering_fields = ["year", "school", "kind", "subject", "grade", "id"]
    ordering = ["school", "-year", "kind", "subject", "grade", "id"]


@extend_schema_view(
    **_described(
        _("Каталог мероприятий по дефицитам"),
        _(
            "Рекомендуемые мероприятия региона для фактора риска или направления самодиагностики: "
            "из пунктов дорожных карт региона (source_item) или записанные координатором. Фильтры: "
            "deficit, search."
        ),
        {
            "id": 5,
            "region": "70",
            "deficit": "teacher_competence",
            "title": "Диагностика профессиональных компетенций педагогических и управленческих команд",
            "description": "",
            "source_item": 118,
        },
    )
)
class MeasureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Measure
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    ordering_fields = ["deficit", "title", "id"]
    ordering = ["deficit", "title", "id"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("region")
