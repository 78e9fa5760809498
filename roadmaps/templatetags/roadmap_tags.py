import datetime as dt

from django import template
from django.utils.translation import gettext_lazy

register = template.Library()

COMPARATORS = {"=": "=", ">=": "≥", ">": ">", "<=": "≤", "<": "<"}
PERIODS = {
    "month": gettext_lazy("в месяц"),
    "quarter": gettext_lazy("в квартал"),
    "half_year": gettext_lazy("в полугодие"),
    "year": gettext_lazy("в год"),
}


@register.filter
def ru_date(value: str | dt.date | None) -> str:
    """An ISO date string (as kept in import drafts) or a date, as ДД.ММ.ГГГГ."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d.%m.%Y") if value else ""


@register.filter
def comparator(value: str) -> str:
    return COMPARATORS.get(value, value)


@register.filter
def per_period(value: str) -> str:
    return PERIODS.get(value, value)
