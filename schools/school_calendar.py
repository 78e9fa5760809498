"""The school year of a region: terms («четверти»), holidays, halves — pure, standard library only.

The schedule parser (``roadmaps.schedule``) reads «2 четверть», «в период осенних каникул», «к
началу учебного года» through it; a region may set its own dates in ``Region.school_calendar``
(validated by ``SchoolCalendar.from_json``), otherwise the federal defaults apply.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["FEDERAL_CALENDAR", "HOLIDAY_NAMES", "SchoolCalendar"]


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


MonthDay = tuple[int, int]


@dataclass(frozen=True)
class SchoolCalendar:
    """The school year as (month, day) pairs, year-free: terms («четверти»), holidays, halves.

    A part starting in August–December belongs to the calendar year the school year starts in,
    a part starting in January–July to the next one; it ends on the first such day after it starts
    («зимние каникулы» 30.12–08.01 straddle both years, «летние каникулы» end in August).
    The federal defaults follow the Federal educational programme (ФОП, 2023) and put every end
    on the latest usual day, so a region whose terms end a few days later is not told it is late;
    a region sets its own in ``Region.school_calendar`` (see ``from_json``)."""

    year: tuple[MonthDay, MonthDay] = ((9, 1), (5, 31))
    terms: tuple[tuple[MonthDay, MonthDay], ...] = (
        ((9, 1), (10, 27)),
        ((11, 6), (12, 29)),
        ((1, 9), (3, 22)),
        ((4, 1), (5, 31)),
    )
    holidays: tuple[tuple[str, MonthDay, MonthDay], ...] = (
        ("autumn", (10, 28), (11, 5)),
        ("winter", (12, 30), (1, 8)),
        ("spring", (3, 23), (3, 31)),
        ("summer", (6, 1), (8, 31)),
    )
    # «первое полугодие учебного года» is September–December, the second January–May.
    halves: tuple[tuple[MonthDay, MonthDay], ...] = (((9, 1), (12, 31)), ((1, 1), (5, 31)))

    def part(self, name: str, index: int) -> tuple[MonthDay, MonthDay]:
        """``name``: year, term, half, holiday (index into ``HOLIDAY_NAMES``), start."""
        match name:
            case "year":
                return self.year
            case "term":
                return self.terms[index - 1]
            case "half":
                return self.halves[index - 1]
            case "holiday":
                wanted = HOLIDAY_NAMES[index]
                return next((first, last) for key, first, last in self.holidays if key == wanted)
            case _:  # "start": «к началу учебного года» — ready the day before classes begin
                return self.year[0], self.year[0]

    def dates(self, name: str, index: int, school_year: int) -> tuple[date, date]:
        """First and last day of the part of the school year that begins in September of
        ``school_year``; for "start", the day before classes begin (twice)."""
        (m1, d1), (m2, d2) = self.part(name, index)
        y1 = school_year if m1 >= 8 else school_year + 1
        y2 = y1 if (m2, d2) >= (m1, d1) else y1 + 1  # the end is the first such day on or after the start
        if name == "start":
            eve = date(y1, m1, d1) - timedelta(days=1)
            return eve, eve
        return date(y1, m1, min(d1, _last_day(y1, m1))), date(y2, m2, min(d2, _last_day(y2, m2)))

    @classmethod
    def from_json(cls, data: object) -> SchoolCalendar:
        """A region's calendar from ``{"year": ["01.09", "31.05"], "terms": [["01.09", "27.10"],
        …4], "holidays": {"autumn": ["28.10", "05.11"], …}}``; missing keys keep the federal
        defaults. Raises ``ValueError`` with a Russian message naming the bad entry."""
        if data in (None, {}):
            return FEDERAL_CALENDAR
        if not isinstance(data, dict):
            raise ValueError("календарь учебного года — объект с полями year, terms, holidays")
        unknown = set(data) - {"year", "terms", "holidays", "halves"}
        if unknown:
            raise ValueError(f"неизвестные поля календаря: {', '.join(sorted(map(str, unknown)))}")
        base = FEDERAL_CALENDAR
        year = _json_span(data["year"], "year") if "year" in data else base.year
        terms = base.terms
        if "terms" in data:
            if not isinstance(data["terms"], list) or len(data["terms"]) != 4:
                raise ValueError("terms: нужны четыре четверти")
            terms = tuple(_json_span(t, f"terms[{n}]") for n, t in enumerate(data["terms"], start=1))
        halves = base.halves
        if "halves" in data:
            if not isinstance(data["halves"], list) or len(data["halves"]) != 2:
                raise ValueError("halves: нужны два полугодия")
            halves = tuple(_json_span(h, f"halves[{n}]") for n, h in enumerate(data["halves"], start=1))
        holidays = {key: (first, last) for key, first, last in base.holidays}
        given = data.get("holidays", {})
        if not isinstance(given, dict) or set(given) - set(HOLIDAY_NAMES):
            raise ValueError("holidays: допустимы autumn, winter, spring, summer")
        for key, span in given.items():
            holidays[key] = _json_span(span, f"holidays.{key}")
        return cls(
            year=year,
            terms=terms,
            holidays=tuple((key, *holidays[key]) for key in HOLIDAY_NAMES),
            halves=halves,
        )


HOLIDAY_NAMES = ("autumn", "winter", "spring", "summer")


def _json_span(value: object, where: str) -> tuple[MonthDay, MonthDay]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise ValueError(f"{where}: нужна пара дат «ДД.ММ»")
    span = []
    for text in value:
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", text.strip())
        # 2024 is a leap year: 29.02 is a valid day of a calendar that repeats every year.
        if not match or not _valid_day(2024, int(match.group(2)), int(match.group(1))):
            raise ValueError(f"{where}: «{text}» — не дата вида ДД.ММ")
        span.append((int(match.group(2)), int(match.group(1))))
    return span[0], span[1]


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _last_day(year, month)


FEDERAL_CALENDAR = SchoolCalendar()
