"""The «Сроки» parser, over every schedule phrase of seeds 000–002 and the families in DESIGN.md.

Pure logic: no database, so these run with ``-p no:django`` as well as under pytest-django.
Seed phrases are copied exactly as the seed text has them, line breaks of 001 included.
"""

import json
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from roadmaps.schedule import UNKNOWN_NOTE, ScheduleKind, ScheduleParse, Window, due_datetime, parse_schedule

# Roadmap periods of the seed documents.
P000 = (date(2023, 1, 1), date(2023, 12, 31))  # Tomsk ШНОР roadmap «на 2023 год»
P001 = (date(2020, 1, 1), date(2023, 12, 31))  # «на 2020-2023 г.г.»
P002 = (date(2022, 1, 1), date(2024, 12, 31))  # «Школа Минпросвещения России» «на 2022-2024 гг.»
P002_FROM_ORDER = (date(2022, 10, 27), date(2024, 12, 31))  # the same, counted from the order's date


def w(start: str, due: str) -> Window:
    return Window(date.fromisoformat(start), date.fromisoformat(due))


def months(year: int, first: int, last: int | None = None) -> Window:
    """Whole months ``first``..``last`` of ``year``."""
    last = last or first
    following = date(year + (last == 12), last % 12 + 1, 1)
    return Window(date(year, first, 1), following - timedelta(days=1))


def each_year(years: range, first: int, last: int | None = None) -> list[Window]:
    return [months(y, first, last) for y in years]


def whole_years(years: range) -> list[Window]:
    return [months(y, 1, 12) for y in years]


def quarters(years: range) -> list[Window]:
    return [months(y, q * 3 - 2, q * 3) for y in years for q in (1, 2, 3, 4)]


def halves(years: range) -> list[Window]:
    return [months(y, h * 6 - 5, h * 6) for y in years for h in (1, 2)]


def assert_consistent(result: ScheduleParse) -> None:
    """What every caller relies on, whatever the phrase."""
    assert isinstance(result, ScheduleParse)
    assert result.understood == (result.kind is not ScheduleKind.UNKNOWN)
    assert bool(result.windows) == result.understood
    assert list(result.windows) == sorted(set(result.windows))
    assert all(window.start <= window.due for window in result.windows)
    assert result.note


def assert_parses(text: str, period: tuple[date, date], kind: ScheduleKind, expected: list[Window]) -> None:
    result = parse_schedule(text, *period)
    assert_consistent(result)
    assert result.text == text
    assert result.kind is kind, result.note
    assert result.understood
    assert result.due_dates == tuple(window.due for window in expected)
    assert result.windows == tuple(expected)


# --- The seed documents, phrase by phrase -----------------------------------------------------

SINGLE_MONTHS = [
    pytest.param("Март 2023г.", P000, months(2023, 3), id="000-march"),
    pytest.param("Апрель 2023г.", P000, months(2023, 4), id="000-april"),
    pytest.param("Май 2023г.", P000, months(2023, 5), id="000-may"),
    pytest.param("Май 2023", P000, months(2023, 5), id="000-may-no-g"),
    pytest.param("Июнь 2023г.", P000, months(2023, 6), id="000-june"),
    pytest.param("Декабрь 2023г.", P000, months(2023, 12), id="000-december"),
    pytest.param("Апрель \n\n2020", P001, months(2020, 4), id="001-april-split-over-lines"),
    pytest.param("Май \n\n2020", P001, months(2020, 5), id="001-may-split-over-lines"),
    pytest.param("Сентябрь\n\n 2020", P001, months(2020, 9), id="001-september-split"),
    pytest.param("Сентябрь 2020", P001, months(2020, 9), id="001-september"),
    pytest.param("август 2022", P002, months(2022, 8), id="002-august"),
]

MONTH_RANGES = [
    pytest.param("Январь-март 2023г.", P000, months(2023, 1, 3), id="000-jan-mar"),
    pytest.param("Март-апрель 2023г.", P000, months(2023, 3, 4), id="000-mar-apr"),
    pytest.param("Март-май 2023г.", P000, months(2023, 3, 5), id="000-mar-may"),
    pytest.param("Октябрь-ноябрь 2023г.", P000, months(2023, 10, 11), id="000-oct-nov"),
    pytest.param("Август - октябрь 2023г.", P000, months(2023, 8, 10), id="000-aug-oct-spaced"),
    pytest.param("Май-август \n\n2020", P001, months(2020, 5, 8), id="001-may-aug-split"),
    pytest.param("Август - сентябрь 2020", P001, months(2020, 8, 9), id="001-aug-sep"),
    pytest.param("Март-апрель 2021", P001, months(2021, 3, 4), id="001-mar-apr"),
    pytest.param("Июль-август 2020", P001, months(2020, 7, 8), id="001-jul-aug"),
    pytest.param("Сентябрь-октябрь 2020", P001, months(2020, 9, 10), id="001-sep-oct"),
    pytest.param("Июнь-август 2021", P001, months(2021, 6, 8), id="001-jun-aug"),
    pytest.param("Ноябрь-декабрь 2021", P001, months(2021, 11, 12), id="001-nov-dec"),
    pytest.param("Октябрь-ноябрь 2020", P001, months(2020, 10, 11), id="001-oct-nov"),
]

Y21_23 = range(2021, 2024)

LISTED_WINDOWS = [
    pytest.param(
        "20–21 апреля 2023г., октябрь 2023г.",
        P000,
        [w("2023-04-20", "2023-04-21"), months(2023, 10)],
        id="000-days-and-month",
    ),
    pytest.param(
        "Сентябрь-октябрь\n\n2020\n\nДалее:\n\nапрель-май \n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 9, 10), *each_year(Y21_23, 4, 5)],
        id="001-item11",
    ),
    pytest.param(
        "Октябрь 2020\n\nДалее:\n\nавгуст \n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 10), *each_year(Y21_23, 8)],
        id="001-item12",
    ),
    pytest.param(
        "Май-июнь, октябрь 2020\n\nДалее:\n\nавгуст \n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 5, 6), months(2020, 10), *each_year(Y21_23, 8)],
        id="001-item11.2-year-after-a-list",
    ),
    pytest.param(
        "Октябрь 2020\n\nДалее:\n\nавгуст-сентябрь\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 10), *each_year(Y21_23, 8, 9)],
        id="001-item11.5",
    ),
    pytest.param(
        "Октябрь 2020\n\nДалее:\n\nавгуст\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 10), *each_year(Y21_23, 8)],
        id="001-item14",
    ),
    pytest.param(
        "сентябрь \n\n2021\n\n2022\n\n2023",
        P001,
        each_year(Y21_23, 9),
        id="001-item15-one-month-three-years",
    ),
    pytest.param(
        "Октябрь 2020\n\nДалее:\n\nсентябрь-октябрь \n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 10), *each_year(Y21_23, 9, 10)],
        id="001-item16",
    ),
    pytest.param(
        "Ноябрь- декабрь\n\n2020\n\nДалее:\n\nсентябрь-октябрь \n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 11, 12), *each_year(Y21_23, 9, 10)],
        id="001-item17",
    ),
    pytest.param(
        "До 20 июня \n\n2021\n\n2022\n\n2023\n\n",
        P001,
        [w(f"{y}-06-01", f"{y}-06-20") for y in Y21_23],
        id="001-item22-deadline-each-year",
    ),
    pytest.param(
        "Ноябрь\n\n2020 \n\nДалее:\n\nсентябрь-ноябрь\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 11), *each_year(Y21_23, 9, 11)],
        id="001-item23",
    ),
    pytest.param(
        "Февраль 2021\n\nДалее:\n\nноябрь-декабрь \n\n2021\n\n2022\n\n2023",
        P001,
        [months(2021, 2), *each_year(Y21_23, 11, 12)],
        id="001-item24",
    ),
    pytest.param(
        "До 15 декабря 2020\n\nДалее:\n\nоктябрь-ноябрь\n\n2021\n\n2022\n\n2023",
        P001,
        [w("2020-12-01", "2020-12-15"), *each_year(Y21_23, 10, 11)],
        id="001-item25",
    ),
    pytest.param(
        "Ноябрь-декабрь\n\n2020\n\nДалее:\n\nоктябрь\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 11, 12), *each_year(Y21_23, 10)],
        id="001-item26",
    ),
    pytest.param(
        "Ноябрь 2020\n\nДалее:\n\nсентябрь-октябрь\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 11), *each_year(Y21_23, 9, 10)],
        id="001-item28",
    ),
    pytest.param(
        "Октябрь-ноябрь 2020\n\nДалее:\n\nНоябрь, март\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 10, 11), *sorted(each_year(Y21_23, 3) + each_year(Y21_23, 11))],
        id="001-item27.3-two-months-each-year",
    ),
    pytest.param(
        "Сентябрь-ноябрь 2021\n\nСентябрь-ноябрь\n\n2022",
        P001,
        [months(2021, 9, 11), months(2022, 9, 11)],
        id="001-item28.6-no-separator",
    ),
    pytest.param("2022\n\n2023", P001, whole_years(range(2022, 2024)), id="001-item28.8-bare-years"),
]

RECURRING = [
    pytest.param("Ежемесячно", P000, [months(2023, m) for m in range(1, 13)], id="000-monthly"),
    pytest.param(
        "Август –сентябрь\n\n2020;\n\nдалее - ежегодно",
        P001,
        each_year(range(2020, 2024), 8, 9),
        id="001-item5.1-then-yearly",
    ),
    pytest.param("Ежегодно  (сентябрь - ноябрь)", P001, each_year(range(2020, 2024), 9, 11), id="001-item18"),
    pytest.param("Ежегодно (апрель - май)", P001, each_year(range(2020, 2024), 4, 5), id="001-item19"),
    pytest.param("Ежегодно (январь-февраль)", P001, each_year(range(2020, 2024), 1, 2), id="001-item20"),
    pytest.param(
        "До 30 мая 2021\n\nдалее:\n\nежегодно",
        P001,
        [w(f"{y}-05-01", f"{y}-05-30") for y in Y21_23],
        id="001-item21-deadline-then-yearly",
    ),
    pytest.param("Апрель 2021\n\nДалее:\n\nежегодно", P001, each_year(Y21_23, 4), id="001-item27"),
    pytest.param(
        "Ноябрь-декабрь 2020\n\nДалее:\n\n1 раз в квартал\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 11, 12), *quarters(Y21_23)],
        id="001-item27.2-then-quarterly",
    ),
    pytest.param(
        "Октябрь-ноябрь 2020\n\nДалее:\n\nНе реже 1 раза в полугодие\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 10, 11), *halves(Y21_23)],
        id="001-item27.4-then-half-yearly",
    ),
    pytest.param(
        "Не реже 1 раза в квартал \n\n2020\n2021\n\n2022\n\n2023",
        P001,
        quarters(range(2020, 2024)),
        id="001-item27.5-quarterly-in-listed-years",
    ),
    pytest.param("1 раз в 3 месяца", P001, quarters(range(2020, 2024)), id="001-item36-every-3-months"),
    pytest.param(
        "Май-июнь 2020 \n\nДалее:\n\nЕжегодно до 1 сентября\n\n",
        P001,
        [months(2020, 5, 6), *[w(f"{y}-08-01", f"{y}-09-01") for y in Y21_23]],
        id="001-item37-then-yearly-deadline",
    ),
    pytest.param("Ежегодно \n\nдекабрь", P001, each_year(range(2020, 2024), 12), id="001-item38"),
    pytest.param("Ежегодно \n\nянварь- февраль", P001, each_year(range(2020, 2024), 1, 2), id="001-item39"),
    pytest.param("ежегодно", P002, whole_years(range(2022, 2025)), id="002-yearly"),
    pytest.param(
        "формирование - ноябрь 2022 актуализация - ежегодно",
        P002,
        each_year(range(2022, 2025), 11),
        id="002-item3-labelled-stages",
    ),
    pytest.param("1 раз в год", P002, whole_years(range(2022, 2025)), id="002-once-a-year"),
    pytest.param("январь (ежегодно)", P002, each_year(range(2022, 2025), 1), id="002-january-yearly"),
]

CONTINUOUS = [
    pytest.param("В течение года", P000, quarters(range(2023, 2024)), id="000-during-the-year"),
    pytest.param(
        "Октябрь-декабрь 2020\n\nДалее: постоянно в течение учебного года\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 10, 12), *quarters(Y21_23)],
        id="001-item28.3",
    ),
    pytest.param("Постоянно", P001, quarters(range(2020, 2024)), id="001-constantly"),
    pytest.param(
        "Октябрь-декабрь 2020\n\nДалее:\n\nв течение года\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 10, 12), *quarters(Y21_23)],
        id="001-item29.2",
    ),
    pytest.param(
        "декабрь 2020 г.\nДалее:\n\nВ течение года\n\n2021\n\n2022\n\n2023",
        P001,
        [months(2020, 12), *quarters(Y21_23)],
        id="001-item32",
    ),
    pytest.param("регулярно", P002, quarters(range(2022, 2025)), id="002-regularly"),
    pytest.param("в течение года", P002, quarters(range(2022, 2025)), id="002-during-the-year"),
]

ON_REQUEST = [
    pytest.param("По запросам образовательных организаций", P001, id="001-on-request"),
    pytest.param("По мере поступления", P001, id="001-as-they-come"),
]

EXTERNAL = [
    pytest.param("В течение всего периода; по отдельному графику", P001, id="001-item28.4"),
    pytest.param("По отдельному графику в течение всего периода", P001, id="001-item35"),
]

# In 001 the parent row's «Постоянно» ran into sub-item 27.1's dates; which governs is for a human.
FLAGGED = [
    pytest.param(
        "Постоянно\nОктябрь-декабрь 2020\n\nДалее:\n\nежемесячно январь-апрель, сентябрь-декабрь\n\n2021\n\n2022\n\n2023",
        P001,
        id="001-item29-constantly-run-into-dates",
    ),
]

# Every distinct «Сроки» cell of the seeds, as the documents have them.
SEED_000 = [
    "Январь-март 2023г.", "Март 2023г.", "Март-апрель 2023г.", "Апрель 2023г.", "Март-май 2023г.",
    "Ежемесячно", "В течение года", "Май 2023г.", "Июнь 2023г.", "20–21 апреля 2023г., октябрь 2023г.",
    "Октябрь-ноябрь 2023г.", "Декабрь 2023г.", "Май 2023", "Август - октябрь 2023г.",
]  # fmt: skip
SEED_001 = [
    "Апрель \n\n2020",
    "Май \n\n2020",
    "Май-август \n\n2020",
    "Август –сентябрь\n\n2020;\n\nдалее - ежегодно",
    "Сентябрь\n\n 2020",
    "Сентябрь 2020",
    "Август - сентябрь 2020",
    "Март-апрель 2021",
    "Сентябрь-октябрь\n\n2020\n\nДалее:\n\nапрель-май \n\n2021\n\n2022\n\n2023",
    "Октябрь 2020\n\nДалее:\n\nавгуст \n\n2021\n\n2022\n\n2023",
    "Май-июнь, октябрь 2020\n\nДалее:\n\nавгуст \n\n2021\n\n2022\n\n2023",
    "Октябрь 2020\n\nДалее:\n\nавгуст-сентябрь\n\n2021\n\n2022\n\n2023",
    "Октябрь 2020\n\nДалее:\n\nавгуст\n\n2021\n\n2022\n\n2023",
    "сентябрь \n\n2021\n\n2022\n\n2023",
    "Октябрь 2020\n\nДалее:\n\nсентябрь-октябрь \n\n2021\n\n2022\n\n2023",
    "Ноябрь- декабрь\n\n2020\n\nДалее:\n\nсентябрь-октябрь \n\n2021\n\n2022\n\n2023",
    "Ежегодно  (сентябрь - ноябрь)",
    "Ежегодно (апрель - май)",
    "Ежегодно (январь-февраль)",
    "До 30 мая 2021\n\nдалее:\n\nежегодно",
    "До 20 июня \n\n2021\n\n2022\n\n2023\n\n",
    "Ноябрь\n\n2020 \n\nДалее:\n\nсентябрь-ноябрь\n\n2021\n\n2022\n\n2023",
    "Февраль 2021\n\nДалее:\n\nноябрь-декабрь \n\n2021\n\n2022\n\n2023",
    "До 15 декабря 2020\n\nДалее:\n\nоктябрь-ноябрь\n\n2021\n\n2022\n\n2023",
    "Ноябрь-декабрь\n\n2020\n\nДалее:\n\nоктябрь\n\n2021\n\n2022\n\n2023",
    "Апрель 2021\n\nДалее:\n\nежегодно",
    "Ноябрь 2020\n\nДалее:\n\nсентябрь-октябрь\n\n2021\n\n2022\n\n2023",
    "Постоянно\nОктябрь-декабрь 2020\n\nДалее:\n\nежемесячно январь-апрель, сентябрь-декабрь\n\n2021\n\n2022\n\n2023",
    "Ноябрь-декабрь 2020\n\nДалее:\n\n1 раз в квартал\n\n2021\n\n2022\n\n2023",
    "Октябрь-ноябрь 2020\n\nДалее:\n\nНоябрь, март\n\n2021\n\n2022\n\n2023",
    "Октябрь-ноябрь 2020\n\nДалее:\n\nНе реже 1 раза в полугодие\n\n2021\n\n2022\n\n2023",
    "Не реже 1 раза в квартал \n\n2020\n2021\n\n2022\n\n2023",
    "Июль-август 2020",
    "Сентябрь-октябрь 2020",
    "Октябрь-декабрь 2020\n\nДалее: постоянно в течение учебного года\n\n2021\n\n2022\n\n2023",
    "В течение всего периода; по отдельному графику",
    "Июнь-август 2021",
    "Сентябрь-ноябрь 2021\n\nСентябрь-ноябрь\n\n2022",
    "Ноябрь-декабрь 2021",
    "2022\n\n2023",
    "Октябрь-ноябрь 2020",
    "Октябрь-декабрь 2020\n\nДалее:\n\nв течение года\n\n2021\n\n2022\n\n2023",
    "Постоянно",
    "декабрь 2020 г.\nДалее:\n\nВ течение года\n\n2021\n\n2022\n\n2023",
    "По запросам образовательных организаций",
    "По отдельному графику в течение всего периода",
    "1 раз в 3 месяца",
    "Май-июнь 2020 \n\nДалее:\n\nЕжегодно до 1 сентября\n\n",
    "Ежегодно \n\nдекабрь",
    "Ежегодно \n\nянварь- февраль",
    "По мере поступления",
]
SEED_002 = [
    "август 2022", "ежегодно", "формирование - ноябрь 2022 актуализация - ежегодно", "1 раз в год",
    "регулярно", "в течение года", "январь (ежегодно)",
]  # fmt: skip
SEED_PERIODS = {
    **dict.fromkeys(SEED_000, P000),
    **dict.fromkeys(SEED_001, P001),
    **dict.fromkeys(SEED_002, P002),
}


@pytest.mark.parametrize(("text", "period", "expected"), SINGLE_MONTHS)
def test_it_parses_single_month(text: str, period: tuple[date, date], expected: Window) -> None:
    assert_parses(text, period, ScheduleKind.ONCE, [expected])


@pytest.mark.parametrize(("text", "period", "expected"), MONTH_RANGES)
def test_it_parses_month_range(text: str, period: tuple[date, date], expected: Window) -> None:
    assert_parses(text, period, ScheduleKind.ONCE, [expected])


@pytest.mark.parametrize(("text", "period", "expected"), LISTED_WINDOWS)
def test_it_parses_listed_windows_and_years(
    text: str, period: tuple[date, date], expected: list[Window]
) -> None:
    assert_parses(text, period, ScheduleKind.WINDOWS, expected)


@pytest.mark.parametrize(("text", "period", "expected"), RECURRING)
def test_it_parses_recurring_schedules(text: str, period: tuple[date, date], expected: list[Window]) -> None:
    assert_parses(text, period, ScheduleKind.RECURRING, expected)


@pytest.mark.parametrize(("text", "period", "expected"), CONTINUOUS)
def test_it_reports_continuous_items_every_quarter(
    text: str, period: tuple[date, date], expected: list[Window]
) -> None:
    assert_parses(text, period, ScheduleKind.CONTINUOUS, expected)


@pytest.mark.parametrize(("text", "period"), ON_REQUEST)
def test_it_reports_on_request_items_every_quarter(text: str, period: tuple[date, date]) -> None:
    assert_parses(text, period, ScheduleKind.ON_REQUEST, quarters(range(2020, 2024)))


@pytest.mark.parametrize(("text", "period"), EXTERNAL)
def test_it_understands_external_schedules_with_a_note(text: str, period: tuple[date, date]) -> None:
    assert_parses(text, period, ScheduleKind.EXTERNAL, quarters(range(2020, 2024)))
    assert "график" in parse_schedule(text, *period).note


@pytest.mark.parametrize(("text", "period"), FLAGGED)
def test_it_flags_constantly_run_into_dates_for_the_coordinator(text: str, period: tuple[date, date]) -> None:
    result = parse_schedule(text, *period)
    assert_consistent(result)
    assert result.kind is ScheduleKind.UNKNOWN
    assert not result.understood
    assert result.windows == ()
    assert result.note.startswith(UNKNOWN_NOTE)
    assert "постоянно" in result.note


def _table_texts(*tables: list) -> list[str]:
    return [param.values[0] for table in tables for param in table]


def test_the_tables_cover_every_seed_phrase_once() -> None:
    tables = _table_texts(
        SINGLE_MONTHS, MONTH_RANGES, LISTED_WINDOWS, RECURRING, CONTINUOUS, ON_REQUEST, EXTERNAL, FLAGGED
    )
    assert sorted(tables) == sorted(SEED_000 + SEED_001 + SEED_002)


@pytest.mark.parametrize("text", SEED_000 + SEED_001 + SEED_002)
def test_every_seed_phrase_is_understood_or_flagged(text: str) -> None:
    result = parse_schedule(text, *SEED_PERIODS[text])
    assert_consistent(result)
    assert result.understood or (result.kind is ScheduleKind.UNKNOWN and result.note.startswith(UNKNOWN_NOTE))


# --- The families of DESIGN.md and the brief, beyond the seeds --------------------------------


@pytest.mark.parametrize(
    ("text", "period", "kind", "expected"),
    [
        pytest.param(
            "До 20 июня 2021 2022 2023",
            P001,
            ScheduleKind.WINDOWS,
            [w(f"{y}-06-01", f"{y}-06-20") for y in Y21_23],
            id="deadline-in-three-years",
        ),
        pytest.param(
            "Октябрь 2020 Далее: август 2021 2022 2023",
            P001,
            ScheduleKind.WINDOWS,
            [months(2020, 10), *each_year(Y21_23, 8)],
            id="dalee-on-one-line",
        ),
        pytest.param(
            "Август –сентябрь 2020; далее - ежегодно",
            P001,
            ScheduleKind.RECURRING,
            each_year(range(2020, 2024), 8, 9),
            id="then-yearly-on-one-line",
        ),
        pytest.param(
            "сентябрь 2021, 2022, 2023",
            P001,
            ScheduleKind.WINDOWS,
            each_year(Y21_23, 9),
            id="years-with-commas",
        ),
        pytest.param(
            "сентябрь 2021г., 2022г., 2023г.",
            P001,
            ScheduleKind.WINDOWS,
            each_year(Y21_23, 9),
            id="years-with-g",
        ),
        pytest.param(
            "Октябрь 2020 Далее: август",
            P001,
            ScheduleKind.RECURRING,
            [months(2020, 10), *each_year(Y21_23, 8)],
            id="dalee-month-no-year",
        ),
    ],
)
def test_it_parses_multi_year_phrases(
    text: str, period: tuple[date, date], kind: ScheduleKind, expected: list[Window]
) -> None:
    assert_parses(text, period, kind, expected)


@pytest.mark.parametrize(
    ("text", "period", "expected"),
    [
        pytest.param("март", P000, months(2023, 3), id="one-year-period"),
        pytest.param("Апрель", P000, months(2023, 4), id="capitalised"),
        pytest.param("март", P002, months(2022, 3), id="first-march-of-a-long-period"),
        pytest.param("март", P002_FROM_ORDER, months(2023, 3), id="period-starts-after-march"),
        pytest.param("20 апреля", P000, w("2023-04-20", "2023-04-20"), id="day"),
    ],
)
def test_it_takes_the_year_from_the_period(text: str, period: tuple[date, date], expected: Window) -> None:
    assert_parses(text, period, ScheduleKind.ONCE, [expected])


def test_it_clips_phrases_without_years_to_the_period() -> None:
    yearly = parse_schedule("ежегодно", *P002_FROM_ORDER)
    assert yearly.windows == (w("2022-10-27", "2022-12-31"), *whole_years(range(2023, 2025)))
    january = parse_schedule("январь (ежегодно)", *P002_FROM_ORDER)
    assert january.windows == tuple(each_year(range(2023, 2025), 1))
    monthly = parse_schedule("Ежемесячно", *P002_FROM_ORDER)
    assert len(monthly.windows) == 27
    assert monthly.windows[0] == w("2022-10-27", "2022-10-31")
    assert monthly.windows[-1] == months(2024, 12)


def test_it_keeps_explicit_years_outside_the_period() -> None:
    # Order 1104 was signed on 20.05.2020, yet item 1 says «Апрель 2020»: the document wins.
    result = parse_schedule("Апрель \n\n2020", date(2020, 5, 20), date(2023, 12, 31))
    assert result.windows == (months(2020, 4),)
    assert parse_schedule("В течение 2022-2024 гг.", *P000).windows == tuple(quarters(range(2022, 2025)))


@pytest.mark.parametrize(
    ("text", "period", "expected"),
    [
        pytest.param("Ежеквартально", P000, quarters(range(2023, 2024)), id="quarterly"),
        pytest.param("Не реже 1 раза в полугодие", P000, halves(range(2023, 2024)), id="half-yearly"),
        pytest.param("2 раза в год", P000, halves(range(2023, 2024)), id="twice-a-year"),
        pytest.param("Ежегодно", P002, whole_years(range(2022, 2025)), id="yearly"),
        pytest.param("1 раз в год", P000, whole_years(range(2023, 2024)), id="once-a-year"),
        pytest.param(
            "Ежегодно (январь-февраль)", P002, each_year(range(2022, 2025), 1, 2), id="yearly-months"
        ),
        pytest.param(
            "Ежемесячно", P002, [months(y, m) for y in range(2022, 2025) for m in range(1, 13)], id="monthly"
        ),
        pytest.param(
            "ежемесячно январь-апрель, сентябрь-декабрь",
            P000,
            [months(2023, m) for m in (1, 2, 3, 4, 9, 10, 11, 12)],
            id="monthly-in-school-months",
        ),
        pytest.param(
            "ежемесячно январь-апрель, сентябрь-декабрь 2021 2022 2023",
            P001,
            [months(y, m) for y in Y21_23 for m in (1, 2, 3, 4, 9, 10, 11, 12)],
            id="monthly-in-school-months-of-listed-years",
        ),
        pytest.param(
            "еженедельно", P000, [months(2023, m) for m in range(1, 13)], id="weekly-reported-monthly"
        ),
    ],
)
def test_it_spreads_recurrences_over_the_period(
    text: str, period: tuple[date, date], expected: list[Window]
) -> None:
    assert_parses(text, period, ScheduleKind.RECURRING, expected)


@pytest.mark.parametrize(
    ("text", "period", "kind", "expected"),
    [
        pytest.param(
            "В течение периода", P000, ScheduleKind.CONTINUOUS, quarters(range(2023, 2024)), id="period"
        ),
        pytest.param("Регулярно", P000, ScheduleKind.CONTINUOUS, quarters(range(2023, 2024)), id="regularly"),
        pytest.param(
            "В течение 2022-2024 гг.",
            P002,
            ScheduleKind.CONTINUOUS,
            quarters(range(2022, 2025)),
            id="year-span",
        ),
        pytest.param(
            "в течение отчётного периода", P000, ScheduleKind.CONTINUOUS, quarters(range(2023, 2024)), id="yo"
        ),
        pytest.param(
            "По мере необходимости",
            P000,
            ScheduleKind.ON_REQUEST,
            quarters(range(2023, 2024)),
            id="when-needed",
        ),
        pytest.param(
            "по графику федерального оператора",
            P000,
            ScheduleKind.EXTERNAL,
            quarters(range(2023, 2024)),
            id="federal-operator",
        ),
        pytest.param(
            "Согласно графику ФИОКО",
            P000,
            ScheduleKind.EXTERNAL,
            quarters(range(2023, 2024)),
            id="according-to",
        ),
        pytest.param(
            "в соответствии с графиком проведения ВПР",
            P000,
            ScheduleKind.EXTERNAL,
            quarters(range(2023, 2024)),
            id="in-accordance-with",
        ),
    ],
)
def test_it_reports_open_ended_items_every_quarter(
    text: str, period: tuple[date, date], kind: ScheduleKind, expected: list[Window]
) -> None:
    assert_parses(text, period, kind, expected)


@pytest.mark.parametrize(
    ("text", "period", "expected"),
    [
        pytest.param(
            "к сентябрю 2024 года", P002, w("2024-08-01", "2024-08-31"), id="by-september-means-31-aug"
        ),
        pytest.param("до сентября 2024 г.", P002, w("2024-08-01", "2024-08-31"), id="before-september"),
        pytest.param("до 20 июня", P000, w("2023-06-01", "2023-06-20"), id="deadline-without-year"),
        pytest.param("До 30 мая 2021", P001, w("2021-05-01", "2021-05-30"), id="deadline-with-year"),
        pytest.param("к 1 сентября", P000, w("2023-08-01", "2023-09-01"), id="deadline-on-the-first"),
        pytest.param(
            "не позднее 15 ноября 2023 г.", P000, w("2023-11-01", "2023-11-15"), id="not-later-than"
        ),
        pytest.param("до 01.09.2023", P000, w("2023-08-01", "2023-09-01"), id="numeric-deadline"),
        pytest.param("до конца 2023 года", P000, w("2023-12-01", "2023-12-31"), id="end-of-year"),
        pytest.param("к концу 2023 года", P000, w("2023-12-01", "2023-12-31"), id="by-the-end-of-year"),
    ],
)
def test_it_reads_deadlines(text: str, period: tuple[date, date], expected: Window) -> None:
    assert_parses(text, period, ScheduleKind.ONCE, [expected])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("I квартал 2023", months(2023, 1, 3), id="roman-quarter"),
        pytest.param("IV квартал 2023 г.", months(2023, 10, 12), id="fourth-quarter"),
        pytest.param("2 полугодие 2023", months(2023, 7, 12), id="half-year"),
        pytest.param("Декабрь 2022 – январь 2023", w("2022-12-01", "2023-01-31"), id="across-new-year"),
        pytest.param("с 1 по 15 марта 2023", w("2023-03-01", "2023-03-15"), id="from-to-days"),
        pytest.param("01.09.2023-31.10.2023", w("2023-09-01", "2023-10-31"), id="numeric-range"),
        pytest.param("2023/2024 учебный год", w("2023-09-01", "2024-05-31"), id="school-year"),
        pytest.param("в течение марта 2023", months(2023, 3), id="during-march"),
    ],
)
def test_it_reads_other_date_forms(text: str, expected: Window) -> None:
    assert_parses(text, P000, ScheduleKind.ONCE, [expected])


@pytest.mark.parametrize(
    "text",
    [
        "Март 2023г.",
        "март 2023 г.",
        "МАРТ 2023 года",
        "Март\u00a02023\u00a0г.",
        "Март 2023 г.г.",
        "Март 2023гг.",
        "Март 2023г;",
        "Март 2023.",
        "  март\n\n2023  ",
        "в марте 2023 года",
        "марта 2023 г.",
    ],
)
def test_it_tolerates_typography_of_a_month(text: str) -> None:
    assert_parses(text, P000, ScheduleKind.ONCE, [months(2023, 3)])


@pytest.mark.parametrize(
    "text",
    [
        "Январь-март 2023",
        "Январь – март 2023 г.",
        "январь—март 2023г.",
        "Январь -март 2023",
        "январь\u2011март 2023",
        "Январь\u00a0–\u00a0март\n2023",
        "с января по март 2023 года",
    ],
)
def test_it_tolerates_typography_of_a_range(text: str) -> None:
    assert_parses(text, P000, ScheduleKind.ONCE, [months(2023, 1, 3)])


@pytest.mark.parametrize(
    ("text", "period", "reason"),
    [
        pytest.param("", P000, "не указан", id="empty"),
        pytest.param("   \n ", P000, "не указан", id="blank"),
        pytest.param("???", P000, "?", id="question-marks"),
        pytest.param("см. приложение", P000, "см", id="see-appendix"),
        pytest.param("по итогам ГИА", P000, "по", id="after-exams"),
        pytest.param("Март 2023 (по согласованию)", P000, "согласованию", id="unknown-tail-is-not-dropped"),
        pytest.param("в течение месяца", P000, "месяца", id="which-month"),
        pytest.param("31 июня 2023", P000, "нет такой даты", id="no-such-day"),
        pytest.param("до 2024 года", P000, "2024", id="ambiguous-year-deadline"),
        pytest.param("Ёжик", P000, "ежик", id="a-word"),
        pytest.param("Октябрь 2020\n\nДалее:", P001, "далее", id="cut-after-dalee"),
        pytest.param("к до 20 июня", P000, "предлог", id="two-prepositions"),
        pytest.param("октябрь", (date(2023, 1, 1), date(2023, 6, 30)), "период", id="month-outside-period"),
        pytest.param("ежемесячно", (date(1, 1, 1), date(9999, 12, 31)), "слишком много", id="absurd-period"),
    ],
)
def test_it_returns_unknown_without_raising(text: str, period: tuple[date, date], reason: str) -> None:
    result = parse_schedule(text, *period)
    assert_consistent(result)
    assert result.kind is ScheduleKind.UNKNOWN
    assert not result.understood
    assert result.windows == ()
    assert result.text == text
    assert result.note.startswith(UNKNOWN_NOTE)
    assert reason in result.note


def test_it_accepts_a_swapped_period() -> None:
    assert parse_schedule("март", date(2023, 12, 31), date(2023, 1, 1)).windows == (months(2023, 3),)


def test_it_never_raises_on_shuffled_fragments() -> None:
    fragments = [
        "март", "2023", "2024г.", "-", "–", "далее", ":", "ежегодно", "по", "графику", "до", "20", "к",
        "(", ")", ",", ";", "г.", "1", "раз", "в", "квартал", "I", "полугодие", "\n", "31.02.2023",
        "01.09.2023", "?", "постоянно", "с", "ё", "2023/2024", "учебный год", "99", "конца", "течение",
        "года", "ежемесячно", "январь-апрель", "по запросам", "формирование", "\u00a0",
    ]  # fmt: skip
    rng = random.Random(20230313)
    for _ in range(3000):
        text = " ".join(rng.choice(fragments) for _ in range(rng.randint(1, 8)))
        assert_consistent(parse_schedule(text, *P001))


def test_due_datetime_is_the_end_of_the_day_in_the_region() -> None:
    tomsk = ZoneInfo("Asia/Tomsk")
    moment = due_datetime(date(2023, 6, 20), tomsk)
    assert moment == datetime(2023, 6, 20, 23, 59, 59, 999999, tzinfo=tomsk)
    assert moment.utcoffset() == timedelta(hours=7)
    assert moment.astimezone(UTC) == datetime(2023, 6, 20, 16, 59, 59, 999999, tzinfo=UTC)
    # The same calendar deadline ends earlier in Tomsk than in Moscow.
    assert moment < due_datetime(date(2023, 6, 20), ZoneInfo("Europe/Moscow"))


def test_to_dict_is_json_friendly() -> None:
    data = parse_schedule("20–21 апреля 2023г., октябрь 2023г.", *P000).to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == {
        "text": "20–21 апреля 2023г., октябрь 2023г.",
        "kind": "windows",
        "due_dates": ["2023-04-21", "2023-10-31"],
        "windows": [
            {"start": "2023-04-20", "due": "2023-04-21"},
            {"start": "2023-10-01", "due": "2023-10-31"},
        ],
        "understood": True,
        "note": "Несколько сроков: 2",
    }
    unknown = parse_schedule("см. приложение", *P000).to_dict()
    assert unknown["kind"] == "unknown"
    assert unknown["understood"] is False
    assert unknown["windows"] == unknown["due_dates"] == []


def test_the_result_is_immutable() -> None:
    result = parse_schedule("Март 2023г.", *P000)
    with pytest.raises(AttributeError):
        result.kind = ScheduleKind.UNKNOWN  # type: ignore[misc]
    assert hash(result.windows[0]) == hash(months(2023, 3))
