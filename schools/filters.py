"""Filters of the hierarchy lists: the organizations page, a municipality's schools, the
questionnaire's assignment list and the API read the same parameters."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.filters import as_select, id_filter, year_filter
from schools.models import Municipality, Organization, SchoolStatus


class MunicipalityFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", label=_("Регион"), help_text=_("Код региона, например 70"))
    search = filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Поиск по названию"), help_text=_("Часть названия")
    )

    class Meta:
        model = Municipality
        fields = ["region", "kind"]


class OrganizationFilter(filters.FilterSet):
    search = filters.CharFilter(
        method="filter_search", label=_("Поиск по названию"), help_text=_("Часть краткого или полного названия")
    )
    region = filters.CharFilter(field_name="region__code", label=_("Регион"), help_text=_("Код региона, например 70"))
    municipality = id_filter(field_name="municipality_id", label=_("Муниципалитет"))
    kind = filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("Вид"))
    parent = id_filter(field_name="parent_id", label=_("Головная организация"))
    # Category and year name one status together (a ШНОР school *in* 2023), applied in
    # filter_queryset so both match the same status row.
    category = filters.ChoiceFilter(
        method="by_status",
        choices=SchoolStatus.Category.choices,
        label=_("Категория"),
        help_text=_("Школы с этим статусом (в году `year`, если он задан)"),
    )
    year = year_filter(method="by_status_year", label=_("Год"), help_text=_("Год статуса"))

    class Meta:
        model = Organization
        fields = ["region", "municipality", "kind", "parent", "category", "year"]

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(short_name__icontains=value) | Q(name__icontains=value))

    # Two methods, though both wait for filter_queryset: the API schema reads each parameter's
    # type from its method's hint.
    def by_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs  # see filter_queryset

    def by_status_year(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        return qs  # see filter_queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        qs = super().filter_queryset(queryset)
        status = {
            f"statuses__{key}": self.form.cleaned_data[key]
            for key in ("category", "year")
            if self.form.cleaned_data.get(key)
        }
        return qs.filter(**status).distinct() if status else qs

    def for_page(
        self, *, years: list[int], municipalities: Iterable[Municipality] | None = None
    ) -> "OrganizationFilter":
        """Selects of what the user sees, for a page that renders this filter's form."""
        as_select(self, "year", [(y, str(y)) for y in years], empty_label=_("Все годы"))
        self.form.fields["category"].choices = [("", _("Все категории")), *SchoolStatus.Category.choices]
        self.form.fields["kind"].choices = [("", _("Все виды")), *Organization.Kind.choices]
        if municipalities is not None:
            as_select(self, "municipality", [(m.pk, m.name) for m in municipalities], empty_label=_("Все муниципалитеты"))
        return self
