"""The one XLSX writer of the project: sheets of plain values in, an .xlsx file out.

Every export (roadmap appendix, questionnaire results, every report) describes its sheets with
:class:`Sheet` and calls :func:`xlsx_bytes` or :func:`write_xlsx`; nothing else in the project
creates an openpyxl workbook, so the rules below hold for every file we hand out:

- **User text is text, never a formula.** openpyxl turns any string starting with «=» into a live
  formula (``=HYPERLINK(…)`` in an answer, ``=cmd|…`` in a roadmap item). Every string is stored as
  a string cell (``data_type = "s"``), and one starting with ``= + - @``, a tab or a carriage
  return also gets the cell style ``quotePrefix`` — what Excel itself sets when a user types
  ``'=1``: the cell shows exactly the text written, and it stays text even when somebody opens the
  cell with F2 and presses Enter, or copies it into another workbook. We do not prepend an
  apostrophe or a space: that would change the visible text (and the value read back), and a
  stored string cell is not evaluated anyway — the style guards the edit. Characters XML cannot
  carry (control characters pasted from Word) are dropped instead of failing the export, and text
  longer than Excel's cell limit is cut with «…».
- **Numbers are numbers, dates are dates**: ``int``/``float``/``Decimal`` become numeric cells,
  ``date`` and ``datetime`` real Excel dates shown as ДД.ММ.ГГГГ (ДД.ММ.ГГГГ ЧЧ:ММ). Excel has no
  time zones: pass datetimes already in the region's time (``timezone.localtime(x, region.tzinfo)``),
  the wall-clock time is written as it is.
- **Bounded memory**: the workbook is write-only — rows (any iterable, a generator too) go to a
  temporary file as they come and are never held as cell objects, so a sheet of 100,000 rows
  costs no more memory than one of 1,000 (``bench/bench_xlsx.py``).
- **One layout**: optional heading lines above the table, a bold header row with column widths,
  the panes frozen below it, an auto-filter, full-width section rows (:class:`Section`), A4
  landscape printing fitted to the page width with the header repeated on every page.

Pure: no database, no request, nothing from the apps.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# What makes a spreadsheet program read a cell as a formula or command (OWASP «CSV injection»).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767  # Excel's limit; longer text makes Excel «repair» the file
# XML 1.0 cannot carry these; openpyxl raises IllegalCharacterError on them.
_ILLEGAL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_THIN = Side(style="thin", color="B9C3CF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E7EDF5")
_SECTION_FILL = PatternFill("solid", fgColor="F3F6FA")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


@dataclass(frozen=True)
class Section:
    """A row that spans the whole table in bold: a roadmap section, a group title."""

    title: Any


@dataclass
class Sheet:
    title: str
    columns: Sequence[tuple[Any, float]]  # (header, width in characters)
    rows: Iterable[Sequence[Any] | Section] = field(default_factory=list)
    heading: Sequence[Any] = field(default_factory=list)  # lines above the table, the first in bold


def write_xlsx(sheets: Iterable[Sheet], stream: IO[bytes]) -> None:
    """Write the workbook to a binary stream (a file, a ``BytesIO``, a storage file)."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(wb.create_sheet(title=safe_sheet_title(sheet.title)), sheet)
    if not wb.worksheets:
        _write_sheet(wb.create_sheet(title="Лист"), Sheet(title="Лист", columns=[("", 10)]))
    wb.save(stream)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


def safe_sheet_title(title: Any) -> str:
    """Excel refuses ``[]:*?/\\`` in sheet names and names longer than 31 characters."""
    title = _ILLEGAL_CHARS.sub("", str(title))
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    title = title.strip().strip("'")
    return title[:31] or "Лист"


def cell(ws: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    """One cell with the project's rules for user text, numbers and dates (see the module doc)."""
    c = WriteOnlyCell(ws)
    if value is None:
        pass
    elif isinstance(value, bool) or (isinstance(value, int | Decimal) and _finite(value)):
        c.value = value
    elif isinstance(value, float) and math.isfinite(value):
        c.value = value
    elif isinstance(value, dt.datetime):
        c.value = value.replace(tzinfo=None)
        c.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        c.value = value
        c.number_format = DATE_FORMAT
    else:
        text = safe_text(value)
        c.value = text
        c.data_type = "s"  # openpyxl would have made «=…» a formula
        if text.startswith(FORMULA_TRIGGERS):
            c.quotePrefix = True
    for name, setting in style.items():
        setattr(c, name, setting)
    return c


def safe_text(value: Any) -> str:
    """Any value as text a cell can hold: lazy translations resolved, XML-illegal characters
    dropped, Excel's length limit kept."""
    text = _ILLEGAL_CHARS.sub("", str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def _finite(value: int | Decimal) -> bool:
    return not isinstance(value, Decimal) or value.is_finite()


def _write_sheet(ws: WriteOnlyWorksheet, sheet: Sheet) -> None:
    ncols = max(1, len(sheet.columns))
    last_col = get_column_letter(ncols)
    heading = list(sheet.heading)
    header_row = len(heading) + 2 if heading else 1
    # A write-only sheet takes widths, panes and page properties before its first row.
    for col, (_name, width) in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"

    for n, line in enumerate(heading, start=1):
        first = n == 1
        ws.append([cell(ws, line, font=Font(bold=first, size=12 if first else 11), alignment=_WRAP_TOP)])
        if ncols > 1:
            ws.merged_cells.add(f"A{n}:{last_col}{n}")
    if heading:
        ws.append([])
    ws.append(
        [
            cell(ws, name, font=Font(bold=True), fill=_HEADER_FILL, border=_BORDER, alignment=_HEADER_ALIGN)
            for name, _width in sheet.columns
        ]
    )
    row = header_row
    for values in sheet.rows:
        row += 1
        if isinstance(values, Section):
            ws.append([cell(ws, values.title, font=Font(bold=True), fill=_SECTION_FILL, alignment=_WRAP_TOP)])
            if ncols > 1:
                ws.merged_cells.add(f"A{row}:{last_col}{row}")
            continue
        ws.append([cell(ws, value, alignment=_WRAP_TOP, border=_BORDER) for value in values])
    ws.auto_filter.ref = f"A{header_row}:{last_col}{row}"
