"""Filters of the hierarchy lists: the organizations page, a municipality's schools, the
questionnaire's assignment list and the API read the same parameters."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.filters import as_select, id_filter, year_filter
from schools import access
from schools.models import Municipality, Organization, Region, SchoolStatus


class RegionFilter(filters.CharFilter):
    """A region by its code («70»), matched on the row's own ``region_id`` (its index), not by a
    join to the regions table. A code the portal does not know gives no rows.

    The id is read first (one small query): compared with a number, the planner knows the region
    and its size, as on a region member's list; through a subquery it guessed an average region
    and chose plans that grew with the country (8,800 buffers instead of 1,600 at 85 regions)."""

    def filter(self, qs: QuerySet, value: str | None) -> QuerySet:
        if not value:
            return qs
        # Among the regions the user reads (once per request: access.readable_regions, which the
        # list's rows take their region from too); any other code is looked up (a region not the
        # user's, whose rows the gate hides anyway).
        request = getattr(self.parent, "request", None)
        user = getattr(request, "user", None)
        regions = access.readable_regions(user) if user is not None else []
        region_id = next((region.pk for region in regions if region.code == value), None)
        if region_id is None:
            region_id = Region.objects.filter(code=value).values_list("pk", flat=True).first()
        return qs.filter(region_id=region_id) if region_id is not None else qs.none()


def region_filter(*, required_for_country: bool = False) -> RegionFilter:
    if required_for_country:
        help_text = _(
            "Код региона, например 70. Обязателен для читателей всей страны (федеральный наблюдатель, "
            "администратор платформы): вся страна — выгрузка всех обязательств (отчёт national)."
        )
    else:
        help_text = _("Код региона, например 70")
    return RegionFilter(label=_("Регион"), help_text=help_text)


class MunicipalityFilter(filters.FilterSet):
    region = region_filter()
    search = filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        label=_("Поиск по названию"),
        help_text=_("Часть названия"),
    )

    class Meta:
        model = Municipality
        fields = ["region", "kind"]


class OrganizationFilter(filters.FilterSet):
    search = filters.CharFilter(
        method="filter_search",
        label=_("Поиск по названию"),
        help_text=_("Часть краткого или полного названия"),
    )
    # By the regions table's code, joined: the split page then reads its organizations by the
    # region's index (core/paging.py); compared with the id, PostgreSQL read the country's
    # reader's 50 rows by their primary key, one descent each (104 buffers instead of 26).
    region = filters.CharFilter(
        field_name="region__code", label=_("Регион"), help_text=_("Код региона, например 70")
    )
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
            as_select(
                self,
                "municipality",
                [(m.pk, m.name) for m in municipalities],
                empty_label=_("Все муниципалитеты"),
            )
        return self
