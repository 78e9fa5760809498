"""The filters of execution lists, one vocabulary for the pages and the API.

``review_state`` is always the review (draft → submitted → accepted / returned) and
``execution_status`` always what the executor reported (done, partial, …): the same words in the
query string, the page and the response body.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.filters import PeriodFilter, id_filter
from monitoring.models import Evidence, ExecutionReport, MonitoringRound, Obligation
from monitoring.selectors import OPEN, fileable, reviewable
from schools.filters import region_filter
from schools.models import SchoolStatus

Review = ExecutionReport.Review
Category = SchoolStatus.Category
# The programmes a region reports on (school statuses), as the overview and the lists filter them.
PROGRAMMES = [(c, Category(c).label) for c in (Category.SHNOR, Category.SHNSU, Category.MINPROS)]


def in_programme(qs: QuerySet, category: str) -> QuerySet:
    """Rows (obligations or round entries) of schools that held ``category`` in the year the row
    was due: a school in ШНОР in 2023 counts for its 2023 deadlines, not for 2021's. The status
    is looked up in the row's own region first (its index), like every access filter."""
    status = SchoolStatus.objects.filter(
        region_id=OuterRef("region_id"),
        school_id=OuterRef("executor_id"),
        category=category,
        year=ExtractYear(OuterRef("due_date")),
    )
    return qs.filter(Exists(status))


def programme_filter() -> filters.ChoiceFilter:
    return filters.ChoiceFilter(
        choices=PROGRAMMES,
        method="filter_programme",
        label=_("Программа"),
        help_text=_("Школы с этим статусом в год срока (ШНОР, ШНСУ, «Школа Минпросвещения России»)"),
    )


class ObligationFilter(filters.FilterSet):
    region = region_filter(required_for_country=True)
    roadmap = id_filter(field_name="roadmap_id", label=_("Дорожная карта"))
    municipality = id_filter(field_name="executor__municipality_id", label=_("Муниципалитет"))
    executor = id_filter(
        method="filter_executor", label=_("Исполнитель"), help_text=_("Организация (вместе с её филиалами)")
    )
    item = id_filter(field_name="item_id", label=_("Мероприятие"))
    period = PeriodFilter(
        field_name="due_date",
        label=_("Период (ГГГГ-ММ или ГГГГ-Qn)"),
        help_text=_("Месяц «2023-03» или квартал «2023-Q2» (по сроку)"),
    )
    programme = programme_filter()
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Срок не раньше"))
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Срок не позже"))
    review_state = filters.ChoiceFilter(
        method="filter_review_state",
        choices=Review.choices,
        label=_("Проверка"),
        help_text=_("Состояние проверки отчёта (draft — ещё не отправлен)"),
    )
    execution_status = filters.ChoiceFilter(
        field_name="report__status", choices=ExecutionReport.Status.choices, label=_("Исполнение")
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue", label=_("Просрочено"), help_text=_("Срок прошёл, отчёт не отправлен")
    )
    fileable = filters.BooleanFilter(
        method="filter_fileable",
        label=_("Мои задачи"),
        help_text=_("Только то, что отчитываю я («Мои задачи»)"),
    )
    cancelled = filters.BooleanFilter(
        label=_("Снятые"), help_text=_("Снятые редакцией (по умолчанию скрыты)")
    )
    search = filters.CharFilter(
        method="filter_search",
        label=_("Исполнитель, номер или текст мероприятия"),
        help_text=_("Часть названия исполнителя или текста мероприятия, либо номер пункта"),
    )

    class Meta:
        model = Obligation
        fields = ["roadmap", "executor", "municipality", "item", "cancelled"]

    def filter_executor(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        return qs.filter(Q(executor_id=value) | Q(executor__parent_id=value))

    def filter_programme(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return in_programme(qs, value)

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:100]
        return qs.filter(
            Q(executor__short_name__icontains=value) | Q(item__text__icontains=value) | Q(item__number=value)
        )

    def filter_review_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == Review.DRAFT:
            return qs.filter(Q(report__isnull=True) | Q(report__review_state=Review.DRAFT))
        return qs.filter(report__review_state=value)

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        late = OPEN & Q(due_date__lt=timezone.localdate())
        return qs.filter(late) if value else qs.exclude(late)

    def filter_fileable(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        ids = fileable(self.request.user).values("pk")
        return qs.filter(pk__in=ids) if value else qs.exclude(pk__in=ids)


class OverviewFilter(filters.FilterSet):
    """«Сводка по региону»: which programme, roadmap and period; ``municipality`` opens one
    municipality's executors. The same names as the execution list, so a row's link carries
    them over unchanged."""

    programme = programme_filter()
    roadmap = id_filter(field_name="roadmap_id", label=_("Дорожная карта"))
    period = PeriodFilter(
        field_name="due_date",
        label=_("Период (ГГГГ-ММ или ГГГГ-Qn)"),
        help_text=_("Месяц «2023-03» или квартал «2023-Q2» (по сроку)"),
    )
    municipality = id_filter(field_name="executor__municipality_id", label=_("Муниципалитет"))

    class Meta:
        model = Obligation
        fields = ["programme", "roadmap", "period", "municipality"]

    def filter_programme(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return in_programme(qs, value)


class ExecutionReportFilter(filters.FilterSet):
    region = region_filter(required_for_country=True)
    roadmap = id_filter(field_name="obligation__roadmap_id", label=_("Дорожная карта"))
    executor = id_filter(field_name="obligation__executor_id", label=_("Исполнитель"))
    review_state = filters.ChoiceFilter(choices=Review.choices, label=_("Проверка"))
    execution_status = filters.ChoiceFilter(
        field_name="status", choices=ExecutionReport.Status.choices, label=_("Исполнение")
    )
    reviewable = filters.BooleanFilter(
        method="filter_reviewable", label=_("На проверке у меня"), help_text=_("Только то, что проверяю я")
    )

    class Meta:
        model = ExecutionReport
        fields = ["roadmap", "executor", "review_state", "execution_status"]

    def filter_reviewable(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        ids = reviewable(self.request.user).values("report__pk")
        return qs.filter(pk__in=ids) if value else qs.exclude(pk__in=ids)


class EvidenceFilter(filters.FilterSet):
    region = region_filter(required_for_country=True)
    obligation = id_filter(field_name="report__obligation_id", label=_("Обязательство"))
    report = id_filter(field_name="report_id", label=_("Отчёт"))

    class Meta:
        model = Evidence
        fields = ["report", "obligation", "kind"]


class RoundFilter(filters.FilterSet):
    region = region_filter()
    roadmap = id_filter(field_name="roadmap_id", label=_("Дорожная карта"))
    state = filters.ChoiceFilter(
        choices=MonitoringRound.State.choices,
        label=_("Состояние"),
        help_text=_("open — идёт сбор, closed — закрыт"),
    )
    period = PeriodFilter(
        field_name="period_start",
        label=_("Квартал (ГГГГ-Qn)"),
        help_text=_("Квартал «2023-Q2» или месяц «2023-04»: раунды, чей квартал начинается в нём"),
    )

    class Meta:
        model = MonitoringRound
        fields = ["roadmap", "state"]
