"""The diagnostics readers on awkward files, built here with openpyxl: title lines above the
header, two-row headers with merged cells, synonyms, numbers as text, unknown and repeated
schools, levels out of range, an empty file, a file that is not a spreadsheet. Pure: no database."""

import io

import openpyxl
import pytest

from diagnostics import importing, sheets
from diagnostics.importing import SchoolRef
from diagnostics.sheets import Grid
from schools.tables import TableError

SCHOOLS = [
    SchoolRef(1, "700001", ("МАОУ СОШ № 5", "Средняя школа № 5"), "МАОУ СОШ № 5 (Томск)", "Томск"),
    SchoolRef(
        2, "700002", ("МБОУ «Чердатская СОШ»",), "МБОУ «Чердатская СОШ» (Зырянский район)", "Зырянский район"
    ),
    SchoolRef(3, "700003", ("МБОУ СОШ № 1",), "МБОУ СОШ № 1 (Асино)", "Асино"),
    SchoolRef(4, "700004", ("МБОУ СОШ № 1",), "МБОУ СОШ № 1 (Колпашево)", "Колпашево"),
    SchoolRef(5, "", ("МАОУ СОШ № 55",), "МАОУ СОШ № 55 (Томск)", "Томск"),
]


def xlsx(rows, *, merges=(), percent=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    for ref in percent:
        ws[ref].number_format = "0.0%"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse(kind, rows, **kw):
    grid = sheets.read_grid("файл.xlsx", xlsx(rows, **kw))
    return importing.parse(kind, grid, SCHOOLS)


def messages(parsed):
    return [(p["row"], p["column"], p["message"]) for p in parsed.problems]


# --- self-diagnosis -------------------------------------------------------------------------------


def test_self_diagnosis_with_title_lines_synonyms_text_numbers_and_a_list_of_indicators():
    parsed = parse(
        importing.SELF_DIAGNOSIS,
        [
            ["Итоги самодиагностики 2025 года"],
            [],
            [
                "№ п/п",
                "Наименование ОО",
                "Знание (из 30)",
                "Воспитание",
                "Здоровье, баллы",
                "Итого",
                "Уровень соответствия",
                "Невыполненные критические показатели",
                "Ответственный",
            ],
            [1, "МАОУ СОШ №5", "12,5", " 10 ", 18, "", "Базовый уровень", "нет школьного театра;\nнет хора"],
            [2, 'мбоу "чердатская сош"', "—", 9, "7", 30, "ниже базового", "—", "Иванов"],
        ],
    )
    assert parsed.problems == []
    assert parsed.header_row == 3
    assert parsed.ignored == ["Ответственный"]
    assert "«Ответственный»" in parsed.warnings[0]
    first, second = parsed.records
    assert first["school_id"] == 1 and first["level"] == "basic"
    assert first["scores"] == {
        "knowledge": ["12.5", "30"],
        "upbringing": ["10.0", None],
        "health": ["18.0", None],
    }
    assert first["total"] == "40.5"  # no total given: the sum of the directions
    assert first["critical"] == ["нет школьного театра", "нет хора"]
    assert second["school_id"] == 2 and second["level"] == "below_basic"
    assert "knowledge" not in second["scores"] and second["total"] == "30.0" and second["critical"] == []


def test_a_two_row_header_with_merged_cells_is_read_as_one():
    parsed = parse(
        importing.SELF_DIAGNOSIS,
        [
            ["Код школы", "Школа", "Баллы по направлениям", None, None, "Уровень"],
            [None, None, "Знание", "Творчество", "Школьный климат", None],
            ["700003", "", 11, 12, 13, "средний"],
        ],
        merges=["A1:A2", "B1:B2", "C1:E1", "F1:F2"],
    )
    assert parsed.problems == []
    assert parsed.header_row == 2
    (record,) = parsed.records
    assert record["school_id"] == 3 and record["level"] == "medium"
    assert set(record["scores"]) == {"knowledge", "creativity", "climate"}


def test_self_diagnosis_problems_are_named_by_row_and_column():
    parsed = parse(
        importing.SELF_DIAGNOSIS,
        [
            ["Школа", "Муниципалитет", "Знание (из 30)", "Уровень"],
            ["МАОУ СОШ № 5", "", "31", "базовый"],
            ["МАОУ СОШ № 5", "", "10", "базовый"],
            ["МАОУ СОШ № 5", "", "10", "базовый"],
            ["МАОУ СОШ № 5 им. Героя", "", "двенадцать", "отличный"],
            ["МБОУ СОШ № 1", "", "1", "высокий"],
            ["МБОУ СОШ № 1", "Колпашево", "1", "высокий"],
        ],
    )
    found = messages(parsed)
    assert (2, "Знание (из 30)", "Баллов 31 — больше максимума 30, указанного в заголовке.") in found
    assert any(r == 3 and "уже есть в строке 2" in m for r, _c, m in found)
    assert any(r == 4 and "уже есть в строке 2" in m for r, _c, m in found)
    row5 = [m for r, _c, m in found if r == 5]
    assert "Ожидается число, а не «двенадцать»." in row5
    assert any("«отличный»" in m for m in row5)
    assert any("Похожие: «МАОУ СОШ № 5 (Томск)»" in m for m in row5)
    assert not any("№ 55" in m for m in row5)  # never a school with a different number
    assert any(r == 6 and "укажите муниципалитет или код" in m for r, _c, m in found)
    assert [r["school_id"] for r in parsed.records] == [4]


def test_unknown_school_is_an_error_with_what_to_do():
    parsed = parse(importing.SELF_DIAGNOSIS, [["Школа", "Уровень"], ["Гимназия № 2", "базовый"]])
    ((row, column, message),) = messages(parsed)
    assert (row, column) == (2, "Школа")
    assert "не найдена в регионе, похожих нет" in message and parsed.records == []


def test_code_and_name_pointing_at_different_schools_are_refused():
    parsed = parse(
        importing.SELF_DIAGNOSIS,
        [
            ["Код ОО", "Школа", "Уровень"],
            ["700002", "МАОУ СОШ № 5", "базовый"],
            ["999", "МАОУ СОШ № 5", "средний"],
        ],
    )
    assert any(r == 2 and "Код «700002» — это" in m for r, _c, m in messages(parsed))
    assert [r["school_id"] for r in parsed.records] == [1]  # an unknown code, the name decides


def test_no_header_row_at_all():
    parsed = parse(importing.SELF_DIAGNOSIS, [["a", "b"], ["1", "2"]])
    assert "Не найдена строка заголовков" in parsed.problems[0]["message"]


# --- risk profile ----------------------------------------------------------------------------------


def test_risk_profile_wide_with_words_and_digits():
    parsed = parse(
        importing.RISK_PROFILE,
        [
            ["Рисковый профиль школ"],
            [
                "Код",
                "ОО",
                "Дефицит педагогических кадров",
                "Низкая учебная мотивация обучающихся",
                "ОВЗ",
                "Примечание",
            ],
            ["700001", "", "Высокий", "2", "", "—"],
            ["700002", "", "3", "низкий риск", "1", ""],
            ["700003", "", "4", "высокий", "средний", ""],
        ],
    )
    assert parsed.layout == "wide"
    assert parsed.ignored == ["Примечание"]
    levels = {(r["school_id"], r["factor"]): r["level"] for r in parsed.records}
    assert levels == {
        (1, "staff_shortage"): "high",
        (1, "motivation"): "medium",
        (2, "staff_shortage"): "high",
        (2, "motivation"): "low",
        (2, "special_needs"): "low",
    }
    ((row, column, message),) = messages(parsed)
    assert (row, column) == (5, "Дефицит педагогических кадров")
    assert message == "Уровень риска — «низкий», «средний» или «высокий» (или 1, 2, 3), а не «4»."


def test_risk_profile_long_with_merged_school_cells():
    parsed = parse(
        importing.RISK_PROFILE,
        [
            ["Школа", "Фактор риска", "Уровень риска"],
            ["МАОУ СОШ № 5", "Дефицит кадров", "высокий"],
            [None, "Вовлечённость родителей", "средний"],
            ["МБОУ «Чердатская СОШ»", "Оснащённость", "в"],
            ["МБОУ «Чердатская СОШ»", "оснащенность", "н"],
            ["МБОУ «Чердатская СОШ»", "Погода", "высокий"],
        ],
        merges=["A2:A3"],
    )
    assert parsed.layout == "long"
    assert [(r["school_id"], r["factor"], r["level"]) for r in parsed.records] == [
        (1, "staff_shortage", "high"),
        (1, "parents", "medium"),
        (2, "material_base", "high"),
    ]
    found = messages(parsed)
    assert any(r == 5 and "уже есть в строке 4" in m for r, _c, m in found)
    assert any(r == 6 and "Неизвестный фактор риска «Погода»" in m for r, _c, m in found)


def test_risk_profile_wide_repeated_school():
    parsed = parse(
        importing.RISK_PROFILE,
        [["Школа", "Дефицит кадров"], ["МАОУ СОШ № 5", "высокий"], ["МАОУ СОШ № 5", "низкий"]],
    )
    assert any(r == 3 and "уже есть в строке 2" in m for r, _c, m in messages(parsed))


# --- assessment results -------------------------------------------------------------------------


def test_assessment_results_with_text_numbers_percent_cells_and_flags():
    parsed = parse(
        importing.ASSESSMENTS_KIND,
        [
            ["Результаты ВПР и ГИА"],
            [
                "Школа",
                "Процедура",
                "Учебный предмет",
                "Класс",
                "Количество участников, чел.",
                "Доля обучающихся, получивших «2», %",
                "Средний балл",
                "Признаки необъективности",
            ],
            [None, None, None, None, None, None, None, None],
            ["МАОУ СОШ № 5", "ВПР", "Математика", "5 класс", "42", "23,8 %", "3,1", "да"],
            ["МАОУ СОШ № 5", "впр", "Русский язык", 5, 40, 0.125, "—", ""],
            ["МАОУ СОШ № 5", "ГИА-9", "Математика", "", "30", "", "3.4", "нет"],
            ["МАОУ СОШ № 5", "ЕГЭ", "Физика", "", "12", "8", "54", "-"],
            ["Итого по региону", "", "", "", "124", "", "", ""],
        ],
        percent=["F5"],
    )
    assert parsed.problems == []
    rows = [
        (
            r["kind"],
            r["subject"],
            r["grade"],
            r["participants"],
            r["lowest_share"],
            r["mean_score"],
            r["doubtful"],
        )
        for r in parsed.records
    ]
    assert rows == [
        ("vpr", "Математика", 5, 42, "23.8", "3.10", True),
        ("vpr", "Русский язык", 5, 40, "12.5", None, False),
        ("oge", "Математика", 9, 30, None, "3.40", False),
        ("ege", "Физика", 11, 12, "8.0", "54.00", False),
    ]
    assert any("итоговая" in w for w in parsed.warnings)


def test_assessment_problems():
    parsed = parse(
        importing.ASSESSMENTS_KIND,
        [
            [
                "Школа",
                "Процедура",
                "Предмет",
                "Класс",
                "Участников",
                "Доля 2",
                "Средний балл",
                "Необъективность",
            ],
            ["МАОУ СОШ № 5", "ВПР", "Математика", "", "42", "", "", ""],
            ["МАОУ СОШ № 5", "НИКО", "Математика", "5", "4,5", "120", "", "может быть"],
            ["МАОУ СОШ № 5", "ВПР", "История", "13", "10", "", "", ""],
            ["МАОУ СОШ № 5", "ОГЭ", "Химия", "", "10", "", "", ""],
            ["МАОУ СОШ № 5", "ОГЭ", "химия", "9", "11", "", "", ""],
        ],
    )
    found = messages(parsed)
    assert (2, "Класс", "Для ВПР укажите класс (4–11).") in found
    row3 = {c: m for r, c, m in found if r == 3}
    assert row3["Процедура"] == "Процедура — «ВПР», «ОГЭ» или «ЕГЭ», а не «НИКО»."
    assert "целое" in row3["Участников"]
    assert "от 0 до 100" in row3["Доля 2"]
    assert "«может быть»" in row3["Необъективность"]
    assert (4, "Класс", "Класс — число от 1 до 11, а не «13».") in found
    assert any(r == 6 and "уже есть в строке 5" in m for r, _c, m in found)


def test_assessments_without_the_required_columns():
    parsed = parse(importing.ASSESSMENTS_KIND, [["Школа", "Предмет"], ["МАОУ СОШ № 5", "Математика"]])
    assert "«Процедура», «Участников»" in parsed.problems[0]["message"]


# --- files -----------------------------------------------------------------------------------------


def test_an_empty_file_and_a_file_that_is_not_a_spreadsheet_are_refused_in_russian():
    with pytest.raises(TableError, match="Файл пустой"):
        sheets.read_grid("пусто.xlsx", b"")
    with pytest.raises(TableError, match="не похоже на"):
        sheets.read_grid("таблица.xlsx", "Школа;Уровень\n".encode())
    with pytest.raises(TableError, match="по содержимому это PDF"):
        sheets.read_grid("таблица.xlsx", b"%PDF-1.4 not a workbook %%EOF")
    with pytest.raises(TableError, match="Файлы «письмо.docx» не принимаются"):
        sheets.read_grid("письмо.docx", b"PK\x03\x04 whatever")
    with pytest.raises(TableError, match="Файлы «старый.xls» не принимаются: загрузите таблицу XLSX"):
        sheets.read_grid("старый.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(TableError, match="нет ни одной строки"):
        sheets.read_grid("пустая.xlsx", xlsx([]))


def test_a_broken_workbook_is_refused_without_a_python_error():
    data = bytearray(xlsx([["Школа", "Уровень"], ["МАОУ СОШ № 5", "базовый"]]))
    middle = len(data) // 2
    data[middle : middle + 200] = b"\x00" * 200
    with pytest.raises(TableError) as refused:
        sheets.read_grid("битый.xlsx", bytes(data))
    text = " ".join(refused.value.messages)
    assert "повреждён" in text or "не читается" in text or "не похоже" in text
    assert "Error" not in text


def test_csv_in_cp1251_with_semicolons():
    text = "Школа;Уровень;Знание\nМАОУ СОШ № 5;средний;12,5\n".encode("cp1251")
    grid = sheets.read_grid("самодиагностика.csv", text)
    parsed = importing.parse(importing.SELF_DIAGNOSIS, grid, SCHOOLS)
    assert parsed.problems == [] and parsed.records[0]["scores"] == {"knowledge": ["12.5", None]}


@pytest.mark.parametrize(
    "text, value",
    [("12,5", "12.5"), (" 1\u00a0234 ", "1234"), ("23,8 %", "23.8"), ("—", None), ("", None), ("н/д", None)],
)
def test_numbers_written_as_text(text, value):
    number = sheets.parse_number(text)
    assert (str(number) if number is not None else None) == value


def test_templates_read_back_without_problems():
    for kind in importing.KINDS:
        grid = sheets.read_grid("шаблон.xlsx", importing.template_xlsx(kind, []))
        parsed = importing.parse(kind, grid, [SchoolRef(9, "700001", ("МАОУ СОШ № 5",), "МАОУ СОШ № 5")])
        assert parsed.problems == [], (kind, parsed.problems)
        assert parsed.records and parsed.ignored == [], kind


def test_a_grid_from_the_session_parses_the_same():
    grid = Grid(name="x.xlsx", rows=[["Школа", "Уровень"], ["МАОУ СОШ № 5", "высокий"]])
    assert importing.parse(importing.SELF_DIAGNOSIS, grid, SCHOOLS).records[0]["level"] == "full"


def test_a_year_column_must_agree_with_the_year_being_loaded():
    grid = sheets.read_grid(
        "файл.xlsx",
        xlsx(
            [
                ["Школа", "Год", "Уровень"],
                ["МАОУ СОШ № 5", "2024/2025", "базовый"],
                ["МБОУ «Чердатская СОШ»", 2023, "средний"],
            ]
        ),
    )
    parsed = importing.parse(importing.SELF_DIAGNOSIS, grid, SCHOOLS, year=2025)
    ((row, column, message),) = messages(parsed)
    assert (row, column) == (3, "Год") and "год «2023», а загружается 2025 год" in message
    assert [r["school_id"] for r in parsed.records] == [1]
    assert importing.parse(importing.SELF_DIAGNOSIS, grid, SCHOOLS).problems == []  # no year: no check


def test_vpr_below_the_fourth_grade_and_shares_written_as_fractions():
    header = ["Школа", "Процедура", "Предмет", "Класс", "Участников", "Доля «2», %"]
    parsed = parse(
        importing.ASSESSMENTS_KIND,
        [
            header,
            ["МАОУ СОШ № 5", "ВПР", "Математика", "3", "10", "0,2"],
            ["МАОУ СОШ № 5", "ВПР", "Математика", "5", "10", "0,2"],
            ["МАОУ СОШ № 5", "ВПР", "Русский язык", "5", "10", "0,1"],
            ["МАОУ СОШ № 5", "ВПР", "История", "5", "10", "0"],
        ],
    )
    assert messages(parsed) == [(2, "Класс", "ВПР пишут с 4 по 11 класс, а не в 3.")]
    assert any("умножьте их на 100" in w for w in parsed.warnings)


def test_a_picked_school_resolves_every_row_of_that_name_and_nothing_else():
    grid = Grid(
        name="x.xlsx",
        rows=[
            ["Школа", "Код", "Уровень"],
            ["МБОУ СОШ № 1", "", "базовый"],
            ["Школа № 5 им. Героя", "", "средний"],
            ["МБОУ СОШ № 1", "700002", "средний"],  # a code naming another school still wins
        ],
    )
    parsed = importing.parse(importing.SELF_DIAGNOSIS, grid, SCHOOLS)
    assert [u["name"] for u in parsed.unmatched.values()] == ["МБОУ СОШ № 1", "Школа № 5 им. Героя"]
    first = parsed.unmatched[next(iter(parsed.unmatched))]
    assert [s["id"] for s in first["suggestions"]] == [3, 4]  # the two schools of that name
    parsed = importing.parse(
        importing.SELF_DIAGNOSIS, grid, SCHOOLS, choices={"мбоу сош № 1": 4, "Школа № 5 им. Героя": 99}
    )
    assert [r["school_id"] for r in parsed.records] == [4, 2]
    assert [p["row"] for p in parsed.problems] == [3]  # 99 is no school of the region
