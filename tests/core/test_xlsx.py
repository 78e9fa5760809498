"""The one XLSX writer: text stays text, numbers and dates stay typed, the layout holds, rows
stream. Pure: no database."""

import ast
import datetime as dt
import io
import itertools
import tempfile
import tracemalloc
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
from django.utils.translation import gettext_lazy

from core.xlsx import MAX_CELL_CHARS, Section, Sheet, split_sheets, write_xlsx, xlsx_bytes

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def read(sheets: list[Sheet]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets)))


def body(ws) -> list[list]:
    """The cells under the header row of a sheet without heading lines."""
    return [list(r) for r in ws.iter_rows(min_row=2)]


def test_it_writes_formula_looking_text_as_the_same_text_never_a_formula():
    ws = read([Sheet("Лист", [("Текст", 30)], rows=[[t] for t in HOSTILE])]).active
    cells = [r[0] for r in body(ws)]
    assert [c.value for c in cells] == HOSTILE
    for c in cells:
        assert c.data_type == "s" and c.data_type != "f"
        assert c.quotePrefix  # Excel keeps it text even when the cell is edited


def test_it_neutralises_hostile_text_in_headers_headings_sections_and_sheet_titles():
    wb = read(
        [
            Sheet(
                HOSTILE[0],
                [(HOSTILE[2], 20), (HOSTILE[3], 20)],
                heading=[HOSTILE[1], HOSTILE[4]],
                rows=[Section(HOSTILE[5]), [HOSTILE[6], 1]],
            )
        ]
    )
    ws = wb.worksheets[0]
    values = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert {c.value for c in values} >= set(HOSTILE[1:])
    assert all(c.data_type != "f" for c in values)
    assert all(c.quotePrefix for c in values if isinstance(c.value, str))
    assert ws.title == '=HYPERLINK("http   x","y")'  # «/» and «:» are not allowed in sheet names


def test_it_leaves_ordinary_text_without_the_quote_style():
    ws = read([Sheet("Лист", [("Текст", 30)], rows=[["Проведено 17 экспертиз"], ["1."], ["— нет —"]])]).active
    assert [(c.value, c.quotePrefix) for c in (r[0] for r in body(ws))] == [
        ("Проведено 17 экспертиз", False),
        ("1.", False),
        ("— нет —", False),
    ]


def test_it_writes_numbers_as_numbers():
    ws = read([Sheet("Лист", [("a", 8)] * 4, rows=[[17, Decimal("12.50"), 33.3, True]])]).active
    cells = body(ws)[0]
    assert [c.value for c in cells] == [17, 12.5, 33.3, True]
    assert [c.data_type for c in cells] == ["n", "n", "n", "b"]


def test_it_writes_dates_as_excel_dates_in_russian_format():
    tomsk = ZoneInfo("Asia/Tomsk")
    row = [
        dt.date(2023, 4, 30),
        dt.datetime(2023, 4, 30, 18, 5),
        dt.datetime(2023, 4, 30, 18, 5, tzinfo=tomsk),
    ]
    cells = body(read([Sheet("Лист", [("a", 12)] * 3, rows=[row])]).active)[0]
    assert all(c.is_date for c in cells)
    assert [c.number_format for c in cells] == ["DD.MM.YYYY", "DD.MM.YYYY HH:MM", "DD.MM.YYYY HH:MM"]
    # Excel has no time zones: the region's wall-clock time is what the reader sees.
    assert cells[2].value == dt.datetime(2023, 4, 30, 18, 5)


def test_it_writes_lazy_translations_and_other_objects_as_text():
    cells = body(
        read([Sheet("Лист", [("a", 12)] * 2, rows=[[gettext_lazy("черновик"), dt.time(9, 30)]])]).active
    )[0]
    assert [c.value for c in cells] == ["черновик", "09:30:00"]


def test_it_drops_characters_xml_cannot_carry_instead_of_failing():
    cells = body(read([Sheet("Лист", [("a", 12)], rows=[["Отчёт\x0bза\x00 квартал\n(итог)"]])]).active)[0]
    assert cells[0].value == "Отчётза квартал\n(итог)"


def test_it_cuts_text_longer_than_a_cell_can_hold():
    cells = body(read([Sheet("Лист", [("a", 12)], rows=[["я" * (MAX_CELL_CHARS + 10)]])]).active)[0]
    assert len(cells[0].value) == MAX_CELL_CHARS and cells[0].value.endswith("…")


def test_it_lays_out_heading_header_widths_frozen_panes_filter_and_sections():
    ws = read(
        [
            Sheet(
                "Дорожная карта",
                [("№ п/п", 8), ("Мероприятие", 60), ("Сроки", 22)],
                heading=["Дорожная карта", "Департамент общего образования"],
                rows=[Section("1. Организационная деятельность"), ["1.", "Совещание", "Март 2023г."]],
            )
        ]
    ).active
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "Дорожная карта" and values[1][0] == "Департамент общего образования"
    assert values[2] == (None, None, None)
    assert values[3] == ("№ п/п", "Мероприятие", "Сроки")
    assert values[4][0] == "1. Организационная деятельность"
    assert values[5] == ("1.", "Совещание", "Март 2023г.")
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:C1", "A2:C2", "A5:C5"}
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:C6"
    assert ws.column_dimensions["B"].width == 60
    assert ws["A4"].font.b and ws["A1"].font.b and not ws["A2"].font.b
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape"


def test_it_writes_every_sheet_in_order_and_a_valid_file_with_none():
    wb = read([Sheet("Итоги", [("a", 5)]), Sheet("Разделы", [("a", 5)], rows=[[1]])])
    assert wb.sheetnames == ["Итоги", "Разделы"]
    assert read([]).sheetnames == ["Лист"]


def _peak_memory(rows: int) -> int:
    lines = (
        [n, f"Мероприятие {n}: совещание с руководителями ШНОР", "=1+1", dt.date(2023, 3, 1)]
        for n in range(rows)
    )
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        try:
            write_xlsx(
                [Sheet("Лист", [("№", 6), ("Мероприятие", 60), ("c", 8), ("Срок", 12)], rows=lines)], out
            )
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_it_streams_rows_so_memory_does_not_grow_with_the_sheet():
    small, large = _peak_memory(300), _peak_memory(6000)
    assert large < small * 1.5  # twenty times the rows, about the same memory


def test_core_imports_nothing_from_the_apps():
    apps = {"schools", "roadmaps", "monitoring", "questionnaires", "reporting", "config"}
    core = Path(__file__).resolve().parents[2] / "core"
    for path in core.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not [n for n in names if n.split(".")[0] in apps], f"{path.name} imports an app"


# --- bulk sheets: the body written as text reads back as openpyxl's own cells ----------------------


HOSTILE_ROWS = [
    [1, "текст", None, 2.5, dt.datetime(2026, 1, 2, 3, 4), "#N/A", "+7", True, False],
    [
        "a & b < c > d",
        "  пробелы по краям  ",
        "строка\r\nвторая",
        "\x01управляющий\x0bсимвол",
        "",
        0,
        -3,
        None,
        None,
    ],
    ['=HYPERLINK("http://x")', "-5", "@SUM(A1)", "\tтаб", "#DIV/0!", Decimal("12.50"), 10**20, None, None],
    [
        dt.date(2026, 3, 1),
        dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
        float("nan"),
        float("inf"),
        "я" * 40_000,
        None,
        None,
        None,
        "последний",
    ],
    [
        gettext_lazy("Исполнено"),
        Decimal("NaN"),
        "«кавычки» и 'апостроф'",
        "x" * 10,
        None,
        None,
        None,
        None,
        None,
    ],
]


def _cells(content: bytes, read_only: bool = False) -> list[list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=read_only)
    return [
        [
            (c.value, c.data_type, c.number_format, bool(getattr(c, "quotePrefix", False)))
            for c in row
            if c.value is not None
        ]
        for sheet in book.worksheets
        for row in sheet.iter_rows()
    ]


def test_a_bulk_body_reads_back_exactly_as_openpyxl_writes_it_cell_by_cell():
    columns = [(f"Столбец {n}", 10) for n in range(9)]
    bulk = xlsx_bytes([Sheet("Массово", columns, rows=HOSTILE_ROWS, heading=["Заголовок"], bulk=True)])
    plain = xlsx_bytes([Sheet("Массово", columns, rows=HOSTILE_ROWS, heading=["Заголовок"])])
    assert _cells(bulk) == _cells(plain)
    assert _cells(bulk, read_only=True) == _cells(plain, read_only=True)
    sheet = openpyxl.load_workbook(io.BytesIO(bulk)).active
    assert sheet.auto_filter.ref == "A3:I8" and sheet.freeze_panes == "A4"
    assert sheet["A5"].value == "a & b < c > d" and sheet["B5"].value == "  пробелы по краям  "
    assert sheet["A6"].quotePrefix and sheet["A6"].data_type == "s"  # a formula stays text


def test_bulk_sheets_sit_beside_ordinary_ones_in_one_book():
    rows = ([n, f"строка {n}", dt.date(2026, 1, 1 + n % 28)] for n in range(2_500))
    sheets = itertools.chain(  # lazy, as the national export passes them: rows are read while written
        [Sheet("Сводка", [("Что", 10)], rows=[["итог"]])],
        split_sheets("Все", [("№", 5), ("Текст", 20), ("Срок", 12)], rows, per_sheet=1_000),
        [Sheet("После", [("Что", 10)], rows=[["конец"]])],
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert book.sheetnames == ["Сводка", "Все", "Все (2)", "Все (3)", "После"]
    assert [book[name].max_row for name in book.sheetnames] == [2, 1_001, 1_001, 501, 2]
    assert book["Все (3)"]["A501"].value == 2_499 and book["Все (3)"]["C501"].is_date
    assert book["После"]["A2"].value == "конец"
