"""The filter vocabulary shared by pages and the API: django-filter FilterSets built from these
pieces serve both (a page renders ``filterset.form``; the API reads the same names from the query
string, and a bad value is a 400 naming the parameter)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.filters import BooleanFilter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from core.periods import parse_range

if TYPE_CHECKING:  # DRF imports this module while importing its views
    from rest_framework.views import APIView

ALL = _("Все")
BOOLEAN_VALUES = {"true", "false", "1", "0"}  # what django-filter's BooleanWidget reads


class IntegerFilter(filters.NumberFilter):
    """A whole number: «1.5» is a 400, not silently 1."""

    field_class = forms.IntegerField


def id_filter(**kwargs: Any) -> IntegerFilter:
    """An id in a query string; out-of-range numbers are a 400, not a database error. Foreign
    keys are filtered by number, not by ModelChoiceFilter, which would tell whether another
    region's id exists. Pages show them as a select of what the user sees (:func:`as_select`)."""
    return IntegerFilter(min_value=1, max_value=2**63 - 1, **kwargs)


def year_filter(**kwargs: Any) -> IntegerFilter:
    return IntegerFilter(min_value=1900, max_value=2200, **kwargs)


class PeriodField(forms.CharField):
    default_error_messages = {"invalid": _("Укажите месяц «2023-03» или квартал «2023-Q2».")}

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value and parse_range(value) is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class PeriodFilter(filters.CharFilter):
    """A month «2023-03» or a quarter «2023-Q2», matched against a date field."""

    field_class = PeriodField

    def filter(self, qs: QuerySet, value: str | None) -> QuerySet:
        period = parse_range(value) if value else None
        if period is None:
            return qs
        return qs.filter(**{f"{self.field_name}__gte": period.start, f"{self.field_name}__lte": period.end})


def as_select(
    filterset: filters.FilterSet, name: str, choices: Iterable[tuple[Any, str]], *, empty_label: str = ALL
) -> None:
    """On a page, show an id filter as a list of what the user can see."""
    field = filterset.form.fields[name]
    field.widget = forms.Select(choices=[("", empty_label), *choices])
    field.help_text = ""  # the API's wording (ids, codes); the options speak for themselves


def yes_no_select(
    filterset: filters.FilterSet, name: str, *, yes: str, no: str, empty_label: str = ALL
) -> None:
    field = filterset.form.fields[name]
    field.widget = forms.Select(choices=[("", empty_label), ("true", yes), ("false", no)])
    field.help_text = ""  # the API's «true/false» wording; the options speak for themselves


class StrictFilterBackend(filters.DjangoFilterBackend):
    """django-filter for the API, refusing what it would otherwise silently ignore: a query
    parameter the list does not know is a 400 naming it (a script with a typo gets an error,
    not everything)."""

    # Read by every list besides its filters: pagination, ordering, the schema's format switch.
    COMMON = {"page", "page_size", "ordering", "format"}

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if getattr(view, "action", None) == "list" or filterset_class is not None:
            known = set(self.COMMON) | set(filterset_class.base_filters if filterset_class else ())
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                raise ValidationError(
                    {
                        name: [
                            _("Неизвестный параметр. Допустимые: %(names)s.")
                            % {"names": ", ".join(sorted(known - {"format"}))}
                        ]
                        for name in unknown
                    }
                )
            self._check_values(request, filterset_class)
        return super().filter_queryset(request, queryset, view)

    @staticmethod
    def _check_values(request: Request, filterset_class: type[filters.FilterSet] | None) -> None:
        """What a page's form shrugs off is a mistake in a script: an empty value, a parameter
        given twice, a yes/no that is neither (django-filter would drop them and list everything)."""
        if filterset_class is None:
            return
        errors = {}
        for name, filter_ in filterset_class.base_filters.items():
            values = request.query_params.getlist(name)
            if not values:
                continue
            if len(values) > 1:
                errors[name] = [_("Параметр указан несколько раз; укажите его один раз.")]
            elif values[0] == "":
                errors[name] = [_("Пустое значение: укажите значение или уберите параметр.")]
            elif isinstance(filter_, BooleanFilter) and values[0].lower() not in BOOLEAN_VALUES:
                errors[name] = [_("Укажите true или false.")]
        if errors:
            raise ValidationError(errors)
