"""Turn the «Сроки» phrase of a roadmap item into control dates.

Real roadmaps write schedules as Russian phrases («Март 2023г.», «Октябрь 2020 Далее: август 2021
2022 2023», «Ежегодно (январь-февраль)», «По запросам образовательных организаций»). The portal needs
dates to remind, to judge lateness and to build quarterly rounds, so one function turns a phrase into
windows ``(start, due)`` within the roadmap period.

The module is pure (standard library and the pure ``schools.school_calendar``): the importer, the API and the tests call it without a
database, and a coordinator's manual override is just another ``ScheduleParse``.

Decisions worth knowing (each one is pinned by a test):

* A phrase that is not fully understood is never guessed at: it comes back as ``unknown`` with
  ``understood=False`` and no windows, so the coordinator sets the dates by hand. A word the parser
  does not know makes the whole phrase unknown rather than being skipped.
* A month without a year takes the first occurrence of that month within the period; phrases
  without years are clipped to the period, while windows with a year written in the document are
  kept even outside the period (the document says so).
* «до 20 июня» is a deadline: the window opens on the 1st of the due month (of the previous month
  when the deadline is the 1st), so reminders come when the work is due and not years ahead.
* «к сентябрю 2024» / «до сентября 2024» mean "ready when September begins": due 31 Aug 2024.
* «Далее: ежегодно» repeats the preceding windows in every later year of the period; «Далее» with
  its own months but no years means those months in every later year. Labelled stages
  («формирование - ноябрь 2022 актуализация - ежегодно») follow each other the same way.
* «ноябрь, март 2021 2022 2023»: years written after a list apply to every item of the list.
* «Постоянно» together with concrete dates in one part is flagged unknown: in seed 001 a parent
  row's «Постоянно» ran into a sub-item's dates, and which one governs is the coordinator's call.
* Recurrences are aligned to the calendar (quarters start in January, April, …), because reporting
  rounds are calendar quarters, not "three months after the order was signed".
* Continuous, on-request and external-schedule items get one window per calendar quarter: they are
  reported in every quarterly round.
* Day-of-month deadlines need a periodicity («ежемесячно не позднее 10-го числа», «до 15 числа
  месяца, следующего за отчётным кварталом»); «до 10 числа» alone is flagged. A report due after
  the period (the 4th quarter's in January) is not produced.
* The school year («2 четверть», «осенние каникулы», «к началу учебного года», «первое полугодие
  учебного года») comes from the region's ``SchoolCalendar`` (federal defaults).
* «начиная с октября 2025» is ongoing from then on (quarterly, or by the periodicity given), not a
  deadline in October; «по итогам III четверти» is the month after the term ends.
* Weeks of a month («вторая неделя ноября») may be counted from the 1st or by calendar weeks: the
  window spans both and the due date is the later one.
* «в двухнедельный срок после утверждения программы» counts from the act's date; without it, or
  counted from an event («после мероприятия»), it is flagged.
* Every date lies inside the period or in a year the phrase writes; otherwise the phrase is flagged
  («зимние каникулы 2023 года» end in 2024, which a 2023 plan does not reach).
* A phrase that mixes kinds («Октябрь-декабрь 2020 Далее: в течение года 2021 2022 2023») keeps all
  its windows and takes the most open-ended kind: external > on request > continuous > recurring.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import SupportsInt, cast
from zoneinfo import ZoneInfo

from schools.school_calendar import FEDERAL_CALENDAR, SchoolCalendar

__all__ = [
    "FEDERAL_CALENDAR",
    "ScheduleKind",
    "ScheduleParse",
    "SchoolCalendar",
    "Window",
    "due_datetime",
    "parse_schedule",
]

log = logging.getLogger(__name__)


class ScheduleKind(StrEnum):
    ONCE = "once"
    WINDOWS = "windows"
    RECURRING = "recurring"
    CONTINUOUS = "continuous"
    ON_REQUEST = "on_request"
    EXTERNAL = "external"
    UNKNOWN = "unknown"


@dataclass(frozen=True, order=True)
class Window:
    """When an item may be reported (``start``) and when it is late (after ``due``), both inclusive."""

    start: date
    due: date

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "due": self.due.isoformat()}


@dataclass(frozen=True)
class ScheduleParse:
    """A parsed «Сроки» phrase: the original ``text``, its ``kind``, the sorted ``windows``,
    whether it was ``understood`` (False only for ``unknown``) and a short Russian ``note`` for the
    coordinator."""

    text: str
    kind: ScheduleKind
    windows: tuple[Window, ...] = ()
    understood: bool = False
    note: str = ""

    @property
    def due_dates(self) -> tuple[date, ...]:
        return tuple(w.due for w in self.windows)

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "due_dates": [d.isoformat() for d in self.due_dates],
            "windows": [w.to_dict() for w in self.windows],
            "understood": self.understood,
            "note": self.note,
        }


def due_datetime(due: date, tz: ZoneInfo) -> datetime:
    """The last instant of ``due`` in the region's zone: a deadline «20 июня» in Tomsk ends at
    midnight in Tomsk, not in Moscow or UTC."""
    return datetime.combine(due, time.max, tzinfo=tz)


UNKNOWN_NOTE = "Не удалось распознать срок — задайте даты вручную"


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _last_day(year, month)


def _school_window(school: SchoolCalendar, name: str, index: int, school_year: int) -> Window:
    first, last = school.dates(name, index, school_year)
    # «к началу учебного года» is ready the day before classes begin, like «к сентябрю»
    return _deadline_window(last) if name == "start" else Window(first, last)


# A cap on generated windows, so a nonsense period (year 1 to 9999) cannot make a monthly item
# explode into a hundred thousand rows.
_MAX_WINDOWS = 600


def parse_schedule(
    text: str,
    period_start: date,
    period_end: date,
    *,
    school_calendar: SchoolCalendar | None = None,
    act_date: date | None = None,
) -> ScheduleParse:
    """Parse a «Сроки» phrase within the roadmap period. Never raises.

    ``school_calendar``: the region's school year (federal defaults when None); ``act_date``: the
    date of the approving act, which «в двухнедельный срок после утверждения» counts from."""
    original = text if isinstance(text, str) else ""
    if period_end < period_start:
        # A swapped period is a caller's slip, not a reason to lose the schedule.
        period_start, period_end = period_end, period_start
    try:
        parser = _Parser(original, period_start, period_end)
        parser.school = school_calendar or FEDERAL_CALENDAR
        parser.act_date = act_date
        return parser.run()
    except _Unparsed as exc:
        return _unknown(original, exc.reason)
    except Exception as exc:  # pragma: no cover - the importer must never stop on one odd cell
        log.warning("schedule %r not parsed: %r", original, exc)
        return _unknown(original, "внутренняя ошибка разбора")


def _unknown(text: str, reason: str) -> ScheduleParse:
    note = f"{UNKNOWN_NOTE} ({reason})" if reason else UNKNOWN_NOTE
    return ScheduleParse(text=text, kind=ScheduleKind.UNKNOWN, windows=(), understood=False, note=note)


class _Unparsed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Tokens -----------------------------------------------------------------------------------

_MONTH_FORMS: dict[str, int] = {}


def _register_months() -> None:
    soft = ("ь", "я", "ю", "е")  # nominative, genitive («апреля»), dative («к сентябрю»), locative
    hard = ("", "а", "у", "е")
    stems = {
        1: ("январ", soft),
        2: ("феврал", soft),
        3: ("март", hard),
        4: ("апрел", soft),
        6: ("июн", soft),
        7: ("июл", soft),
        8: ("август", hard),
        9: ("сентябр", soft),
        10: ("октябр", soft),
        11: ("ноябр", soft),
        12: ("декабр", soft),
    }
    for number, (stem, endings) in stems.items():
        for ending in endings:
            _MONTH_FORMS[stem + ending] = number
    for form in ("май", "мая", "маю", "мае"):
        _MONTH_FORMS[form] = 5
    abbreviations = {
        "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "авг": 8,
        "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
    }  # fmt: skip
    _MONTH_FORMS.update(abbreviations)


_register_months()

_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NUMBER_WORDS = {
    "один": 1, "одного": 1, "два": 2, "две": 2, "двух": 2,
    "три": 3, "трех": 3, "четыре": 4, "четырех": 4, "шесть": 6,
}  # fmt: skip
_UNIT_MONTHS = {"месяц": 1, "квартал": 3, "полугоди": 6, "полгода": 6, "год": 12, "лет": 12}


@dataclass(frozen=True)
class _Recur:
    step: int  # window length in months
    label: str
    note: str = ""


@dataclass(frozen=True)
class _Tok:
    kind: str
    value: object = None
    text: str = ""


_B = r"(?![0-9a-zа-я])"  # end of a word: «до» must not match the start of «документ»


def _recur_times(m: re.Match[str]) -> _Tok:
    times = _as_int(m.group("times") or "1")
    count = _as_int(m.group("n") or "1")
    unit = m.group("unit")
    if unit.startswith(("недел", "день", "сутки")):
        return _Tok("recur", _Recur(1, "чаще раза в месяц", "отчёт помесячно"), m.group(0))
    per_unit = next(months for prefix, months in _UNIT_MONTHS.items() if unit.startswith(prefix))
    interval = per_unit * count
    if interval <= 0:
        raise _Unparsed(f"непонятная периодичность «{m.group(0)}»")
    # «2 раза в год» → a window per half-year; «2 раза в квартал» cannot be split evenly into
    # months, so it stays one window per quarter (the count is the indicator's business).
    step = interval // times if times and interval % times == 0 else interval
    return _Tok("recur", _Recur(step, m.group(0)), m.group(0))


def _as_int(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _ordinal(m: re.Match[str], limit: int) -> int:
    if m.group("d"):
        value = int(m.group("d"))
    elif m.group("r"):
        value = _ROMAN[m.group("r")]
    else:
        value = _ORDINALS[m.group("w")]
    if not 1 <= value <= limit:
        raise _Unparsed(f"нет такого периода: «{m.group(0)}»")
    return value


def _school_year(m: re.Match[str]) -> _Tok:
    first, second = int(m.group("y1")), int(m.group("y2"))
    if second != first + 1:
        raise _Unparsed(f"странный учебный год «{m.group(0)}»")
    # Classes end in late May; an item «в 2023/2024 учебном году» is due when they end.
    return _Tok("fixed", Window(date(first, 9, 1), date(second, 5, 31)), m.group(0))


def _numeric_date(m: re.Match[str]) -> _Tok:
    year = int(m.group("y"))
    year = year + 2000 if year < 100 else year
    try:
        return _Tok("date", date(year, int(m.group("m")), int(m.group("d"))), m.group(0))
    except ValueError:
        raise _Unparsed(f"нет такой даты: «{m.group(0)}»") from None


def _word(m: re.Match[str]) -> _Tok:
    word = m.group(0)
    if word in _MONTH_FORMS:
        return _Tok("month", _MONTH_FORMS[word], word)
    return _Tok("word", word, word)


_ORDINAL_HEAD = r"(?:(?P<d>\d)|(?P<r>iv|i{1,3})|(?P<w>перв|втор|трет|четверт)[а-я]*)\s*(?:-\s*[а-я]{1,3}\s*)?"
# «учебного года», «2023/2024 учебного года», «2023-2024 уч. г.»
_SCHOOL_TAIL = (
    r"\s*(?:(?P<y1>(?:19|20)\d{2})\s*[/\-]\s*(?P<y2>(?:19|20)\d{2})\s*(?:гг?\s*\.?\s*)?)?"
    r"уч(?:ебн[а-я]*|\.)?\s*(?:год[а-я]*|г\.?)"
)
_QUARTER_ORDINAL = (
    r"(?:\d(?:\s*-\s*(?:й|го|ого|м|ом)(?![а-я]))?|iv|i{1,3}(?![а-я])|(?:перв|втор|трет|четверт)[а-я]*)"
)
_WEEKDAYS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень")


@dataclass(frozen=True)
class _SchoolPart:
    name: str  # year, term, half, holiday, start (see SchoolCalendar.part)
    index: int
    school_year: int | None  # the September it begins in, when the phrase names the year


def _school_part(name: str, limit: int = 0) -> Callable[[re.Match[str]], _Tok]:
    def handler(m: re.Match[str]) -> _Tok:
        groups = m.groupdict()
        index = _ordinal(m, limit) if limit else 0
        if name == "holiday":
            index = ("осенн", "зимн", "весенн", "летн").index(m.group("h"))
        first = groups.get("y1")
        if first and int(groups["y2"]) != int(first) + 1:
            raise _Unparsed(f"странный учебный год «{m.group(0)}»")
        return _Tok("school", _SchoolPart(name, index, int(first) if first else None), m.group(0))

    return handler


def _ordinal_list(m: re.Match[str]) -> list[_Tok]:
    """«I–III кварталы», «1, 2 и 3 квартал», «3-4 квартал»: quarters (or halves) joined by dashes
    and commas, read by the same rules as «январь-март»."""
    unit = m.group("unit")
    kind, limit = ("half", 2) if unit.startswith("полугод") else ("quarter", 4)
    if unit.startswith("четверт"):
        kind = "school"
    tokens: list[_Tok] = []
    for part in re.finditer(_QUARTER_ORDINAL + r"|-|,|и", m.group("list")):
        text = part.group(0)
        if text == "-" and kind == "school":
            raise _Unparsed(f"диапазон четвертей «{m.group(0)}» — задайте даты")
        if text in ("-",):
            tokens.append(_Tok("dash", None, text))
        elif text in (",", "и"):
            tokens.append(_Tok("comma", None, text))
        else:
            head = re.match(r"(?P<d>\d)|(?P<r>iv|i{1,3})|(?P<w>перв|втор|трет|четверт)", text)
            assert head is not None
            if kind == "school":
                tokens.append(_Tok(kind, _SchoolPart("term", _ordinal(head, limit), None), text))
            else:
                tokens.append(_Tok(kind, _ordinal(head, limit), text))
    return tokens


def _day_month(m: re.Match[str]) -> list[_Tok] | _Tok:
    """«до 31.05»: a day and a month without a year."""
    day, month = int(m.group("d")), int(m.group("m"))
    if not _valid_day(2024, month, day):
        raise _Unparsed(f"нет такой даты: «{m.group(0)}»")
    return [_Tok("num", day, m.group("d")), _Tok("month", month, m.group("m"))]


def _month_part(m: re.Match[str]) -> _Tok:
    part = {"декад": "decade", "половин": "half", "недел": "week"}[m.group("p")]
    limit = {"decade": 3, "half": 2, "week": 5}[part]
    return _Tok("mpart", (part, _ordinal(m, limit)), m.group(0))


def _weekday(m: re.Match[str]) -> _Tok:
    order = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4, "последн": -1}[m.group("o")]
    return _Tok("weekday", (order, _WEEKDAYS.index(m.group("wd"))), m.group(0))


def _following(m: re.Match[str]) -> _Tok:
    unit = m.group("u") or ""
    step = next((months for prefix, months in _UNIT_MONTHS.items() if unit and unit.startswith(prefix)), 0)
    return _Tok("following", step, m.group(0))


_YEAR_SUFFIX = r"(?:\s*(?:г\s*\.\s*г\s*\.?|гг\s*\.?|годы|годов|года|году|год|г\s*\.?)(?![а-я]))?"

_Handler = Callable[[re.Match[str]], "_Tok | list[_Tok] | None"]
_Rule = tuple[re.Pattern[str], _Handler]


def _fixed(kind: str, value: object = None) -> Callable[[re.Match[str]], _Tok]:
    """A handler giving a token of ``kind`` for whatever the pattern matched."""
    return lambda m: _Tok(kind, value, m.group(0))


def _recurring(step: int, label: str, note: str = "") -> Callable[[re.Match[str]], _Tok]:
    """A handler giving a fixed periodicity («ежемесячно»: windows of ``step`` months)."""
    return lambda m: _Tok("recur", _Recur(step, label, note), m.group(0))


# Tried in this order at each position of the normalised text: the first pattern that matches
# wins, so phrases come before the words they are made of. A handler returning None skips the match.
_RULE_TABLE: list[tuple[str, _Handler]] = [
    (r"\s+", lambda m: None),
    (r"далее" + _B + r"\s*[:\-]?", _fixed("dalee")),
    # «в сроки, определённые Рособрнадзором»: somebody else's schedule, named in free text after it
    (
        r"(?:в\s+сроки|по\s+срокам|согласно\s+срокам|в\s+соответствии\s+со\s+сроками)\s*,?\s*"
        r"(?:определенн|установленн|утвержденн|указанн|предусмотренн|объявленн|согласованн|назначенн)[а-я]*"
        + _B,
        _fixed("ext"),
    ),
    (
        r"(?:по\s+итогам|по\s+окончании|по\s+завершении|после\s+окончания|после\s+завершения)" + _B,
        _fixed("after"),
    ),
    (r"начиная\s+(?:с|со)" + _B, _fixed("from")),
    # The school year, from the region's school calendar.
    (_ORDINAL_HEAD + r"(?:полугоди[а-я]*|полугод\.?)" + _SCHOOL_TAIL + _B, _school_part("half", 2)),
    (_ORDINAL_HEAD + r"четверт[а-я]*(?:" + _SCHOOL_TAIL + r")?" + _B, _school_part("term", 4)),
    (
        r"(?:(?:в\s+)?период\s+|во\s+время\s+|в\s+дни\s+)?(?P<h>осенн|зимн|весенн|летн)[а-я]*\s+каникул[а-я]*"
        r"(?:" + _SCHOOL_TAIL + r")?" + _B,
        _school_part("holiday"),
    ),
    (
        r"(?:(?:к|до)\s+(?:началу|начала)\s+(?:нового\s+)?"
        + _SCHOOL_TAIL
        + r"|к\s+новому\s+учебному\s+году)"
        + _B,
        _school_part("start"),
    ),
    (
        r"(?P<list>" + _QUARTER_ORDINAL + r"(?:\s*(?:,|и|-)\s*" + _QUARTER_ORDINAL + r")+)\s*"
        r"(?P<unit>квартал[а-я]*|кв\.?|полугоди[а-я]*|четверт[а-я]*)" + _B,
        _ordinal_list,
    ),
    # Parts of a month: «3 декада мая», «во второй половине октября», «второй недели ноября».
    (_ORDINAL_HEAD + r"(?P<p>декад|половин|недел)[а-я]*" + _B, _month_part),
    (
        r"(?P<o>перв|втор|трет|четверт|последн)[а-я]*\s+(?P<wd>" + "|".join(_WEEKDAYS) + r")[а-я]*"
        r"(?:\s+месяца)?" + _B,
        _weekday,
    ),
    (
        r"(?P<n>\d{1,2})\s*(?:-?\s*(?:го|е|ое|ого|м|ом)\s*)?числ[а-я]*" + _B,
        lambda m: _Tok("dom", int(m.group("n"))),
    ),
    (
        r"(?:каждого\s+)?месяц[а-я]*\s*,?\s*следующ[а-я]*\s+за\s+(?:отчетн|истекш)[а-я]*"
        r"(?:\s+(?P<u>месяц|квартал|полугоди|период|год)[а-я]*)?" + _B,
        _following,
    ),
    # External schedules carry free text after them («по графику федерального оператора»).
    (
        r"(?:по|согласно|в\s+соответствии\s+с)\s+(?:[а-я]+(?:ому|ему|ым|им|ого|его)\s+)?"
        r"(?:график|план|расписани|календар)[а-я]*(?:\s*-\s*[а-я]+)?" + _B,
        _fixed("ext"),
    ),
    (
        r"(?:по|при)\s+(?:мере\s+[а-я]+|запрос[а-я]*|заявк[а-я]*|необходимост[а-я]*|"
        r"потребност[а-я]*|требовани[а-я]*|обращени[а-я]*)" + _B,
        _fixed("onreq"),
    ),
    (
        r"в\s+течени[еия]\s+(?:всего\s+)?(?:отчетного\s+|учебного\s+|календарного\s+)?"
        r"(?:периода|срока|года)(?:\s+реализации(?:\s+(?:программы|проекта|плана|дорожной\s+карты))?)?" + _B,
        _fixed("cont"),
    ),
    (r"в\s+течени[еия]" + _B, _fixed("cont_open")),
    (
        r"(?:постоянно|на\s+постоянной\s+основе|регулярно|систематически|в\s+постоянном\s+режиме|"
        r"круглогодично|весь\s+период)" + _B,
        _fixed("cont"),
    ),
    (
        r"(?:(?:не\s+реже|не\s+менее|не\s+чаще|минимум|по)\s+)?"
        r"(?:(?P<times>\d{1,2}|один|одного|два|две|двух|три|трех|четыре|четырех)\s+)?"
        r"раза?\s+в\s+(?:(?P<n>\d{1,2}|два|две|три|четыре|шесть)\s+)?"
        r"(?P<unit>месяц[а-я]*|квартал[а-я]*|полугоди[а-я]*|полгода|год[а-я]*|лет|недел[а-я]*|день|сутки)"
        + _B,
        _recur_times,
    ),
    (r"(?:ежемесячн[а-я]*|каждый\s+месяц|каждого\s+месяца|помесячно)" + _B, _recurring(1, "ежемесячно")),
    (r"(?:ежекварталь[а-я]*|поквартально|каждый\s+квартал)" + _B, _recurring(3, "ежеквартально")),
    (r"(?:каждое\s+полугодие|по\s+полугодиям)" + _B, _recurring(6, "раз в полугодие")),
    (r"(?:ежегодн[а-я]*|каждый\s+год|по\s+годам)" + _B, _recurring(12, "ежегодно")),
    (
        r"(?:еженедельн[а-я]*|ежедневн[а-я]*|каждую\s+неделю|каждый\s+день)" + _B,
        _recurring(1, "чаще раза в месяц", "отчёт помесячно"),
    ),
    (
        r"(?P<y1>(?:19|20)\d{2})\s*[/\-]\s*(?P<y2>(?:19|20)\d{2})\s*(?:гг?\s*\.?\s*)?уч[а-я]*\.?"
        r"(?:\s*(?:год[а-я]*|г\.?))?" + _B,
        _school_year,
    ),
    (_ORDINAL_HEAD + r"(?:квартал[а-я]*|кв\.?)" + _B, lambda m: _Tok("quarter", _ordinal(m, 4))),
    (_ORDINAL_HEAD + r"(?:полугоди[а-я]*|полугод\.?)" + _B, lambda m: _Tok("half", _ordinal(m, 2))),
    (
        r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2}|\d{2})(?![0-9])"
        r"(?:\s*(?:г\.?|года|году)(?![а-я]))?",
        _numeric_date,
    ),
    (r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.?(?![0-9])", _day_month),
    (r"(?P<y>(?:19|20)\d{2})(?![0-9])" + _YEAR_SUFFIX, lambda m: _Tok("year", int(m.group("y")))),
    (r"(?P<n>\d+)(?:\s*-\s*(?:й|го|ого|е|ое|м|ом)(?![а-я]))?", lambda m: _Tok("num", int(m.group("n")))),
    (r"(?:не\s+позднее|не\s+позже|до)" + _B, _fixed("do")),
    (r"ко?" + _B, _fixed("by")),
    (r"(?:конец|конца|концу|конце|окончани[а-я]*)" + _B, _fixed("end")),
    (r"(?:с|со|от)" + _B, _fixed("from")),
    (r"по" + _B, _fixed("dash")),  # «с 1 по 15 марта» is a range
    (r"(?:года|году|год)" + _B, _fixed("yearword")),
    (r"(?:в|во|на|г|гг|срок[а-я]*)" + _B, lambda m: None),  # prepositions and «г.» leftovers
    (r"(?:и|или)" + _B, _fixed("comma")),
    (r"-", _fixed("dash")),
    (r"[,;/]", _fixed("comma")),
    (r":", _fixed("colon")),
    (r"[().«»\"“”„]", lambda m: None),
    (r"[а-яa-z]+", _word),
    (r".", lambda m: _Tok("word", m.group(0), m.group(0))),
]

_RULES: list[_Rule] = [(re.compile(pattern), handler) for pattern, handler in _RULE_TABLE]

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")


def _normalize(text: str) -> str:
    # Documents mix NBSPs, en/em dashes, line breaks inside a cell and «ё»; none of it is meaningful.
    text = _DASHES.sub("-", text.lower().replace("ё", "е"))
    text = re.sub(r"\s+", " ", text)  # \s covers NBSP and line breaks in str patterns
    return text.strip().rstrip(".;, ").strip()


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        for pattern, handler in _RULES:
            match = pattern.match(text, pos)
            if match and match.end() > pos:
                produced = handler(match)
                for token in produced if isinstance(produced, list) else [produced]:
                    if token is not None:
                        tokens.append(token if token.text else _Tok(token.kind, token.value, match.group(0)))
                pos = match.end()
                break
        else:  # pragma: no cover - the last rule matches any character
            raise _Unparsed("в тексте есть лишние символы")
    return tokens


# --- Date arithmetic --------------------------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _deadline_window(due: date) -> Window:
    # The window opens at the start of the due month; a deadline on the 1st opens a month earlier,
    # so that the window is never a single day.
    start = due.replace(day=1)
    if due.day == 1:
        start = _add_months(start, -1)
    return Window(start, due)


def _blocks(first: date, last: date, step: int) -> list[Window]:
    """Calendar-aligned windows of ``step`` months covering ``first``..``last``, trimmed to it."""
    if step % 12 == 0:
        anchor = date(first.year, 1, 1)
    elif 12 % step == 0:
        anchor = date(first.year, (first.month - 1) // step * step + 1, 1)
    else:  # «раз в 5 месяцев» has no calendar grid; count from the first month instead
        anchor = first.replace(day=1)
    windows: list[Window] = []
    start = anchor
    while start <= last:
        following = _add_months(start, step)
        windows.append(Window(max(start, first), min(following - timedelta(days=1), last)))
        if len(windows) > _MAX_WINDOWS:
            raise _Unparsed("слишком много сроков для такого периода")
        start = following
    return windows


def _clip(window: Window, period_start: date, period_end: date) -> Window | None:
    start, due = max(window.start, period_start), min(window.due, period_end)
    return Window(start, due) if start <= due else None


@dataclass(frozen=True)
class _Spec:
    """A date pattern without its year: a span of months/days, or a deadline."""

    start_month: int
    start_day: int | None  # None: from the 1st
    end_month: int
    end_day: int | None  # None: to the last day of the month
    deadline: bool = False  # «до 20 июня»: due that day, window opens at the start of the month
    before_month: bool = False  # «к сентябрю»: due the day before ``end_month`` begins

    def window(self, year: int) -> Window:
        try:
            if self.before_month:
                return _deadline_window(date(year, self.end_month, 1) - timedelta(days=1))
            if self.deadline:
                return _deadline_window(
                    date(year, self.end_month, self.end_day or _last_day(year, self.end_month))
                )
            start = date(year, self.start_month, self.start_day or 1)
            wraps = (self.end_month, self.end_day or 31) < (self.start_month, self.start_day or 1)
            end_year = year + 1 if wraps else year
            due = date(end_year, self.end_month, self.end_day or _last_day(end_year, self.end_month))
            return Window(start, due)
        except ValueError:
            raise _Unparsed("нет такой даты (например, 31 июня)") from None


@dataclass
class _Clause:
    """One part of a phrase: its dates, the years they apply to, and how it repeats."""

    after: bool = False  # came after «далее»
    labels: list[str] = field(default_factory=list)
    specs: list[_Spec] = field(default_factory=list)
    fixed: list[Window] = field(default_factory=list)  # windows with their own year (numeric dates)
    years: list[int] = field(default_factory=list)
    year_range: bool = False
    recur: _Recur | None = None
    modes: set[str] = field(default_factory=set)
    closed: bool = False  # a year list ended it; the next date starts a new clause
    school: list[_SchoolPart] = field(default_factory=list)  # parts of a school year without its year
    after_end: bool = False  # «по итогам III четверти»: in the month after the period ends
    open_from: _Spec | None = None  # «начиная с октября 2025»: from then on
    open_from_date: date | None = None
    day_of_month: int | None = None  # «не позднее 10-го числа»
    weekday: tuple[int, int] | None = None  # «в первый понедельник»: (order, weekday)
    following: int | None = None  # «месяца, следующего за отчётным кварталом»: that period's months

    def has_content(self) -> bool:
        return bool(
            self.specs
            or self.fixed
            or self.years
            or self.recur
            or self.modes
            or self.school
            or self.after_end
            or self.open_from
            or self.open_from_date
            or self.day_of_month is not None
            or self.weekday
            or self.following is not None
        )


@dataclass
class _Clauses:
    """The clauses of a phrase read so far, and the one being read."""

    done: list[_Clause] = field(default_factory=list)
    current: _Clause = field(default_factory=_Clause)
    after: bool = False  # a «далее» was read: every later clause follows the earlier ones
    absorbing: bool = False  # free text after «по графику …» / «по запросам …» belongs to it

    def close(self) -> None:
        """Keep the current clause (if it says anything) and start the next one."""
        if self.current.has_content():
            self.done.append(self.current)
        elif self.current.labels:
            raise _Unparsed(f"после «{self.current.labels[-1]}» нет срока")
        self.current = _Clause(after=self.after)


# Which kind describes a phrase that mixes several: the one that most changes how it is reported.
_PRECEDENCE = [
    ScheduleKind.EXTERNAL,
    ScheduleKind.ON_REQUEST,
    ScheduleKind.CONTINUOUS,
    ScheduleKind.RECURRING,
    ScheduleKind.WINDOWS,
    ScheduleKind.ONCE,
]


class _Parser:
    def __init__(self, text: str, period_start: date, period_end: date) -> None:
        self.text = text
        self.start = period_start
        self.end = period_end
        self.tokens: list[_Tok] = []
        self.pos = 0
        self.school = FEDERAL_CALENDAR
        self.act_date: date | None = None

    # -- driver --

    def run(self) -> ScheduleParse:
        normalized = _normalize(self.text)
        if not normalized:
            raise _Unparsed("срок не указан")
        relative = _RELATIVE.fullmatch(normalized)
        if relative:
            return self._relative(relative)
        self.tokens = _tokenize(normalized)
        clauses = self._clauses()
        if not clauses:
            raise _Unparsed("в тексте нет дат")

        produced: list[Window] = []
        kinds: set[ScheduleKind] = set()
        notes: list[str] = []
        labels: list[str] = []
        for clause in clauses:
            clause_windows, clause_kind, note = self._windows(clause, produced)
            produced.extend(clause_windows)
            if clause_kind is not None:
                kinds.add(clause_kind)
            if note and note not in notes:
                notes.append(note)
            labels.extend(clause.labels)

        windows = tuple(sorted(set(produced)))
        if not windows:
            raise _Unparsed("срок не попадает в период дорожной карты")
        self._check_years(windows)
        if len(windows) > _MAX_WINDOWS:
            raise _Unparsed("слишком много сроков для такого периода")
        kind = next((k for k in _PRECEDENCE if k in kinds), None)
        if kind is None:
            kind = ScheduleKind.ONCE if len(windows) == 1 else ScheduleKind.WINDOWS
        return ScheduleParse(
            text=self.text,
            kind=kind,
            windows=windows,
            understood=True,
            note=self._note(kind, windows, notes, labels),
        )

    def _check_years(self, windows: Iterable[Window]) -> None:
        """A date outside the period must be in a year the phrase writes: «декабрь-январь 2023»
        in a plan for 2023 may mean either winter, and «зимние каникулы 2024 года» ends in 2025."""
        written = {int(y) for y in re.findall(r"(?<![0-9])((?:19|20)\d{2})(?![0-9])", self.text)}
        for window in windows:
            for day in (window.start, window.due):
                if not self.start <= day <= self.end and day.year not in written:
                    raise _Unparsed(f"срок уходит в {day.year} год, которого нет ни в тексте, ни в периоде")

    def _note(
        self, kind: ScheduleKind, windows: tuple[Window, ...], notes: list[str], labels: list[str]
    ) -> str:
        base = {
            ScheduleKind.ONCE: "Один срок",
            ScheduleKind.WINDOWS: f"Несколько сроков: {len(windows)}",
            ScheduleKind.RECURRING: f"Повторяющийся срок, сроков: {len(windows)}",
            ScheduleKind.CONTINUOUS: "Постоянное мероприятие: отчёт каждый квартал",
            ScheduleKind.ON_REQUEST: "По запросу: отчёт каждый квартал",
            ScheduleKind.EXTERNAL: "Сроки задаёт внешний график — уточните даты; пока отчёт каждый квартал",
        }[kind]
        parts = [base, *notes]
        if labels:
            parts.append("части: " + ", ".join(labels))
        return "; ".join(parts)

    # -- token stream → clauses --

    def _peek(self, offset: int = 0) -> _Tok | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def _kind(self, offset: int = 0) -> str:
        token = self._peek(offset)
        return token.kind if token else ""

    def _int(self, offset: int = 0) -> int:
        return int(cast(SupportsInt, self.tokens[self.pos + offset].value))

    def _clauses(self) -> list[_Clause]:
        state = _Clauses()
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            opened = state.current.open_from or state.current.open_from_date
            if (
                state.current.closed
                and token.kind not in ("comma", "dash")
                and not (opened and token.kind == "recur")
            ):
                state.close()
            if token.kind != "word":
                state.absorbing = False
            if token.kind in ("comma", "colon", "yearword", "dalee", "dash"):
                self._separator(state, token)
            elif token.kind == "word":
                self._free_word(state, token)
            else:
                self._content(state.current, token)
                state.absorbing = token.kind in ("ext", "onreq")
        if state.after and not state.current.has_content() and not state.current.labels:
            raise _Unparsed("после «далее» нет срока")  # the cell was probably cut by a page break
        state.close()
        return state.done

    def _separator(self, state: _Clauses, token: _Tok) -> None:
        match token.kind:
            case "comma":
                if state.current.closed:
                    state.close()
                self.pos += 1
            case "colon" | "yearword":
                self.pos += 1
            case "dalee":
                state.close()
                state.after = True
                state.current.after = True
                self.pos += 1
            case "dash":
                if not state.current.closed:
                    raise _Unparsed(f"не ясно, что означает «{token.text}»")
                self._cross_year_range(state.current)

    def _free_word(self, state: _Clauses, token: _Tok) -> None:
        """A word that is not a date: part of «по графику …» / «по запросам …», a stage label, or
        something the parser does not understand."""
        current = state.current
        if state.absorbing:
            self.pos += 1
        elif current.after_end and not (current.specs or current.school or current.fixed or current.years):
            raise _Unparsed(f"«по итогам» чего — «{token.value}»?")
        elif len(str(token.value)) >= 4 and not current.has_content() and self._kind(1) in ("dash", "colon"):
            # «формирование - ноябрь 2022 актуализация - ежегодно»: labelled parts are
            # stages, so a later stage follows the earlier one like «далее» does.
            current.labels.append(str(token.value))
            current.after = current.after or bool(state.done)
            self.pos += 2
        else:
            raise _Unparsed(f"не ясно, что означает «{token.value}»")

    def _content(self, current: _Clause, token: _Tok) -> None:
        """A token that says when: a mode, a periodicity, years, or a date pattern."""
        match token.kind:
            case "ext" | "onreq" | "cont" | "cont_open":
                current.modes.add(token.kind)
                self.pos += 1
            case "recur":
                assert isinstance(token.value, _Recur)
                if current.recur and current.recur.step != token.value.step:
                    raise _Unparsed("две разные периодичности в одной части")
                current.recur = token.value
                self.pos += 1
            case "year":
                self._years(current)
            case "fixed":
                assert isinstance(token.value, Window)
                current.fixed.append(token.value)
                current.closed = True
                self.pos += 1
            case (
                "date" | "num" | "month" | "quarter" | "half" | "do" | "by" | "end" | "from" | "mpart" | "dom"
            ):
                self._spec(current)
            case "school":
                assert isinstance(token.value, _SchoolPart)
                part = token.value
                if part.school_year is not None:
                    current.fixed.append(_school_window(self.school, part.name, part.index, part.school_year))
                    current.closed = True
                else:
                    current.school.append(part)
                self.pos += 1
            case "after":
                current.after_end = True
                self.pos += 1
            case "weekday":
                if current.weekday:
                    raise _Unparsed("два дня недели в одной части")
                current.weekday = cast(tuple[int, int], token.value)
                self.pos += 1
            case "following":
                current.following = self._int()
                self.pos += 1
            case _:  # pragma: no cover - every token kind is handled above
                raise _Unparsed(f"не ясно, что означает «{token.text}»")

    def _years(self, clause: _Clause) -> None:
        years = [self._int()]
        self.pos += 1
        while True:
            if self._kind() == "year":
                years.append(self._int())
                self.pos += 1
            elif self._kind() == "comma" and self._kind(1) == "year":
                years.append(self._int(1))
                self.pos += 2
            elif self._kind() == "dash" and self._kind(1) == "year":
                last = self._int(1)
                if not 0 < last - years[-1] <= 20:
                    raise _Unparsed("странный диапазон лет")
                years.extend(range(years[-1] + 1, last + 1))
                clause.year_range = True
                self.pos += 2
            else:
                break
        clause.years.extend(years)
        clause.closed = True

    def _cross_year_range(self, clause: _Clause) -> None:
        """«Декабрь 2022 - январь 2023»: one window from the first date to the second."""
        if self._kind(1) not in ("num", "month", "quarter", "half"):
            words = " ".join(t.text for t in self.tokens[self.pos : self.pos + 2])
            raise _Unparsed(f"не ясно, что означает «{words}»")
        if len(clause.specs) != 1 or len(clause.years) != 1 or clause.fixed or clause.recur or clause.modes:
            raise _Unparsed("непонятный диапазон дат")
        self.pos += 1
        tail = _Clause()
        self._spec(tail)
        if self._kind() != "year" or self._kind(1) == "year":
            raise _Unparsed("у конца диапазона нет года")
        self._years(tail)
        if len(tail.specs) != 1 or len(tail.years) != 1:
            raise _Unparsed("непонятный диапазон дат")
        window = Window(
            clause.specs[0].window(clause.years[0]).start, tail.specs[0].window(tail.years[0]).due
        )
        if window.due < window.start:
            raise _Unparsed("конец диапазона раньше начала")
        clause.specs.clear()
        clause.years.clear()
        clause.fixed.append(window)

    def _spec(self, clause: _Clause) -> None:
        flags: list[str] = []
        while self._kind() in ("do", "by", "end", "from"):
            flags.append(self._kind())
            self.pos += 1
        # «до», «к», «до конца», «к концу», «с»; anything else («к до», «с конца») is not a date.
        if flags not in ([], ["do"], ["by"], ["end"], ["do", "end"], ["by", "end"], ["from"]):
            raise _Unparsed("непонятный предлог перед датой")
        deadline = "do" in flags or "by" in flags
        token = self._peek()
        if token is None:
            raise _Unparsed("после «до»/«к» нет даты")
        if token.kind == "dom":
            if "end" in flags or "from" in flags or clause.day_of_month is not None:
                raise _Unparsed(f"непонятный срок «{token.text}»")
            clause.day_of_month = self._int()
            if not 1 <= clause.day_of_month <= 31:
                raise _Unparsed(f"нет такого числа: «{token.text}»")
            self.pos += 1
            return
        if flags == ["from"] and token.kind == "year":
            # «с 2024 года» opens; «с 2024 по 2025 год» is a span of years, read by _years
            if not (self._kind(1) == "dash" and self._kind(2) == "year"):
                clause.open_from = _Spec(1, None, 1, None)
            return
        if (
            flags == ["from"]
            and token.kind == "date"
            and not (self._kind(1) == "dash" and self._kind(2) == "date")
        ):
            assert isinstance(token.value, date)
            clause.open_from_date = token.value
            self.pos += 1
            return

        if token.kind == "date":
            assert isinstance(token.value, date)
            self.pos += 1
            if self._kind() == "dash" and self._kind(1) == "date" and not deadline:
                end = self.tokens[self.pos + 1].value
                assert isinstance(end, date)
                if end < token.value:
                    raise _Unparsed("конец диапазона раньше начала")
                clause.fixed.append(Window(token.value, end))
                self.pos += 2
            elif deadline:
                clause.fixed.append(_deadline_window(token.value))
            else:
                clause.fixed.append(Window(token.value, token.value))
            return
        if "end" in flags and token.kind in ("year", "yearword"):
            # «до конца 2023 года»: the year token that follows is the clause's year
            clause.specs.append(_Spec(12, 31, 12, 31, deadline=True))
            if token.kind == "yearword":
                self.pos += 1
            return

        spec, single_day, ranged = self._span()
        ranged = ranged or spec.start_day != spec.end_day  # «с 1 по 15 марта» is read by _point
        if flags == ["from"] and not ranged:
            # «начиная с октября 2025 г.» is not a deadline in October: from then on
            clause.open_from = spec
            return
        if "end" in flags:
            spec = _Spec(spec.end_month, spec.end_day, spec.end_month, spec.end_day, deadline=True)
        elif deadline:
            if single_day:
                spec = _Spec(spec.end_month, spec.end_day, spec.end_month, spec.end_day, deadline=True)
            elif spec.start_month == spec.end_month and spec.start_day is None:
                spec = _Spec(spec.end_month, None, spec.end_month, None, before_month=True)
            else:
                raise _Unparsed("«до» перед диапазоном дат")
        clause.specs.append(spec)

    def _point(self) -> tuple[_Spec, bool]:
        """One date pattern: «20 апреля», «20–21 апреля», «апрель», «I квартал», «2 полугодие»."""
        token = self._peek()
        if token is None:
            raise _Unparsed("не хватает даты")
        if token.kind == "num":
            day = self._int()
            if self._kind(1) == "month":
                month = self._int(1)
                self.pos += 2
                return _Spec(month, day, month, day), True
            if self._kind(1) == "dash" and self._kind(2) == "num" and self._kind(3) == "month":
                last = self._int(2)
                month = self._int(3)
                if last < day:
                    raise _Unparsed("конец диапазона раньше начала")
                self.pos += 4
                return _Spec(month, day, month, last), False
            raise _Unparsed(f"число {day} без месяца")
        if token.kind == "month":
            month = self._int()
            self.pos += 1
            return _Spec(month, None, month, None), False
        if token.kind == "quarter":
            quarter = self._int()
            self.pos += 1
            return _Spec(quarter * 3 - 2, None, quarter * 3, None), False
        if token.kind == "half":
            half = self._int()
            self.pos += 1
            return _Spec(half * 6 - 5, None, half * 6, None), False
        if token.kind == "mpart":
            return self._month_part(token), False
        raise _Unparsed(f"ожидалась дата, а не «{token.text}»")

    def _span(self) -> tuple[_Spec, bool, bool]:
        """A date pattern or a range of two; whether it is one day; whether it was a range."""
        first, single_day = self._point()
        if self._kind() == "dash" and self._kind(1) in ("num", "month", "quarter", "half", "mpart"):
            self.pos += 1
            second, _ = self._point()
            return _Spec(first.start_month, first.start_day, second.end_month, second.end_day), False, True
        return first, single_day, False

    def _month_part(self, token: _Tok) -> _Spec:
        """«3 декада мая» (21st to the end), «вторая половина октября» (16th to the end),
        «вторая неделя ноября». Weeks are counted either from the 1st or by calendar weeks, so a
        week's window spans both readings and its due date is the later one."""
        part, n = cast(tuple[str, int], token.value)
        if self._kind(1) != "month":
            if part == "half" and self._kind(1) in ("year", "yearword"):
                # «во второй половине 2024 года» is the second half-year
                self.pos += 2 if self._kind(1) == "yearword" else 1
                return _Spec(n * 6 - 5, None, n * 6, None)
            raise _Unparsed(f"«{token.text}» — не указан месяц")
        month = self._int(1)
        self.pos += 2
        if part == "decade":
            return _Spec(month, n * 10 - 9, month, None if n == 3 else n * 10)
        if part == "half":
            return _Spec(month, 1 if n == 1 else 16, month, 15 if n == 1 else None)
        return _Spec(month, max(1, 7 * n - 12), month, 7 * n if 7 * n <= 28 else None)

    # -- clauses → windows --

    def _relative(self, match: re.Match[str]) -> ScheduleParse:
        """«в двухнедельный срок после утверждения программы»: counted from the act's date."""
        anchor = match.group("anchor").strip()
        if not _ACT_ANCHOR.fullmatch(anchor):
            raise _Unparsed(f"срок отсчитывается от события «{anchor}» — задайте дату")
        if self.act_date is None:
            raise _Unparsed("срок отсчитывается от даты утверждения, а она не известна")
        count, unit, working = _relative_amount(match)
        if working:
            due = _add_working_days(self.act_date, count)
        elif unit == "month":
            due = _add_months_keep_day(self.act_date, count)
        else:
            due = self.act_date + timedelta(days=count * (7 if unit == "week" else 1))
        if not self.start <= due <= self.end:
            raise _Unparsed("срок от даты утверждения выходит за период дорожной карты")
        window = Window(max(self.act_date, self.start), due)
        note = f"Один срок: {count} {_RELATIVE_UNITS[unit]} от даты утверждения ({self.act_date:%d.%m.%Y})"
        if working:
            note += "; рабочие дни — без учёта переносов выходных, проверьте"
        return ScheduleParse(self.text, ScheduleKind.ONCE, (window,), understood=True, note=note)

    def _school_windows(self, clause: _Clause) -> list[Window]:
        """Parts of a school year («2 четверть», «осенние каникулы») without the year written:
        in the calendar year named, in every school year of the period («ежегодно»), or the
        first one in the period."""
        if clause.specs or clause.fixed or clause.modes - {"cont_open"}:
            raise _Unparsed("часть учебного года вместе с другими датами")
        if clause.recur and clause.recur.step != 12:
            raise _Unparsed("периодичность вместе с частью учебного года")
        windows: list[Window] = []
        for part in clause.school:
            starts_in_autumn = self.school.part(part.name, part.index)[0][0] >= 8
            if clause.years:
                windows.extend(
                    _school_window(self.school, part.name, part.index, y if starts_in_autumn else y - 1)
                    for y in clause.years
                )
                continue
            found = [
                clipped
                for sy in range(self.start.year - 1, self.end.year + 1)
                if (
                    clipped := _clip(
                        _school_window(self.school, part.name, part.index, sy), self.start, self.end
                    )
                )
            ]
            if not found:
                raise _Unparsed("часть учебного года не попадает в период дорожной карты")
            windows.extend(found if clause.recur else found[:1])
        return windows

    def _by_day_of_month(self, clause: _Clause) -> list[Window]:
        """«ежемесячно не позднее 10-го числа», «ежеквартально к 3 числу», «до 15 числа месяца,
        следующего за отчётным кварталом», «ежемесячно, в первый понедельник»."""
        if clause.specs or clause.fixed or clause.school or clause.modes - {"cont_open"}:
            raise _Unparsed("число месяца вместе с другими датами")
        if clause.day_of_month is None and clause.weekday is None:
            raise _Unparsed("«следующего за отчётным» без числа")
        if clause.day_of_month is not None and clause.weekday:
            raise _Unparsed("и число, и день недели")
        step = clause.recur.step if clause.recur else None
        if clause.following:
            if step and step != clause.following:
                raise _Unparsed("две разные периодичности в одной части")
            step = clause.following
        if step is None:
            raise _Unparsed("число без месяца — не ясно, какого")
        ranges = self._year_ranges(clause.years) if clause.years else [(self.start, self.end)]
        dues: list[date] = []
        for first, last in ranges:
            anchor = _block_anchor(first, step)
            while anchor <= last:
                month = _add_months(anchor, step) if clause.following is not None else anchor
                due = self._day_in_month(clause, month)
                inside = clause.following is not None or first <= due <= last
                if inside and self.start <= due <= self.end:
                    dues.append(due)
                anchor = _add_months(anchor, step)
                if len(dues) > _MAX_WINDOWS:
                    raise _Unparsed("слишком много сроков для такого периода")
        windows: list[Window] = []
        for due in sorted(set(dues)):
            start = max(_deadline_window(due).start, self.start)
            if windows:
                start = max(start, windows[-1].due + timedelta(days=1))
            windows.append(Window(start, due))
        return windows

    @staticmethod
    def _day_in_month(clause: _Clause, month: date) -> date:
        last = _last_day(month.year, month.month)
        if clause.day_of_month is not None:
            return month.replace(day=min(clause.day_of_month, last))
        order, weekday = clause.weekday or (1, 0)
        if order > 0:
            return month + timedelta(days=(weekday - month.weekday()) % 7 + 7 * (order - 1))
        end = month.replace(day=last)
        return end - timedelta(days=(end.weekday() - weekday) % 7)

    def _open_start(self, clause: _Clause) -> tuple[list[Window], ScheduleKind]:
        """«начиная с октября 2025 г.»: from then to the end of the period."""
        if clause.specs or clause.fixed or clause.school:
            raise _Unparsed("«начиная с» вместе с другими датами")
        if clause.open_from_date is not None:
            start = clause.open_from_date
        else:
            assert clause.open_from is not None
            if len(clause.years) > 1:
                raise _Unparsed("«начиная с» и несколько лет")
            if clause.years:
                start = clause.open_from.window(clause.years[0]).start
            else:
                start = self._first_occurrence(clause.open_from).start
        if start > self.end:
            raise _Unparsed("начало после окончания периода дорожной карты")
        step = clause.recur.step if clause.recur else 3
        kind = _mode_kind(clause, clause.modes - {"cont_open"}) or ScheduleKind.CONTINUOUS
        return _blocks(max(start, self.start), self.end, step), kind

    def _after_end(self, windows: list[Window]) -> list[Window]:
        """«по итогам III четверти»: in the month after the period ends, kept only when the whole
        window lies inside the roadmap period (a clipped due date would be a wrong one)."""
        moved = []
        for window in windows:
            start = window.due + timedelta(days=1)
            moved.append(Window(start, _add_months_keep_day(start, 1) - timedelta(days=1)))
        inside = [w for w in moved if self.start <= w.start and w.due <= self.end]
        if not inside:
            raise _Unparsed("«по итогам» — срок после окончания периода дорожной карты")
        return inside

    def _period_years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def _first_occurrence(self, spec: _Spec) -> Window:
        for year in range(self.start.year - 1, self.end.year + 1):
            clipped = _clip(spec.window(year), self.start, self.end)
            if clipped:
                return clipped
        raise _Unparsed("месяц не попадает в период дорожной карты")

    def _year_ranges(self, years: Iterable[int]) -> list[tuple[date, date]]:
        ranges: list[tuple[date, date]] = []
        for year in sorted(set(years)):
            if ranges and ranges[-1][1].year == year - 1:
                ranges[-1] = (ranges[-1][0], date(year, 12, 31))
            else:
                ranges.append((date(year, 1, 1), date(year, 12, 31)))
        return ranges

    def _windows(
        self, clause: _Clause, before: list[Window]
    ) -> tuple[list[Window], ScheduleKind | None, str]:
        """The windows of one clause (``before``: those of the clauses before it), its kind and note."""
        windows, kind, note = self._special_windows(clause, before)
        if not clause.after_end:
            return windows, kind, note
        if not windows:
            raise _Unparsed("«по итогам» без периода")
        return self._after_end(windows), kind, "по итогам — в течение месяца после окончания"

    def _special_windows(
        self, clause: _Clause, before: list[Window]
    ) -> tuple[list[Window], ScheduleKind | None, str]:
        if clause.day_of_month is not None or clause.weekday or clause.following is not None:
            if clause.after_end or clause.open_from or clause.open_from_date:
                raise _Unparsed("непонятное сочетание сроков")
            return self._by_day_of_month(clause), ScheduleKind.RECURRING, _day_note(clause)
        if clause.open_from or clause.open_from_date:
            if clause.after_end:
                raise _Unparsed("непонятное сочетание сроков")
            windows, kind = self._open_start(clause)
            return windows, kind, f"начиная с {windows[0].start:%d.%m.%Y}"
        if clause.school:
            kind = ScheduleKind.RECURRING if clause.recur else None
            return self._school_windows(clause), kind, "по календарю учебного года региона"
        return self._plain_windows(clause, before)

    def _plain_windows(
        self, clause: _Clause, before: list[Window]
    ) -> tuple[list[Window], ScheduleKind | None, str]:
        modes = _modes(clause)
        kind = _mode_kind(clause, modes)
        recur = clause.recur
        note = ", ".join(filter(None, [recur.label, recur.note])) if recur and not modes else ""
        last_due = max(w.due for w in before) if clause.after and before else None
        later_years = [y for y in self._period_years() if last_due and y > last_due.year]

        explicit: list[Window] = list(clause.fixed)
        implicit: list[Window] = []  # to be clipped to the period
        if clause.specs:
            step = recur.step if recur else 12
            if clause.years:
                explicit.extend(_spec_windows(clause.specs, clause.years, step))
            elif recur:
                years = later_years if last_due else self._period_years()
                implicit.extend(_spec_windows(clause.specs, years, step))
            elif last_due:
                # «Октябрь 2020 Далее: август» — August of every later year
                implicit.extend(_spec_windows(clause.specs, later_years, step))
                kind = kind or ScheduleKind.RECURRING
                note = "далее — каждый год"
            else:
                return explicit + [self._first_occurrence(s) for s in clause.specs], kind, note
        elif not clause.fixed and (recur or modes):
            step = recur.step if recur else 3
            if clause.years:
                explicit.extend(_blocks_over(self._year_ranges(clause.years), step))
            elif last_due and recur and step == 12 and not modes:
                # «Август – сентябрь 2020; далее – ежегодно»: the same windows in every later year
                note = "далее — те же сроки каждый год"
                implicit.extend(_repeat_in_later_years(before, last_due, later_years))
            else:
                first = last_due + timedelta(days=1) if last_due else self.start
                implicit.extend(_blocks_over([(first, self.end)], step))
        elif clause.years and not clause.fixed:
            if clause.year_range:
                # «2022-2024» is a span of years, i.e. an ongoing item within them
                kind = ScheduleKind.CONTINUOUS
                explicit.extend(_blocks_over(self._year_ranges(clause.years), 3))
            else:
                explicit.extend(Window(date(y, 1, 1), date(y, 12, 31)) for y in clause.years)
        elif clause.years:
            raise _Unparsed("год после точной даты")

        clipped = [w for w in (_clip(w, self.start, self.end) for w in implicit) if w]
        return explicit + clipped, kind, note


def _day_note(clause: _Clause) -> str:
    if clause.weekday:
        order, weekday = clause.weekday
        words = {1: "первый", 2: "второй", 3: "третий", 4: "четвёртый", -1: "последний"}
        days = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
        return f"{words[order]} день месяца «{days[weekday]}»"
    after = " месяца после отчётного периода" if clause.following is not None else ""
    return f"до {clause.day_of_month}-го числа{after}"


def _block_anchor(first: date, step: int) -> date:
    """The calendar-aligned start of the block holding ``first`` (as in ``_blocks``)."""
    if step % 12 == 0:
        return date(first.year, 1, 1)
    if 12 % step == 0:
        return date(first.year, (first.month - 1) // step * step + 1, 1)
    return first.replace(day=1)


def _add_months_keep_day(day: date, months: int) -> date:
    first = _add_months(day.replace(day=1), months)
    return first.replace(day=min(day.day, _last_day(first.year, first.month)))


# Non-working public holidays (Labour Code, art. 112); one on a weekend moves to the next working
# day. The government's yearly transfers of other days are not known here, hence the note.
_HOLIDAYS = {(1, d) for d in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}


def _add_working_days(start: date, count: int) -> date:
    day, left, owed = start, count, 0
    while left > 0:
        day += timedelta(days=1)
        holiday = (day.month, day.day) in _HOLIDAYS
        if holiday and day.weekday() >= 5 and day.month != 1:
            owed += 1
        if day.weekday() >= 5 or holiday:
            continue
        if owed:
            owed -= 1
            continue
        left -= 1
    return day


_COUNT_WORDS = {
    "одно": 1, "одного": 1, "двух": 2, "дву": 2, "трех": 3, "четырех": 4, "пяти": 5, "семи": 7,
    "десяти": 10, "пятнадцати": 15, "тридцати": 30,
}  # fmt: skip
_COUNT = r"\d{1,3}|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True))
_RELATIVE = re.compile(
    r"(?:(?:в|не\s+позднее|не\s+позже|до|через|в\s+течение)\s+)?(?:"
    r"(?P<n1>" + _COUNT + r")\s*-?\s*(?P<u1>дневн|недельн|месячн)[а-я]*\s+срок[а-я]*"
    r"|(?P<u2>месячн|недельн)[а-я]*\s+срок[а-я]*"
    r"|(?P<n3>" + _COUNT + r")\s+(?P<w3>рабочих\s+|календарных\s+)?(?P<u3>дн|день|недел|месяц)[а-я]*"
    r")\s*,?\s*(?:с\s+момента|со\s+дня|с\s+даты|от\s+даты|после|по\s+завершении|по\s+окончании)\s+(?P<anchor>.+)"
)
# What the plan's own act is called: «после утверждения (настоящей) программы / дорожной карты».
_ACT_ANCHOR = re.compile(
    r"(?:его\s+|ее\s+)?(?:утверждени|подписани|издани|принятия|вступлени[яе]\s+в\s+силу)[а-я]*"
    r"(?:\s+(?:настоящ[а-я]*\s+)?(?:программы|плана(?:\s+мероприятий)?|дорожной\s+карты|приказа|распоряжения"
    r"|постановления))?"
)
_RELATIVE_UNITS = {"day": "дн.", "week": "нед.", "month": "мес."}


def _relative_amount(match: re.Match[str]) -> tuple[int, str, bool]:
    """(count, unit, working days?) of «в 10-дневный срок», «в двухнедельный срок», «5 рабочих дней»."""
    raw = match.group("n1") or match.group("n3") or "1"
    count = int(raw) if raw.isdigit() else _COUNT_WORDS[raw]
    unit_text = match.group("u1") or match.group("u2") or match.group("u3")
    unit = "week" if unit_text.startswith("недел") else "month" if unit_text.startswith("меся") else "day"
    if not 0 < count <= 366:
        raise _Unparsed("странная длительность срока")
    return count, unit, bool(match.group("w3") and match.group("w3").startswith("рабоч"))


def _modes(clause: _Clause) -> set[str]:
    """The clause's modes, with an open «в течение» resolved; rejects modes that contradict its dates."""
    modes = set(clause.modes)
    if "cont_open" in modes:
        # «в течение 2022-2024 гг.» is continuous; «в течение марта 2023» is just March.
        modes.discard("cont_open")
        if not (clause.specs or clause.fixed):
            if not clause.years:
                raise _Unparsed("«в течение» без срока")
            modes.add("cont")
    if "cont" in modes and (clause.specs or clause.fixed):
        # In seed 001 a parent row's «Постоянно» ran into a sub-item's dates; which one governs
        # is the coordinator's call, not ours.
        raise _Unparsed("«постоянно» и конкретные даты в одной части")
    if clause.recur and clause.fixed:
        raise _Unparsed("периодичность вместе с точной датой")
    return modes


def _mode_kind(clause: _Clause, modes: set[str]) -> ScheduleKind | None:
    """The kind a clause's modes or periodicity give it; None when only its dates decide."""
    if "ext" in modes:
        return ScheduleKind.EXTERNAL
    if "onreq" in modes:
        return ScheduleKind.ON_REQUEST
    if "cont" in modes:
        return ScheduleKind.CONTINUOUS
    if clause.recur:
        return ScheduleKind.RECURRING
    return None


def _spec_windows(specs: list[_Spec], years: Iterable[int], step: int) -> list[Window]:
    """Each date pattern in each year; with a periodicity under a year («ежемесячно
    январь-апрель») one window per period inside the span."""
    windows: list[Window] = []
    for year in years:
        for spec in specs:
            window = spec.window(year)
            windows.extend(_blocks(window.start, window.due, step) if step < 12 else [window])
    return windows


def _blocks_over(ranges: Iterable[tuple[date, date]], step: int) -> list[Window]:
    """Calendar-aligned windows of ``step`` months over each (first, last) range that is not empty."""
    windows: list[Window] = []
    for first, last in ranges:
        if first <= last:
            windows.extend(_blocks(first, last, step))
    return windows


def _repeat_in_later_years(before: list[Window], last_due: date, later_years: list[int]) -> list[Window]:
    """The windows of the last year that has any, repeated in every later year."""
    base = [w for w in before if w.due.year == last_due.year]
    windows: list[Window] = []
    for year in later_years:
        shift = year - last_due.year
        windows.extend(Window(_shift_year(w.start, shift), _shift_year(w.due, shift)) for w in base)
    return windows


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)
