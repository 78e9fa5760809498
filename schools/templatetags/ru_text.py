"""Template filters for Russian text that reads right: time zones and numbers."""

from decimal import Decimal

from django import template

from core import timezones

register = template.Library()


@register.filter
def zone_ru(value: object) -> str:
    """«Asia/Tomsk» (a name or a tzinfo) → «время томское (UTC+7)»."""
    return timezones.zone_label(value)


@register.filter
def number_ru(value: Decimal | float | int | None) -> str:
    """A fact or target as people write it: 2.00 → «2», 2.50 → «2,5», 1234.5 → «1234,5»."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
