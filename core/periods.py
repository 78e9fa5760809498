"""Reporting periods written the way people bookmark them: «2023-03» (a month), «2023-Q2» (a
quarter). Pure; used by page filters, the API and the «Сроки» calendar alike."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date
    label: str


MONTHS = [
    _("январь"),
    _("февраль"),
    _("март"),
    _("апрель"),
    _("май"),
    _("июнь"),
    _("июль"),
    _("август"),
    _("сентябрь"),
    _("октябрь"),
    _("ноябрь"),
    _("декабрь"),
]


def parse_range(value: str) -> DateRange | None:
    """«2023-03» (a month) or «2023-Q2» (a quarter); None for anything else, including a
    well-formed but impossible date such as «0000-01»."""
    try:
        return _parse_range(value)
    except ValueError:
        return None


def _parse_range(value: str) -> DateRange | None:
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value or ""):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return None
        end = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
        return DateRange(dt.date(year, month, 1), end, f"{MONTHS[month - 1]} {year}")
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value or ""):
        year, q = int(m.group(1)), int(m.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
        return DateRange(start, end, _("%(q)s квартал %(year)s") % {"q": q, "year": year})
    return None


def current_range(kind: str, today: dt.date) -> str:
    if kind == "quarter":
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return f"{today.year}-{today.month:02d}"
