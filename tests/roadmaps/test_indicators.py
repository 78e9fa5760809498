"""The «Показатель реализации» parser, over every indicator of seed 000 and the brief's examples.

Pure logic: no database, so these run with ``-p no:django`` as well as under pytest-django.
"""

import json
from decimal import Decimal

import pytest

from roadmaps.indicators import QUALITATIVE_NOTE, IndicatorParse, parse_indicator

# Seed 000, column «Показатель реализации», every distinct cell as the document has it. Row 28 is
# split by a page break into «Сформирована» and «аналитическая справка по итогам анкетирования»;
# both halves and the joined sentence are here.
SEED_000_QUANTITATIVE = [
    # text, value, comparator, unit, per
    pytest.param(
        "Разработано/откорректировано 68 школьных программ", "68", "=", "школьных программ", "", id="item11"
    ),
    pytest.param(
        "Размещено не менее 2 новостей в месяц на официальных сайтах МОУО и образовательных организаций",
        "2",
        ">=",
        "новостей",
        "month",
        id="item13-at-least-per-month",
    ),
    pytest.param(
        "Созданы на официальных сайтах 17 МОУО информационные разделы/страницы, посвященные поддержке ШНОР",
        "17",
        "=",
        "МОУО",
        "",
        id="item14-abbreviation-unit",
    ),
    pytest.param(
        "Проведена диагностика для 68 педагогических и управленческих команд ШНОР и ШНСУ",
        "68",
        "=",
        "педагогических и управленческих команд",
        "",
        id="item16-two-adjectives",
    ),
    pytest.param("Проведен мониторинг 68 школьных программ", "68", "=", "школьных программ", "", id="item18"),
    pytest.param(
        "Проведено 17 экспертиз муниципальных программ ШНОР", "17", "=", "экспертиз", "", id="item19"
    ),
    pytest.param(
        "Участие 68 школ в процедурах оценки качества обучающихся", "68", "=", "школ", "", id="item20"
    ),
    pytest.param(
        "Проведено по 3 выезда в 17 муниципалитетов", "3", "=", "выезда", "", id="item22-first-of-two"
    ),
    pytest.param(
        "Проведено 4 методических десанта в 4 муниципалитетах",
        "4",
        "=",
        "методических десанта",
        "",
        id="item23",
    ),
    pytest.param("Проведено 2 семинара", "2", "=", "семинара", "", id="item27"),
]

SEED_000_QUALITATIVE = [
    "Разработана региональная программа и «дорожная карта»",
    "Разработаны критерии для проведения экспертизы муниципальных программ по работе со ШНОР",
    "Разработаны критерии для проведения мониторинга",
    "Разработаны требования",
    "Утвержден список кураторов",
    "Разработана анкета",
    "Проведен вебинар",
    "Разработан план работы кураторов с управленческими командами школ",
    "Скорректированы и утверждены муниципальные программы и «дорожные карты»",
    "Разработана методика определения ШНОР на региональном уровне",
    "Прохождение анкетирования школами",
    "Разработаны, согласованы и утверждены ИОМ для педагогических и управленческих команд ШНОР и ШНСУ",
    "Проведены КПК",
    "Проведен семинар",
    "Проведен выездной семинар",
    "Сформирована",
    "аналитическая справка по итогам анкетирования",
    "Сформирована аналитическая справка по итогам анкетирования",
    "Сформирована аналитическая справка по итогам результатов мониторинга школьных программ",
    "Сформирована аналитическая справка кураторами ШНОР",
    # One report about 17 expert reviews: the deliverable is the report, 17 is a reference.
    "Сформирована аналитическая справка по итогам 17 экспертиз муниципальных программ ШНОР",
    "Сформирован аналитический отчет",
    "Аналитические материалы",
]


def assert_consistent(result: IndicatorParse, text: str) -> None:
    assert isinstance(result, IndicatorParse)
    assert result.text == text
    assert result.understood == (result.value is not None)
    assert result.comparator in {"=", ">=", ">", "<=", "<"}
    assert result.per in {"", "month", "quarter", "half_year", "year"}


@pytest.mark.parametrize(("text", "value", "comparator", "unit", "per"), SEED_000_QUANTITATIVE)
def test_it_reads_the_target_of_seed_indicators(
    text: str, value: str, comparator: str, unit: str, per: str
) -> None:
    result = parse_indicator(text)
    assert_consistent(result, text)
    assert result.understood
    assert result.value == Decimal(value)
    assert (result.comparator, result.unit, result.per) == (comparator, unit, per)


@pytest.mark.parametrize("text", SEED_000_QUALITATIVE)
def test_it_marks_qualitative_seed_indicators_as_not_understood(text: str) -> None:
    result = parse_indicator(text)
    assert_consistent(result, text)
    assert result.value is None
    assert not result.understood
    assert (result.unit, result.comparator) == ("", "=")
    assert result.note == QUALITATIVE_NOTE  # a normal outcome, not an error


def test_it_says_why_it_took_the_first_of_several_numbers() -> None:
    assert "по 3" in parse_indicator("Проведено по 3 выезда в 17 муниципалитетов").note
    assert "несколько чисел" in parse_indicator("Проведено 4 методических десанта в 4 муниципалитетах").note
    assert parse_indicator("Проведено 17 экспертиз муниципальных программ ШНОР").note == ""


@pytest.mark.parametrize(
    ("text", "value", "comparator", "unit", "per"),
    [
        pytest.param("более 20% педагогов", "20", ">", "%", "", id="more-than-percent"),
        pytest.param("100% управленческих команд", "100", "=", "%", "", id="all"),
        pytest.param("не более 5", "5", "<=", "", "", id="at-most"),
        pytest.param("до 10%", "10", "<=", "%", "", id="up-to-percent"),
        pytest.param("менее 15% выпускников", "15", "<", "%", "", id="less-than"),
        pytest.param("не менее чем 80 процентов школ", "80", ">=", "%", "", id="at-least-words-for-percent"),
        pytest.param("Доля не менее 12,5 % педагогов", "12.5", ">=", "%", "", id="comma-decimal"),
        pytest.param("12,5%", "12.5", "=", "%", "", id="bare-percent"),
        pytest.param("свыше 1 000 участников", "1000", ">", "участников", "", id="thousands"),
        pytest.param("Проведено два семинара", "2", "=", "семинара", "", id="number-word"),
        pytest.param(
            "Проведено 5 мероприятий ежеквартально", "5", "=", "мероприятий", "quarter", id="quarterly"
        ),
        pytest.param("не менее 1 публикации в квартал", "1", ">=", "публикации", "quarter", id="per-quarter"),
        pytest.param(
            "Не менее 2 консультаций в полугодие", "2", ">=", "консультаций", "half_year", id="per-half"
        ),
        pytest.param("3 отчета в год", "3", "=", "отчета", "year", id="per-year"),
        pytest.param("Проведено 3 вебинара в 2023 году", "3", "=", "вебинара", "", id="year-is-not-per-year"),
        pytest.param("Участие 68 школ в ВПР-2023", "68", "=", "школ", "", id="exam-year-skipped"),
    ],
)
def test_it_reads_values_comparators_units_and_periods(
    text: str, value: str, comparator: str, unit: str, per: str
) -> None:
    result = parse_indicator(text)
    assert_consistent(result, text)
    assert result.value == Decimal(value)
    assert (result.comparator, result.unit, result.per) == (comparator, unit, per)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Участие обучающихся 4-8 классов в ВПР-2023", id="grades-and-year"),
        pytest.param("Приказ № 352 от 13.03.2023", id="document-number-and-date"),
        pytest.param("Справка по итогам 17 экспертиз", id="reference"),
        pytest.param("Выполнено согласно приложению 2", id="appendix"),
    ],
)
def test_it_skips_numbers_that_are_not_targets(text: str) -> None:
    result = parse_indicator(text)
    assert_consistent(result, text)
    assert result.value is None


@pytest.mark.parametrize("text", ["", "   ", "???", "—", "см. приложение", "%", "12,", "1.2.3"])
def test_it_never_raises_on_garbage(text: str) -> None:
    assert_consistent(parse_indicator(text), text)


def test_it_says_when_the_indicator_is_missing() -> None:
    assert parse_indicator("").note == "Показатель не указан"


def test_to_dict_is_json_friendly() -> None:
    data = parse_indicator("Размещено не менее 2 новостей в месяц").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == {
        "text": "Размещено не менее 2 новостей в месяц",
        "value": "2",
        "unit": "новостей",
        "comparator": ">=",
        "per": "month",
        "understood": True,
        "note": "",
    }
    assert parse_indicator("Доля 12,5%").to_dict()["value"] == "12.5"
    assert parse_indicator("Проведен вебинар").to_dict()["value"] is None
