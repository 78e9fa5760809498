"""Half-year labels of the school year: «1-е полугодие 2020–2021 учебного года». Pure functions."""

import datetime as dt
import re

from django.utils.translation import gettext as _

_LABEL = re.compile(r"([12])\s*-?\s*е\s+полугодие\s+(\d{4})\s*[–—-]\s*(\d{4})", re.IGNORECASE)
_YEARS = re.compile(r"(\d{4})(\s*[–—-]\s*)(\d{4})")


def label(half: int, start_year: int) -> str:
    return _("%(half)s-е полугодие %(start)s–%(end)s учебного года") % {
        "half": half,
        "start": start_year,
        "end": start_year + 1,
    }


def label_for(day: dt.date) -> str:
    """The half-year a date falls in: September–December is the first, January–August the second."""
    if day.month >= 9:
        return label(1, day.year)
    return label(2, day.year - 1)


def next_label(current: str) -> str | None:
    """The half-year after ``current``, or None when the label is not in the usual form."""
    m = _LABEL.search(current or "")
    if not m:
        return None
    half, start = int(m.group(1)), int(m.group(2))
    return label(2, start) if half == 1 else label(1, start + 1)


def shift_school_year(text: str, start_year: int) -> str:
    """«… на 2020 – 2021 учебный год» → the same words for another school year."""
    return _YEARS.sub(
        lambda m: (
            f"{start_year}{m.group(2)}{start_year + 1}"
            if int(m.group(3)) == int(m.group(1)) + 1
            else m.group(0)
        ),
        text,
        count=1,
    )


def start_year(text: str) -> int | None:
    m = _LABEL.search(text or "")
    return int(m.group(2)) if m else None
