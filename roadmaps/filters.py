"""Filters of roadmap lists: the roadmaps page and the API read the same parameters."""

from collections.abc import Iterable

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.filters import PeriodFilter, as_select, id_filter, year_filter
from core.periods import parse_range
from roadmaps.models import Item, Roadmap
from schools.filters import region_filter
from schools.models import Organization


class RoadmapFilter(filters.FilterSet):
    search = filters.CharFilter(
        method="filter_search", label=_("Поиск"), help_text=_("Часть названия, владельца или номера акта")
    )
    region = filters.CharFilter(
        field_name="region__code", label=_("Регион"), help_text=_("Код региона, например 70")
    )
    level = filters.ChoiceFilter(choices=Roadmap.Level.choices, label=_("Уровень"))
    year = year_filter(method="filter_year", label=_("Год"), help_text=_("Карты, действующие в этом году"))
    owner = id_filter(field_name="owner_id", label=_("Владелец"))
    parent = id_filter(field_name="parent_id", label=_("Вышестоящая карта"))
    status = filters.ChoiceFilter(choices=Roadmap.Status.choices, label=_("Статус"))

    class Meta:
        model = Roadmap
        fields = ["region", "level", "status", "owner", "parent", "year"]

    def filter_year(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        return qs.filter(period_start__year__lte=int(value), period_end__year__gte=int(value))

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(
            Q(title__icontains=value) | Q(owner__short_name__icontains=value) | Q(act_number__icontains=value)
        )

    def for_page(self, *, years: list[int], owners: Iterable[Organization]) -> "RoadmapFilter":
        as_select(self, "year", [(y, str(y)) for y in years], empty_label=_("Все годы"))
        as_select(self, "owner", [(o.pk, o.short_name) for o in owners], empty_label=_("Все владельцы"))
        self.form.fields["level"].choices = [("", _("Все уровни")), *Roadmap.Level.choices]
        self.form.fields["status"].choices = [("", _("Все статусы")), *Roadmap.Status.choices]
        self.form.visible = [self.form[n] for n in ("search", "level", "year", "owner", "status")]
        return self


class ItemFilter(filters.FilterSet):
    region = region_filter()
    roadmap = id_filter(field_name="roadmap_id", label=_("Дорожная карта"))
    section = id_filter(field_name="section_id", label=_("Раздел"))
    parent = id_filter(field_name="parent_id", label=_("Пункт верхнего уровня"))
    executor = filters.CharFilter(
        method="filter_executor",
        validators=[
            RegexValidator(r"^(org:\d{1,18}|group:\w{1,40})$", _("Укажите «org:<id>» или «group:<код>»."))
        ],
        label=_("Исполнитель"),
        help_text=_("«org:<id>» — организация, «group:<код>» — группа исполнителей"),
    )
    period = PeriodFilter(
        method="filter_period",
        label=_("Срок в периоде"),
        help_text=_("Месяц «2023-03» или квартал «2023-Q2»: пункты с контрольной датой в нём"),
    )
    unrecognised = filters.BooleanFilter(
        field_name="schedule_understood",
        exclude=True,
        label=_("Только «не распознано»"),
        help_text=_("Срок не распознан"),
    )

    class Meta:
        model = Item
        fields = ["roadmap", "section", "parent", "unrecognised"]

    def filter_executor(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        kind, _sep, key = value.partition(":")
        if kind == "org":
            return qs.filter(executors__organization_id=int(key)).distinct()
        return qs.filter(executors__group=key).distinct()

    def filter_period(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        period = parse_range(value)
        return qs.filter(
            control_dates__due_date__gte=period.start, control_dates__window_start__lte=period.end
        ).distinct()

    def for_page(
        self, *, executors: Iterable[tuple[str, str]], periods: Iterable[tuple[str, str]]
    ) -> "ItemFilter":
        self.form.fields["executor"].widget = forms.Select(choices=[("", _("Все исполнители")), *executors])
        self.form.fields["period"].widget = forms.Select(choices=[("", _("Весь период")), *periods])
        self.form.fields["unrecognised"].widget = forms.Select(
            choices=[("", _("Все пункты")), ("true", _("Только «не распознано»"))]
        )
        self.form.visible = [self.form[n] for n in ("executor", "period", "unrecognised")]
        return self
