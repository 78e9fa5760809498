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
from drf_spectacular.drainage import set_override
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from core.periods import parse_range

if TYPE_CHECKING:  # DRF imports this module while importing its views
    from rest_framework.views import APIView

ALL = _("Все")
BOOLEAN_VALUES = {"true", "false", "1", "0"}  # what django-filter's BooleanWidget reads


class IntegerFilter(filters.NumberFilter):
    """A whole number: «1.5» is a 400, not silently 1. The schema says ``integer`` with the same
    bounds (drf-spectacular would guess ``number`` for a filter through a relation)."""

    field_class = forms.IntegerField

    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        set_override(
            self,
            "field",
            {"type": "integer", "format": "int64", "minimum": min_value, "maximum": max_value},
        )


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
            self._check_repeats(request)
            self._check_values(request, filterset_class)
        return super().filter_queryset(request, queryset, view)

    def _check_repeats(self, request: Request) -> None:
        repeated = sorted(name for name in self.COMMON if len(request.query_params.getlist(name)) > 1)
        if repeated:
            raise ValidationError(
                {name: [_("Параметр указан несколько раз; укажите его один раз.")] for name in repeated}
            )

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


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=-due_date,id`` over the view's ``ordering_fields`` only; a field that is not
    one of them is a 400 naming the allowed ones (DRF would drop it and sort by default). The
    schema lists the allowed values and gives a pattern a client can check before sending."""

    def allowed(self, view: APIView) -> list[str]:
        return list(getattr(view, "ordering_fields", None) or [])

    def get_ordering(self, request: Request, queryset: QuerySet, view: APIView) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        allowed = self.allowed(view)
        terms = [term.strip() for term in raw.split(",")]
        if not all(term.removeprefix("-") in allowed and term for term in terms):
            raise ValidationError({self.ordering_param: [self.message(allowed)]})
        return terms

    @staticmethod
    def message(allowed: list[str]) -> str:
        return _("Сортировка по полям: %(names)s (через запятую; «-» перед полем — по убыванию).") % {
            "names": ", ".join(allowed)
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict]:
        allowed = self.allowed(view)
        if not allowed:
            return []
        one = "-?(" + "|".join(allowed) + ")"
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(self.message(allowed)),
                "schema": {"type": "string", "pattern": f"^{one}(,{one})*$"},
            }
        ]


def describe(form: forms.Form, *, skip: Iterable[str] = ("page",)) -> list[tuple[str, str]]:
    """The filters a valid form applies, in words — (label, value as the page shows it) — for the
    heading of an export, so a downloaded file says what it holds."""
    if not form.is_valid():
        return []
    out = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name in skip or value in (None, "", [], ()):
            continue
        choices = dict(getattr(field.widget, "choices", None) or getattr(field, "choices", None) or ())
        key = ("true" if value else "false") if isinstance(value, bool) else value
        shown = choices.get(key, choices.get(str(key), value))
        if isinstance(value, bool) and key not in choices:
            shown = _("да") if value else _("нет")
        out.append((str(field.label), str(shown)))
    return out
