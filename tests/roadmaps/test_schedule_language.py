"""The wider «Сроки» language of issue #16: phrases from plans of other regions, kind by kind.

Pure logic (no database). Each table pins what a coordinator would read without hesitation; the
flagged table pins what the parser must not guess at; the hypothesis properties hold for any mix
of fragments: nothing raises, windows are ordered, and every date lies inside the plan's period or
in a year the phrase writes.
"""

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.schedule import (
    FEDERAL_CALENDAR,
    UNKNOWN_NOTE,
    ScheduleKind,
    ScheduleParse,
    SchoolCalendar,
    Window,
    parse_schedule,
)

P23 = (date(2023, 1, 1), date(2023, 12, 31))
P23_25 = (date(2023, 1, 1), date(2025, 12, 31))
SCHOOL_23_24 = (date(2023, 9, 1), date(2024, 8, 31))  # a school plan «на 2023/2024 учебный год»


def w(start: str, due: str) -> Window:
    return Window(date.fromisoformat(start), date.fromisoformat(due))


def month(year: int, number: int) -> Window:
    following = date(year + (number == 12), number % 12 + 1, 1)
    return Window(date(year, number, 1), following - timedelta(days=1))


def check(
    text: str, period: tuple[date, date], kind: ScheduleKind, expected: list[Window], **kw: object
) -> None:
    result = parse_schedule(text, *period, **kw)  # type: ignore[arg-type]
    assert result.kind is kind, result.note
    assert result.understood
    assert result.windows == tuple(expected)


# --- Day-of-month deadlines -------------------------------------------------------------------

DAY_OF_MONTH = [
    pytest.param(
        "ежемесячно не позднее 10-го числа",
        P23,
        [w(f"2023-{m:02}-01", f"2023-{m:02}-10") for m in range(1, 13)],
        id="monthly-by-the-10th",
    ),
    pytest.param(
        "Ежемесячно до 5 числа",
        (date(2023, 10, 1), date(2023, 12, 31)),
        [w("2023-10-01", "2023-10-05"), w("2023-11-01", "2023-11-05"), w("2023-12-01", "2023-12-05")],
        id="monthly-by-the-5th-short-period",
    ),
    pytest.param(
        "ежеквартально к 3 числу",
        P23,
        [
            w("2023-01-01", "2023-01-03"),
            w("2023-04-01", "2023-04-03"),
            w("2023-07-01", "2023-07-03"),
            w("2023-10-01", "2023-10-03"),
        ],
        id="quarterly-by-the-3rd",
    ),  # fmt: skip
    pytest.param(
        "до 15 числа месяца, следующего за отчётным кварталом",
        P23,
        # the report on the 4th quarter is due in January 2024, after the plan: not produced
        [w("2023-04-01", "2023-04-15"), w("2023-07-01", "2023-07-15"), w("2023-10-01", "2023-10-15")],
        id="after-the-reporting-quarter",
    ),
    pytest.param(
        "Ежемесячно, до 25 числа месяца, следующего за отчетным",
        (date(2023, 1, 1), date(2023, 4, 30)),
        [w("2023-02-01", "2023-02-25"), w("2023-03-01", "2023-03-25"), w("2023-04-01", "2023-04-25")],
        id="after-the-reporting-month",
    ),
    pytest.param(
        "ежемесячно до 31 числа",
        (date(2023, 2, 1), date(2023, 3, 31)),
        [w("2023-02-01", "2023-02-28"), w("2023-03-01", "2023-03-31")],
        id="31st-is-the-last-day-in-february",
    ),
    pytest.param(
        "ежемесячно, в первый понедельник",
        (date(2023, 1, 1), date(2023, 3, 31)),
        [w("2023-01-01", "2023-01-02"), w("2023-02-01", "2023-02-06"), w("2023-03-01", "2023-03-06")],
        id="first-monday",
    ),
    pytest.param(
        "в последнюю пятницу каждого месяца",
        (date(2023, 1, 1), date(2023, 2, 28)),
        [w("2023-01-01", "2023-01-27"), w("2023-02-01", "2023-02-24")],
        id="last-friday",
    ),
    pytest.param("до 31.05", P23, [w("2023-05-01", "2023-05-31")], id="day-month-without-year"),
    pytest.param("к 01.09", P23, [w("2023-08-01", "2023-09-01")], id="day-month-on-the-first"),
    pytest.param("до 31.05", P23_25, [w("2023-05-01", "2023-05-31")], id="first-occurrence-in-the-period"),
]


@pytest.mark.parametrize(("text", "period", "expected"), DAY_OF_MONTH)
def test_it_reads_day_of_month_deadlines(
    text: str, period: tuple[date, date], expected: list[Window]
) -> None:
    kind = ScheduleKind.ONCE if len(expected) == 1 and "." in text else ScheduleKind.RECURRING
    check(text, period, kind, expected)


# --- Quarter ranges and lists -----------------------------------------------------------------

QUARTERS = [
    pytest.param(
        "I–III кварталы 2025 г.", ScheduleKind.ONCE, [w("2025-01-01", "2025-09-30")], id="roman-range"
    ),
    pytest.param("3-4 квартал", ScheduleKind.ONCE, [w("2023-07-01", "2023-12-31")], id="digit-range"),
    pytest.param("II-IV кв. 2024 г.", ScheduleKind.ONCE, [w("2024-04-01", "2024-12-31")], id="abbreviated"),
    pytest.param(
        "I и III кварталы 2024 года",
        ScheduleKind.WINDOWS,
        [w("2024-01-01", "2024-03-31"), w("2024-07-01", "2024-09-30")],
        id="list-with-and",
    ),
    pytest.param(
        "1, 2, 4 квартал 2024",
        ScheduleKind.WINDOWS,
        [w("2024-01-01", "2024-03-31"), w("2024-04-01", "2024-06-30"), w("2024-10-01", "2024-12-31")],
        id="list-with-commas",
    ),
    pytest.param(
        "1-й и 2-й кварталы 2025 г.",
        ScheduleKind.WINDOWS,
        [w("2025-01-01", "2025-03-31"), w("2025-04-01", "2025-06-30")],
        id="ordinal-suffixes",
    ),
]


@pytest.mark.parametrize(("text", "kind", "expected"), QUARTERS)
def test_it_reads_quarter_ranges_and_lists(text: str, kind: ScheduleKind, expected: list[Window]) -> None:
    check(text, P23_25, kind, expected)


# --- The school year --------------------------------------------------------------------------

SCHOOL = [
    pytest.param(
        "2-е полугодие 2023/2024 учебного года", P23_25, [w("2024-01-01", "2024-05-31")], id="2nd-half"
    ),
    pytest.param("1 полугодие 2024-2025 уч. г.", P23_25, [w("2024-09-01", "2024-12-31")], id="1st-half-abbr"),
    pytest.param(
        "первое полугодие учебного года", SCHOOL_23_24, [w("2023-09-01", "2023-12-31")], id="1st-half"
    ),
    pytest.param(
        "второе полугодие учебного года", P23, [w("2023-01-01", "2023-05-31")], id="2nd-half-in-period"
    ),
    pytest.param("2 четверть", SCHOOL_23_24, [w("2023-11-06", "2023-12-29")], id="2nd-term"),
    pytest.param("IV четверть 2024 года", P23_25, [w("2024-04-01", "2024-05-31")], id="term-of-a-year"),
    pytest.param("в течение 1 четверти", SCHOOL_23_24, [w("2023-09-01", "2023-10-27")], id="during-a-term"),
    pytest.param("по итогам III четверти", SCHOOL_23_24, [w("2024-03-23", "2024-04-22")], id="after-a-term"),
    pytest.param(
        "по итогам I квартала 2024 г.", P23_25, [w("2024-04-01", "2024-04-30")], id="after-a-quarter"
    ),
    pytest.param(
        "в период осенних каникул", SCHOOL_23_24, [w("2023-10-28", "2023-11-05")], id="autumn-holidays"
    ),
    pytest.param(
        "во время весенних каникул", SCHOOL_23_24, [w("2024-03-23", "2024-03-31")], id="spring-holidays"
    ),
    pytest.param("в период летних каникул", P23, [w("2023-06-01", "2023-08-31")], id="summer-holidays"),
    pytest.param("к началу учебного года", P23, [w("2023-08-01", "2023-08-31")], id="by-school-start"),
    pytest.param(
        "к началу 2024/2025 учебного года", P23_25, [w("2024-08-01", "2024-08-31")], id="by-named-start"
    ),
    pytest.param("к новому учебному году", P23, [w("2023-08-01", "2023-08-31")], id="by-the-new-year"),
]


@pytest.mark.parametrize(("text", "period", "expected"), SCHOOL)
def test_it_reads_the_school_year_from_the_federal_calendar(
    text: str, period: tuple[date, date], expected: list[Window]
) -> None:
    check(text, period, ScheduleKind.ONCE, expected)


def test_it_reads_a_list_of_terms() -> None:
    # in a plan for 2024 each term once: the third of 2023/24, the first and second of 2024/25;
    # the month after the second would end in 2025, after the plan, so it is not produced
    check(
        "по итогам I, II, III четвертей",
        (date(2024, 1, 1), date(2024, 12, 31)),
        ScheduleKind.WINDOWS,
        [w("2024-03-23", "2024-04-22"), w("2024-10-28", "2024-11-27")],
    )


def test_it_repeats_a_school_part_every_school_year() -> None:
    check(
        "ежегодно, в период осенних каникул",
        P23_25,
        ScheduleKind.RECURRING,
        [w(f"{y}-10-28", f"{y}-11-05") for y in (2023, 2024, 2025)],
    )


def test_a_region_calendar_moves_the_terms() -> None:
    # A region whose autumn term ends on 3 November and holidays run 4–12 November.
    calendar = SchoolCalendar.from_json(
        {"terms": [["01.09", "03.11"], ["13.11", "29.12"], ["09.01", "22.03"], ["01.04", "24.05"]],
         "holidays": {"autumn": ["04.11", "12.11"]}}
    )  # fmt: skip
    check(
        "1 четверть",
        SCHOOL_23_24,
        ScheduleKind.ONCE,
        [w("2023-09-01", "2023-11-03")],
        school_calendar=calendar,
    )
    check(
        "осенние каникулы",
        SCHOOL_23_24,
        ScheduleKind.ONCE,
        [w("2023-11-04", "2023-11-12")],
        school_calendar=calendar,
    )
    # what the region did not set keeps the federal default
    assert calendar.part("holiday", 2) == FEDERAL_CALENDAR.part("holiday", 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([], "объект", id="not-an-object"),
        pytest.param({"terms": [["01.09", "27.10"]]}, "четыре", id="one-term"),
        pytest.param({"year": ["31.02", "31.05"]}, "31.02", id="no-such-day"),
        pytest.param({"holidays": {"march": ["01.03", "07.03"]}}, "autumn", id="unknown-holiday"),
        pytest.param({"trimesters": []}, "trimesters", id="unknown-key"),
        pytest.param({"year": "01.09-31.05"}, "пара", id="not-a-pair"),
    ],
)
def test_a_bad_region_calendar_is_refused_by_name(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SchoolCalendar.from_json(data)


def test_an_empty_region_calendar_is_the_federal_one() -> None:
    assert SchoolCalendar.from_json({}) is FEDERAL_CALENDAR
    assert SchoolCalendar.from_json(None) is FEDERAL_CALENDAR


# --- Parts of months --------------------------------------------------------------------------

MONTH_PARTS = [
    pytest.param("3 декада мая", w("2023-05-21", "2023-05-31"), id="3rd-decade"),
    pytest.param(
        "в первой декаде сентября 2023 г.", w("2023-09-01", "2023-09-10"), id="1st-decade-with-year"
    ),
    pytest.param("вторая декада февраля", w("2023-02-11", "2023-02-20"), id="2nd-decade"),
    pytest.param("во второй половине октября", w("2023-10-16", "2023-10-31"), id="2nd-half-of-month"),
    pytest.param("в первой половине марта", w("2023-03-01", "2023-03-15"), id="1st-half-of-month"),
    pytest.param("во второй половине 2023 года", w("2023-07-01", "2023-12-31"), id="2nd-half-of-a-year"),
    # Weeks: counted from the 1st (8–14) or by calendar weeks (as early as the 2nd): the window
    # spans both readings and the due date is the later one.
    pytest.param("в течение второй недели ноября", w("2023-11-02", "2023-11-14"), id="2nd-week"),
    pytest.param("на первой неделе декабря", w("2023-12-01", "2023-12-07"), id="1st-week"),
]


@pytest.mark.parametrize(("text", "expected"), MONTH_PARTS)
def test_it_reads_parts_of_months(text: str, expected: Window) -> None:
    check(text, P23, ScheduleKind.ONCE, [expected])


# --- Open starts ------------------------------------------------------------------------------


def quarters_from(first: date, last: date) -> list[Window]:
    windows, start = [], first
    while start <= last:
        q_end_month = (start.month - 1) // 3 * 3 + 3
        end = month(start.year, q_end_month).due
        windows.append(Window(start, min(end, last)))
        start = end + timedelta(days=1)
    return windows


OPEN_STARTS = [
    pytest.param(
        "начиная с октября 2025 г.",
        ScheduleKind.CONTINUOUS,
        [w("2025-10-01", "2025-12-31")],
        id="from-october",
    ),
    pytest.param(
        "с 2024 года",
        ScheduleKind.CONTINUOUS,
        quarters_from(date(2024, 1, 1), date(2025, 12, 31)),
        id="from-a-year",
    ),
    pytest.param(
        "Начиная с 01.09.2025",
        ScheduleKind.CONTINUOUS,
        [w("2025-09-01", "2025-09-30"), w("2025-10-01", "2025-12-31")],
        id="from-a-date",
    ),
    pytest.param(
        "ежемесячно, начиная с октября 2025 года",
        ScheduleKind.RECURRING,
        [month(2025, 10), month(2025, 11), month(2025, 12)],
        id="monthly-from",
    ),
    pytest.param(
        "начиная с ноября 2025 г. ежемесячно",
        ScheduleKind.RECURRING,
        [month(2025, 11), month(2025, 12)],
        id="from-then-monthly",
    ),
]


@pytest.mark.parametrize(("text", "kind", "expected"), OPEN_STARTS)
def test_an_open_start_runs_to_the_end_of_the_period(
    text: str, kind: ScheduleKind, expected: list[Window]
) -> None:
    check(text, P23_25, kind, expected)


def test_a_range_with_from_is_still_a_range() -> None:
    check("с 1 по 15 марта 2023", P23, ScheduleKind.ONCE, [w("2023-03-01", "2023-03-15")])
    check(
        "с 2024 по 2025 год",
        P23_25,
        ScheduleKind.CONTINUOUS,
        quarters_from(date(2024, 1, 1), date(2025, 12, 31)),
    )


# --- Relative deadlines -----------------------------------------------------------------------

ACT = date(2023, 3, 10)  # a Friday

RELATIVE = [
    pytest.param(
        "в двухнедельный срок после утверждения программы", w("2023-03-10", "2023-03-24"), id="two-weeks"
    ),
    pytest.param("в 10-дневный срок со дня утверждения", w("2023-03-10", "2023-03-20"), id="ten-days"),
    pytest.param(
        "в месячный срок после утверждения дорожной карты", w("2023-03-10", "2023-04-10"), id="a-month"
    ),
    pytest.param(
        "в течение 3 месяцев с момента подписания приказа", w("2023-03-10", "2023-06-10"), id="3-months"
    ),
    # Friday + 5 working days is the next Friday (weekend skipped)
    pytest.param(
        "не позднее 5 рабочих дней после утверждения", w("2023-03-10", "2023-03-17"), id="working-days"
    ),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_it_counts_relative_deadlines_from_the_act(text: str, expected: Window) -> None:
    check(text, P23, ScheduleKind.ONCE, [expected], act_date=ACT)


def test_working_days_skip_public_holidays() -> None:
    # 3 May 2023 (Wed) + 5 working days: 4, 5, 8, 10, 11 (9 May is a holiday) → 11 May
    check("в течение 5 рабочих дней после утверждения", P23, ScheduleKind.ONCE, [w("2023-05-03", "2023-05-11")],
          act_date=date(2023, 5, 3))  # fmt: skip


# --- External schedules -----------------------------------------------------------------------

EXTERNAL = [
    "в сроки, определённые Рособрнадзором",
    "В сроки, установленные Минпросвещения России",
    "по срокам, утвержденным ФИОКО",
    "в соответствии со сроками, определенными региональным оператором",
]


@pytest.mark.parametrize("text", EXTERNAL)
def test_it_reads_other_bodies_schedules_as_external(text: str) -> None:
    quarters = quarters_from(date(2023, 1, 1), date(2023, 12, 31))
    check(text, P23, ScheduleKind.EXTERNAL, quarters)


# --- What must stay flagged -------------------------------------------------------------------

FLAGGED = [
    pytest.param("до 10 числа", P23, {}, "какого", id="day-without-month"),
    pytest.param(
        "не позднее 5 рабочих дней после мероприятия", P23, {"act_date": ACT}, "событи", id="after-an-event"
    ),
    pytest.param(
        "в двухнедельный срок после утверждения программы", P23, {}, "не известна", id="no-act-date"
    ),
    pytest.param(
        "в течение 10 дней после утверждения муниципальной программы",
        P23,
        {"act_date": ACT},
        "событи",
        id="another-plans-approval",
    ),
    pytest.param(
        "в месячный срок после утверждения", P23, {"act_date": date(2023, 12, 20)}, "период", id="past-end"
    ),
    pytest.param("по итогам 4 квартала", P23, {}, "после окончания", id="after-the-last-quarter"),
    pytest.param("по итогам года", P23, {}, "по итогам", id="after-which-year"),
    pytest.param("каникулы", P23, {}, "каникулы", id="which-holidays"),
    pytest.param("1-2 четверть", SCHOOL_23_24, {}, "диапазон четвертей", id="term-range"),
    pytest.param("вторая неделя", P23, {}, "месяц", id="week-without-month"),
    pytest.param("4 декада мая", P23, {}, "нет такого", id="fourth-decade"),
    pytest.param("до 32.05", P23, {}, "нет такой даты", id="no-such-day-month"),
    pytest.param("зимние каникулы 2023 года", P23, {}, "2024", id="holiday-into-unwritten-year"),
    pytest.param("декабрь-январь 2023", P23, {}, "2024", id="wrap-into-unwritten-year"),
    pytest.param("1 полугодие 2023/2025 учебного года", P23_25, {}, "учебный год", id="bad-school-year"),
    pytest.param("ежемесячно 10 числа, в первый понедельник", P23, {}, "и число", id="day-and-weekday"),
    pytest.param(
        "ежеквартально до 15 числа месяца, следующего за отчётным месяцем", P23, {}, "две", id="two-steps"
    ),
    pytest.param("начиная с января 2030 г.", P23, {}, "после окончания", id="start-after-the-period"),
]


@pytest.mark.parametrize(("text", "period", "kwargs", "reason"), FLAGGED)
def test_it_flags_what_it_cannot_read_for_certain(
    text: str, period: tuple[date, date], kwargs: dict, reason: str
) -> None:
    result = parse_schedule(text, *period, **kwargs)
    assert result.kind is ScheduleKind.UNKNOWN, result.windows
    assert result.windows == ()
    assert result.note.startswith(UNKNOWN_NOTE)
    assert reason in result.note


# --- Properties -------------------------------------------------------------------------------

FRAGMENTS = [
    "ежемесячно", "ежеквартально", "ежегодно", "не позднее", "до", "к", "с", "начиная с", "по итогам",
    "10-го числа", "15 числа", "3 числу", "месяца, следующего за отчётным кварталом", "31.05", "01.09",
    "I–III кварталы", "3-4 квартал", "2 квартал", "I и III кварталы", "2-е полугодие", "2023/2024",
    "учебного года", "первое полугодие учебного года", "2 четверть", "III четверти", "осенних каникул",
    "в период", "зимние каникулы", "к началу учебного года", "3 декада", "второй половине", "недели",
    "мая", "октября", "ноября", "декабрь", "январь", "в первый понедельник", "2022", "2023", "2024 г.",
    "2025 года", "2031", "-", ",", ";", "далее:", "в двухнедельный срок", "после утверждения программы",
    "5 рабочих дней", "после мероприятия", "в сроки, определённые Рособрнадзором", "постоянно",
    "в течение года", "по запросу", "раз в полугодие", "20", "1", "32", "ё", "\n", "(", ")",
]  # fmt: skip

periods = st.builds(
    lambda start, days: (start, start + timedelta(days=days)),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=0, max_value=5 * 366),
)
phrases = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map(" ".join)
act_dates = st.none() | st.dates(min_value=date(2018, 6, 1), max_value=date(2028, 6, 1))


def written_years(text: str) -> set[int]:
    return {int(y) for y in re.findall(r"(?<![0-9])((?:19|20)\d{2})(?![0-9])", text)}


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(text=phrases, period=periods, act_date=act_dates)
def test_property_every_date_is_in_the_period_or_a_written_year(
    text: str, period: tuple[date, date], act_date: date | None
) -> None:
    result = parse_schedule(text, *period, act_date=act_date)  # never raises
    assert isinstance(result, ScheduleParse)
    assert result.understood == (result.kind is not ScheduleKind.UNKNOWN) == bool(result.windows)
    assert list(result.windows) == sorted(set(result.windows))
    years = written_years(text)
    for window in result.windows:
        assert window.start <= window.due
        for day in (window.start, window.due):
            assert period[0] <= day <= period[1] or day.year in years, (text, window)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(text=st.text(max_size=60), period=periods)
def test_property_nothing_raises_on_any_text(text: str, period: tuple[date, date]) -> None:
    result = parse_schedule(text, *period)
    assert result.understood == bool(result.windows)
