"""From table rows to sections and items (pure; no database)."""

import io
import zipfile

import docx
import openpyxl
import pytest

from roadmaps.importing.structure import guess_period, parse_act, parse_tables
from roadmaps.importing.tables import ReadError, Row, Table, read_tables

HEADER = ["№ п/п", "Мероприятие", "Сроки реализации", "Показатель реализации", "Результат", "Исполнители"]


def table(*rows, preamble=()):
    out = []
    for n, r in enumerate(rows, start=1):
        if isinstance(r, str):
            out.append(Row(cells=[r, "", "", "", "", ""], merged=True, source_row=n))
        else:
            out.append(Row(cells=list(r), source_row=n))
    return Table(rows=out, preamble=list(preamble))


def items(parsed):
    return [(i.number, i.text) for s in parsed.sections for i in s.items]


def test_it_finds_the_header_below_title_rows_and_maps_columns_by_meaning():
    parsed = parse_tables(
        [
            table(
                ["Приложение 1", "", "", "", "", ""],
                ["План мероприятий", "", "", "", "", ""],
                [
                    "№",
                    "Наименование мероприятия",
                    "Срок исполнения",
                    "Ожидаемый результат",
                    "Ответственные исполнители",
                ],
                ["1.", "Вебинар", "Март 2023", "Письмо", "ТОИПКРО"],
            )
        ]
    )
    assert items(parsed) == [("1.", "Вебинар")]
    item = parsed.sections[0].items[0]
    assert (item.schedule, item.result, item.executors, item.indicator) == (
        "Март 2023",
        "Письмо",
        "ТОИПКРО",
        "",
    )
    assert set(parsed.columns) == {"number", "text", "schedule", "result", "executors"}


def test_it_reads_columns_in_another_order():
    parsed = parse_tables(
        [
            table(
                ["№п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"],
                ["1.", "Анализ", "Апрель 2020", "ЦЭ, ТОИПКРО", "Перечень"],
            )
        ]
    )
    item = parsed.sections[0].items[0]
    assert (item.executors, item.result) == ("ЦЭ, ТОИПКРО", "Перечень")


def test_it_takes_merged_rows_as_sections():
    parsed = parse_tables(
        [
            table(
                HEADER,
                "Организационная деятельность",
                ["1.", "А", "Март 2023г.", "", "", "ТОИПКРО"],
                "Методическое сопровождение",
                ["2.", "Б", "Май 2023г.", "", "", "ТОИПКРО"],
            )
        ]
    )
    assert [(s.title, [i.number for i in s.items]) for s in parsed.sections] == [
        ("Организационная деятельность", ["1."]),
        ("Методическое сопровождение", ["2."]),
    ]


def test_it_joins_a_row_split_at_a_page_break_back_to_its_item():
    parsed = parse_tables(
        [
            table(
                HEADER,
                [
                    "13.",
                    "Информационное сопровождение",
                    "Ежемесячно",
                    "не менее 2 новостей",
                    "Ссылка, раздел",
                    "МОУО",
                ],
                ["", "", "", "", "ШНОР на официальном сайте ТОИПКРО", ""],
                ["14.", "Создание разделов", "В течение года", "", "Ссылки", "МОУО"],
            )
        ]
    )
    first = parsed.sections[0].items[0]
    assert first.result == "Ссылка, раздел ШНОР на официальном сайте ТОИПКРО"
    assert len(parsed.sections[0].items) == 2
    assert any("присоединена к п. 13" in w.message for w in parsed.warnings)


def test_it_attaches_sub_items_numbered_in_the_text_or_in_the_number_cell():
    parsed = parse_tables(
        [
            table(
                ["№п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"],
                ["3.", "Сбор контекстных данных:", "Май-август 2020", "", "Справки"],
                ["", "3.1. Анализ факторов", "", "ЦЭ, ТОИПКРО", ""],
                ["", "3.2. Кадровое обеспечение", "", "ТОИПКРО", ""],
                ["13.", "Использование результатов:", "Октябрь 2020", "ЦЭ", "Списки"],
                ["11.1.", "Формирование списка", "", "ЦЭ", ""],
            )
        ]
    )
    third, thirteenth = parsed.sections[0].items
    assert [(c.number, c.text) for c in third.children] == [
        ("3.1.", "Анализ факторов"),
        ("3.2.", "Кадровое обеспечение"),
    ]
    # The source's own inconsistent numbering is kept as written.
    assert [c.number for c in thirteenth.children] == ["11.1."]


def test_it_keeps_an_amendment_note_out_of_the_items():
    parsed = parse_tables(
        [
            table(
                ["№п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"],
                ["8.", "А", "Сентябрь 2020", "ТОИПКРО", "Б"],
                "приказом управления образования от 18.02.2021 №362 дополнены п.п.9, 10",
                ["9.", "В", "Март-апрель 2021", "ТОИПКРО", "Г"],
            )
        ]
    )
    assert parsed.notes == ["приказом управления образования от 18.02.2021 №362 дополнены п.п.9, 10"]
    assert items(parsed) == [("8.", "А"), ("9.", "В")]


def test_it_skips_a_row_of_column_numbers():
    parsed = parse_tables(
        [table(HEADER, ["1", "2", "3", "4", "5", "6"], ["1.", "А", "Март 2023г.", "", "", "ТОИПКРО"])]
    )
    assert items(parsed) == [("1.", "А")]


def test_it_chooses_the_plan_table_over_a_signature_table():
    signatures = Table(rows=[Row(["Согласовано", "Утверждаю"]), Row(["Иванов", "Петров"])])
    parsed = parse_tables([signatures, table(HEADER, ["1.", "А", "Март 2023г.", "", "", "ТОИПКРО"])])
    assert items(parsed) == [("1.", "А")]


def test_it_refuses_a_table_without_a_header():
    with pytest.raises(ReadError, match="Не найдена таблица дорожной карты"):
        parse_tables([Table(rows=[Row(["Иванов", "Петров"])])])


def test_it_refuses_a_header_with_no_numbered_items():
    with pytest.raises(ReadError, match="нет ни одного пронумерованного"):
        parse_tables([table(HEADER, "Раздел без пунктов")])


def test_it_reads_title_period_and_approving_act_from_the_lines_above():
    parsed = parse_tables(
        [
            table(
                HEADER,
                ["1.", "А", "Март 2023г.", "", "", "ТОИПКРО"],
                preamble=[
                    "Приложение 1 к распоряжению Департамента общего образования Томской области от 13.03.2023 № 352-р",
                    "«Дорожная карта» по реализации региональной программы … на 2023 год",
                ],
            )
        ]
    )
    assert parsed.title.startswith("«Дорожная карта»")
    assert parsed.period == ("2023-01-01", "2023-12-31")
    assert parsed.act == {
        "kind": "распоряжение",
        "number": "352-р",
        "date": "2023-03-13",
        "issuer": "Департамент общего образования Томской области",
    }


@pytest.mark.parametrize(
    "text, period",
    [
        ("на 2020-2023 г.г.", ("2020-01-01", "2023-12-31")),
        ("проекта на 2022-2024 гг.", ("2022-01-01", "2024-12-31")),
        ("г. Томска на 2020 – 2021 учебный год", ("2020-09-01", "2021-08-31")),
        ("без дат", None),
    ],
)
def test_it_guesses_the_period_from_the_title(text, period):
    assert guess_period(text) == period


def test_it_reads_an_act_without_the_word_ot():
    act = parse_act("Приложение к приказу управления образования и науки области 20.05.2020 № 1104")
    assert act == {
        "kind": "приказ",
        "number": "1104",
        "date": "2020-05-20",
        "issuer": "управление образования и науки области",
    }


@pytest.mark.parametrize(
    "line, act",
    [
        pytest.param(
            "Приложение 2 к приказу министерства образования и науки Тамбовской области "
            "от 13 ноября 2015 г. N 5976",
            ("приказ", "5976", "2015-11-13", "министерство образования и науки Тамбовской области"),
            id="latin-n-and-date-in-words",
        ),
        pytest.param(
            "Утверждена распоряжением Департамента общего образования от «13» ноября 2015 года No 5976-р",
            ("распоряжение", "5976-р", "2015-11-13", "Департамент общего образования"),
            id="no-and-quoted-day",
        ),
        pytest.param(
            "к постановлению администрации Зырянского района от 01 февраля 2023 г. №5",
            ("постановление", "5", "2023-02-01", "администрация Зырянского района"),
            id="number-sign-without-space",
        ),
        pytest.param(
            "к приказу Управления образования от 10.01.2024 No. 12/1",
            ("приказ", "12/1", "2024-01-10", "Управление образования"),
            id="no-with-a-dot",
        ),
    ],
)
def test_it_reads_act_number_and_date_variants(line, act):
    found = parse_act(line)
    assert found is not None
    assert (found["kind"], found["number"], found["date"], found["issuer"]) == act


def test_a_latin_n_inside_a_word_is_not_a_number_sign():
    assert parse_act("приказ ОГБУ NORD от 13.03.2023") is None


def test_it_finds_the_act_in_an_appendix_split_over_rows_above_the_header():
    parsed = parse_tables(
        [
            table(
                "Приложение 2",
                "к приказу министерства образования и науки Тамбовской области",
                "от 13 ноября 2015 г. N 5976",
                "План мероприятий («дорожная карта») на 2016-2018 годы",
                HEADER,
                ["1.", "А", "Март 2016", "", "", "МОУО"],
            )
        ]
    )
    assert parsed.title == "План мероприятий («дорожная карта») на 2016-2018 годы"
    assert parsed.period == ("2016-01-01", "2018-12-31")
    assert parsed.act["number"] == "5976"
    assert parsed.act["date"] == "2015-11-13"


# --- Reading files ---------------------------------------------------------------------------


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_reads_merged_cells_and_title_paragraphs_from_docx():
    def build(d):
        d.add_paragraph("План мероприятий на 2023 год")
        t = d.add_table(rows=3, cols=3)
        for c, v in zip(t.rows[0].cells, ["№", "Мероприятие", "Сроки"], strict=True):
            c.text = v
        t.rows[1].cells[0].merge(t.rows[1].cells[2]).text = "Раздел"
        for c, v in zip(t.rows[2].cells, ["1.", "Вебинар", "Март\n2023"], strict=True):
            c.text = v

    [tbl] = read_tables(docx_bytes(build))
    assert tbl.preamble == ["План мероприятий на 2023 год"]
    assert [r.merged for r in tbl.rows] == [False, True, False]
    assert tbl.rows[2].cells == ["1.", "Вебинар", "Март\n2023"]


def test_it_reads_merged_title_rows_from_xlsx():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["№", "Мероприятие", "Сроки", "Исполнители"])
    ws.append(["Раздел"])
    ws.merge_cells("A2:D2")
    ws.append([1, "Вебинар", "Март 2023", "ТОИПКРО"])
    buffer = io.BytesIO()
    wb.save(buffer)
    [tbl] = read_tables(buffer.getvalue())
    assert [r.merged for r in tbl.rows] == [False, True, False]
    assert tbl.rows[2].cells[0] == "1"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Файл пустой"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "защищён паролем или сохранён в старом формате"),
        (b"MZ\x90\x00 this is an executable", "не похож на документ DOCX, XLSX или PDF"),
    ],
)
def test_it_explains_what_is_wrong_with_a_file(data, message):
    with pytest.raises(ReadError, match=message):
        read_tables(data)


def test_it_refuses_a_zip_that_is_not_an_office_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "привет")
    with pytest.raises(ReadError, match="не документ Word или Excel"):
        read_tables(buffer.getvalue())


def test_it_refuses_a_document_without_tables():
    with pytest.raises(ReadError, match="В документе нет таблицы"):
        read_tables(docx_bytes(lambda d: d.add_paragraph("Просто текст")))


def test_analysis_counts_relative_deadlines_from_the_act_found_in_the_document() -> None:
    import datetime as dt

    from roadmaps.importing.analysis import analyse

    item = {
        "key": "1", "number": "1.", "text": "Разработать положение", "row": 5,
        "schedule": "в двухнедельный срок после утверждения программы",
        "indicator": "", "result": "", "executors": "", "children": [],
    }  # fmt: skip
    parsed = {"title": "Программа", "sections": [{"title": "", "items": [item]}], "act": {}}
    period = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    without_act = analyse(parsed, period=period, aliases=[])
    assert without_act["sections"][0]["items"][0]["schedule"]["understood"] is False
    parsed["act"] = {"kind": "приказ", "number": "12", "date": "2024-02-01", "issuer": ""}
    with_act = analyse(parsed, period=period, aliases=[])
    assert with_act["sections"][0]["items"][0]["schedule"]["due_dates"] == ["2024-02-15"]


# --- Layouts ---------------------------------------------------------------------------------


def test_it_reads_numbering_that_restarts_in_every_section_and_numbers_with_brackets():
    parsed = parse_tables(
        [
            table(
                HEADER,
                "1. Организационные мероприятия",
                ["1)", "Приказ", "Январь 2024", "", "", "Директор"],
                ["2)", "Положение", "Февраль 2024", "", "", "Директор"],
                "2. Работа с педагогами",
                ["1.", "Семинар", "Март 2024", "", "", "Завуч"],
                ["1.1.", "Подготовка", "Март 2024", "", "", "Завуч"],
                ["2.", "Курсы", "Апрель 2024", "", "", "Завуч"],
            )
        ]
    )
    assert [s.title for s in parsed.sections] == ["1. Организационные мероприятия", "2. Работа с педагогами"]
    assert items(parsed) == [("1)", "Приказ"), ("2)", "Положение"), ("1.", "Семинар"), ("2.", "Курсы")]
    assert [c.number for c in parsed.sections[1].items[0].children] == ["1.1."]
    keys = [i.key for i in parsed.all_items()]
    assert len(keys) == len(set(keys)) == 5  # the same number in two sections is two items


def test_it_ignores_extra_columns_with_a_note():
    parsed = parse_tables(
        [
            table(
                [
                    "№",
                    "Мероприятие",
                    "Срок",
                    "Источник финансирования",
                    "Ответственный",
                    "Отметка о выполнении",
                ],
                ["1.", "Закупка", "Май 2024", "Местный бюджет", "Директор", "выполнено"],
            )
        ]
    )
    item = parsed.sections[0].items[0]
    assert (item.schedule, item.executors, item.result, item.indicator) == ("Май 2024", "Директор", "", "")
    messages = [w.message for w in parsed.warnings]
    assert any("«Источник финансирования» не переносится" in m for m in messages)
    assert any("«Отметка о выполнении» не переносится" in m for m in messages)


def test_it_reads_a_plan_printed_as_one_table_per_section():
    def build(document):
        document.add_paragraph("Антирисковая программа МБОУ «Школа № 7» на 2024 год")
        for title, rows in [
            ("Риск 1. Низкая учебная мотивация", [("1.", "Анкетирование", "Сентябрь 2024")]),
            (
                "Риск 2. Высокая доля обучающихся с ОВЗ",
                [("1.", "Консилиум", "Октябрь 2024"), ("2.", "Курсы", "Ноябрь 2024")],
            ),
        ]:
            document.add_paragraph(title)
            t = document.add_table(rows=1 + len(rows), cols=4)
            for col, text in enumerate(["№", "Мероприятие", "Сроки", "Ответственные"]):
                t.cell(0, col).text = text
            for r, (number, text, when) in enumerate(rows, start=1):
                for col, value in enumerate([number, text, when, "Директор"]):
                    t.cell(r, col).text = value
        document.add_paragraph("Директор ____________")

    parsed = parse_tables(read_tables(docx_bytes(build)))
    assert parsed.title == "Антирисковая программа МБОУ «Школа № 7» на 2024 год"
    assert parsed.period == ("2024-01-01", "2024-12-31")
    assert [(s.title, [i.text for i in s.items]) for s in parsed.sections] == [
        ("Риск 1. Низкая учебная мотивация", ["Анкетирование"]),
        ("Риск 2. Высокая доля обучающихся с ОВЗ", ["Консилиум", "Курсы"]),
    ]
