"""Filters of diagnostics lists: the API (and pages that list the same rows) read the same names.
A bad value — an unknown code, a year out of range — is a 400 naming the parameter."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from core.filters import IntegerFilter, id_filter, year_filter
from diagnostics.models import (
    ASSESSMENT_CHOICES,
    DEFICIT_CHOICES,
    RISK_FACTOR_CHOICES,
    AssessmentResult,
    Measure,
    RiskLevel,
    SelfDiagnosis,
)
from schools.filters import region_filter


def _flat(grouped: list) -> list[tuple[str, str]]:
    return [choice for _group, choices in grouped for choice in choices]


def _grade_filter() -> IntegerFilter:
    grade = IntegerFilter(min_value=1, max_value=11, field_name="grade", label=_("Класс"))
    # The schema of an IntegerFilter is its override: the description goes there too.
    set_override(
        grade,
        "field",
        {
            "type": "integer",
            "minimum": 1,
            "maximum": 11,
            "description": str(_("Класс (ВПР: 4–11; ОГЭ, ЕГЭ: пусто)")),
        },
    )
    return grade


class SchoolRowFilter(filters.FilterSet):
    """What the three kinds of a school's diagnostics share: the school, its municipality, the year."""

    region = region_filter()
    school = id_filter(field_name="school_id", label=_("Школа"), help_text=_("Школа (id)"))
    municipality = id_filter(
        field_name="school__municipality_id",
        label=_("Муниципалитет"),
        help_text=_("Муниципалитет школы (id)"),
    )
    year = year_filter(field_name="year", label=_("Год"), help_text=_("Год диагностики, например 2025"))


class SelfDiagnosisFilter(SchoolRowFilter):
    level = filters.ChoiceFilter(
        choices=SelfDiagnosis.Level.choices,
        label=_("Уровень"),
        help_text=_("Уровень по самодиагностике: below_basic, basic, medium, full"),
    )

    class Meta:
        model = SelfDiagnosis
        fields = ["school", "municipality", "year", "level"]


class RiskLevelFilter(SchoolRowFilter):
    factor = filters.ChoiceFilter(choices=RISK_FACTOR_CHOICES, label=_("Фактор риска"))
    level = filters.ChoiceFilter(
        choices=RiskLevel.Level.choices, label=_("Уровень риска"), help_text=_("low, medium или high")
    )

    class Meta:
        model = RiskLevel
        fields = ["school", "municipality", "year", "factor", "level"]


class AssessmentResultFilter(SchoolRowFilter):
    kind = filters.ChoiceFilter(
        choices=ASSESSMENT_CHOICES, label=_("Процедура"), help_text=_("vpr (ВПР), oge (ОГЭ) или ege (ЕГЭ)")
    )
    subject = filters.CharFilter(
        field_name="subject",
        lookup_expr="icontains",
        label=_("Предмет"),
        help_text=_("Часть названия предмета"),
    )
    grade = _grade_filter()

    class Meta:
        model = AssessmentResult
        fields = ["school", "municipality", "year", "kind", "subject", "grade"]


class MeasureFilter(filters.FilterSet):
    region = region_filter()
    deficit = filters.ChoiceFilter(
        choices=_flat(DEFICIT_CHOICES),
        label=_("Дефицит"),
        help_text=_("Код фактора риска или направления самодиагностики"),
    )
    search = filters.CharFilter(
        field_name="title",
        lookup_expr="icontains",
        label=_("Поиск"),
        help_text=_("Часть названия мероприятия"),
    )

    class Meta:
        model = Measure
        fields = ["deficit", "search"]
