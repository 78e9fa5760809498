"""The one XLSX writer of the project: sheets of plain values in, an .xlsx file out.

Every export (roadmap appendix, questionnaire results, every report) describes its sheets with
:class:`Sheet` and calls :func:`xlsx_bytes` or :func:`write_xlsx`; nothing else in the project
creates an openpyxl workbook, so the rules below hold for every file we hand out:

- **User text is text, never a formula.** openpyxl turns any string starting with «=» into a live
  formula (``=HYPERLINK(…)`` in an answer, ``=cmd|…`` in a roadmap item). Every string is stored as
  a string cell (``data_type = "s"``), and one starting with ``= + - @``, a tab or a carriage
  return also gets the cell style ``quotePrefix`` — what Excel itself sets when a user types
  ``'=1``: the cell shows exactly the text written, and it stays text even when somebody opens the
  cell with F2 and presses Enter. We do not prepend an
  apostrophe or a space: that would change the visible text (and the value read back), and a
  stored string cell is not evaluated anyway — the style guards the edit. Characters XML cannot
  carry (control characters pasted from Word) are dropped instead of failing the export, and text
  longer than Excel's cell limit is cut with «…».
- **Numbers are numbers, dates are dates**: ``int``/``float``/``Decimal`` become numeric cells,
  ``date`` and ``datetime`` real Excel dates shown as ДД.ММ.ГГГГ (ДД.ММ.ГГГГ ЧЧ:ММ). Excel has no
  time zones: pass datetimes already in the region's time (``timezone.localtime(x, region.tzinfo)``),
  the wall-clock time is written as it is.
- **Bounded memory**: the workbook is write-only — rows (any iterable, a generator too) go to a
  temporary file as they come and are never held as cell objects, so a sheet of 20,000 rows
  costs no more memory than one of 1,000 (``bench/bench_xlsx.py``).
- **One layout**: optional heading lines above the table, a bold header row with column widths,
  the panes frozen below it, an auto-filter, full-width section rows (:class:`Section`), A4
  landscape printing fitted to the page width with the header repeated on every page.
- **Bulk sheets** (``Sheet(bulk=True)``, the national export's millions of rows, plain values
  only): body cells carry no border or wrapping, and the body is written as SpreadsheetML text
  by :class:`_BulkBody` — the markup openpyxl writes for such cells, without an object per cell,
  about ten times faster; openpyxl writes everything around it. The rules above still hold.
  :func:`split_sheets` continues a table on new sheets past Excel's 1,048,576 rows.

Pure: no database, no request, nothing from the apps.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# What makes a spreadsheet program read a cell as a formula or command (OWASP «CSV injection»).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767  # Excel's limit; longer text makes Excel «repair» the file
EXCEL_MAX_ROWS = 1_048_576  # rows of one sheet, the header row included
# Texts openpyxl would store as an error cell rather than a string.
_ERROR_TEXTS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
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
    bulk: bool = False  # body cells without border and wrapping: millions of rows (see above)


def split_sheets(
    title: str,
    columns: Sequence[tuple[Any, float]],
    rows: Iterable[Sequence[Any]],
    *,
    per_sheet: int = EXCEL_MAX_ROWS - 1,
    bulk: bool = True,
) -> Iterator[Sheet]:
    """One table over as many sheets as it needs: ``per_sheet`` rows under the header of each
    («Обязательства», «Обязательства (2)», …). Lazy: the rows are read once, while the sheets are
    written, so pass the generator straight to :func:`write_xlsx`."""
    it = iter(rows)
    number = 0
    while True:
        first = next(it, None)
        if first is None and number:
            return
        number += 1
        body = itertools.chain([first], itertools.islice(it, per_sheet - 1)) if first is not None else []
        name = title if number == 1 else f"{title[:25]} ({number})"
        yield Sheet(title=name, columns=columns, rows=body, bulk=bulk)
        if first is None:
            return


def write_xlsx(sheets: Iterable[Sheet], stream: IO[bytes]) -> None:
    """Write the workbook to a binary stream (a file, a ``BytesIO``, a storage file)."""
    wb = Workbook(write_only=True)
    styles = _Styles()
    for sheet in sheets:
        _write_sheet(wb.create_sheet(title=safe_sheet_title(sheet.title)), sheet, styles)
    if not wb.worksheets:
        _write_sheet(wb.create_sheet(title=_("Лист")), Sheet(title=_("Лист"), columns=[("", 10)]), styles)
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
    return title[:31] or _("Лист")


def cell_value(value: Any) -> tuple[Any, str | None]:
    """A value as a cell holds it, with the number format it needs: numbers and dates typed,
    everything else (lazy translations included) as safe text (see :func:`safe_text`)."""
    if value is None or isinstance(value, bool):
        return value, None
    if isinstance(value, int) or (isinstance(value, Decimal | float) and _finite(value)):
        return value, None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None), DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    return safe_text(value), None


def safe_text(value: Any) -> str:
    """Any value as text a cell can hold: lazy translations resolved, XML-illegal characters
    dropped, Excel's length limit kept."""
    text = _ILLEGAL_CHARS.sub("", str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def _finite(value: Decimal | float) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


class _Styles:
    """Cell styles of one workbook, resolved once each: openpyxl hashes every style object it is
    given, which costs more than the rest of writing a cell; a resolved style is a small array
    of ids we copy onto each cell."""

    LOOK: dict[str, dict[str, Any]] = {
        "heading": {"font": Font(bold=True, size=12), "alignment": _WRAP_TOP},
        "subheading": {"font": Font(size=11), "alignment": _WRAP_TOP},
        "header": {
            "font": Font(bold=True),
            "fill": _HEADER_FILL,
            "border": _BORDER,
            "alignment": _HEADER_ALIGN,
        },
        "section": {"font": Font(bold=True), "fill": _SECTION_FILL, "alignment": _WRAP_TOP},
        "body": {"border": _BORDER, "alignment": _WRAP_TOP},
        "bulk": {},
    }

    def __init__(self) -> None:
        self._resolved: dict[tuple, StyleArray] = {}

    def cell(self, ws: WriteOnlyWorksheet, value: Any, look: str) -> WriteOnlyCell:
        value, number_format = cell_value(value)
        c = WriteOnlyCell(ws, value=value)
        quote = False
        if isinstance(value, str):
            c.data_type = "s"  # openpyxl has just made «=…» a formula
            quote = value.startswith(FORMULA_TRIGGERS)
        key = (look, number_format, quote)
        resolved = self._resolved.get(key)
        if resolved is None:
            for name, setting in self.LOOK[look].items():
                setattr(c, name, setting)
            if number_format:
                c.number_format = number_format
            c.quotePrefix = quote
            resolved = self._resolved[key] = copy(c._style)
        else:
            c._style = copy(resolved)
        return c

    def style_id(self, ws: WriteOnlyWorksheet, value: Any, look: str) -> int:
        """The workbook's style number of a ``look`` cell holding such a value (registers it)."""
        return self.cell(ws, value, look).style_id


class _BulkBody:
    """The body of a bulk sheet written as SpreadsheetML text, row by row, into a file of its own.

    openpyxl builds an element object per cell and serializes it (about 10 µs a cell; two million
    rows × 11 columns took three minutes). Here a row is one string made of the same markup
    openpyxl writes for such cells — inline strings, numbers, dates as serial numbers with their
    style, formula-like text as a string with ``quotePrefix`` — so the file reads back exactly as
    one written cell by cell (``tests/core/test_xlsx_bulk.py`` compares them). :func:`_splice`
    then puts the rows in place of a one-cell stand-in row that openpyxl wrote.
    """

    def __init__(self, ws: WriteOnlyWorksheet, styles: _Styles, ncols: int) -> None:
        self.ws, self.styles = ws, styles
        self.letters = [get_column_letter(n) for n in range(1, ncols + 1)]
        self._ids: dict[tuple[str | None, bool], int] = {}
        self._serials: dict[dt.date, str] = {}

    def style(self, number_format: str | None, quote: bool) -> str:
        key = (number_format, quote)
        if key not in self._ids:
            sample = {DATE_FORMAT: dt.date(2000, 1, 1), DATETIME_FORMAT: dt.datetime(2000, 1, 1)}.get(
                number_format, "=" if quote else ""
            )
            self._ids[key] = self.styles.style_id(self.ws, sample, "bulk")
        style_id = self._ids[key]
        return f' s="{style_id}"' if style_id else ""

    def cell(self, ref: str, value: Any) -> str:
        if type(value) is str and len(value) <= MAX_CELL_CHARS and not _ILLEGAL_CHARS.search(value):
            text = value  # the common case: a clean text, as cell_value would return it
        else:
            value, number_format = cell_value(value)
            if value is None:
                return ""
            if number_format is not None:  # a date or a datetime (naive, the region's time)
                serial = self._serials.get(value)
                if serial is None:
                    serial = self._serials[value] = f"{to_excel(value):.16g}"
                return f'<c r="{ref}"{self.style(number_format, False)} t="n"><v>{serial}</v></c>'
            if isinstance(value, bool):
                return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
            if not isinstance(value, str):
                return f'<c r="{ref}" t="n"><v>{float(value):.16g}</v></c>'
            text = value
        if not text:
            return f'<c r="{ref}" t="inlineStr"/>'
        style = self.style(None, True) if text.startswith(FORMULA_TRIGGERS) else ""
        space = ' xml:space="preserve"' if text != text.strip() else ""
        if "&" in text or "<" in text or ">" in text or "\r" in text:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'

    def write(self, rows: Iterable[Sequence[Any]], first: int, out: IO[str]) -> int:
        """Write ``rows`` numbered from ``first``; returns the number of the last row written."""
        number = first - 1
        letters, cell = self.letters, self.cell
        for values in rows:
            number += 1
            cells = "".join(
                cell(f"{letter}{number}", value)
                for letter, value in zip(letters, values, strict=False)
                if value is not None
            )
            out.write(f'<row r="{number}">{cells}</row>')
        return number


def _write_bulk_body(
    ws: WriteOnlyWorksheet, sheet: Sheet, styles: _Styles, header_row: int, ncols: int
) -> None:
    """The rows of a bulk sheet (plain values, no sections) through :class:`_BulkBody`."""
    fd, rows_path = tempfile.mkstemp(suffix=".xml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            last = _BulkBody(ws, styles, ncols).write(sheet.rows, header_row + 1, out)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{last}"
        ws.append([_STAND_IN])
        _splice(ws, rows_path)
    finally:
        os.remove(rows_path)


# The text of the stand-in row's one cell (ASCII: openpyxl writes other characters as references).
_STAND_IN = "bulk-rows-stand-in-7f3a9c"


def _splice(ws: WriteOnlyWorksheet, rows_path: str) -> None:
    """Close the sheet (openpyxl writes it with the stand-in row) and put the rows written to
    ``rows_path`` in place of that row; openpyxl then stores the spliced file in the workbook."""
    ws.close()
    writer = ws._writer
    # The last occurrence: the stand-in is the last row, only the sheet's settings come after it.
    head, tail = Path(writer.out).read_bytes().rsplit(_STAND_IN.encode(), 1)
    head = head[: head.rindex(b"<row ")]
    tail = tail[tail.index(b"</row>") + len(b"</row>") :]
    fd, spliced = tempfile.mkstemp(suffix=".xml")
    with os.fdopen(fd, "wb") as out, open(rows_path, "rb") as rows:
        out.write(head)
        shutil.copyfileobj(rows, out, 1 << 20)
        out.write(tail)
    os.remove(writer.out)
    ALL_TEMP_FILES.remove(writer.out)
    ALL_TEMP_FILES.append(spliced)  # openpyxl removes it once the workbook is saved
    writer.out = spliced


def _write_sheet(ws: WriteOnlyWorksheet, sheet: Sheet, styles: _Styles) -> None:
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
        ws.append([styles.cell(ws, line, "heading" if n == 1 else "subheading")])
        if ncols > 1:
            ws.merged_cells.add(f"A{n}:{last_col}{n}")
    if heading:
        ws.append([])
    ws.append([styles.cell(ws, name, "header") for name, _width in sheet.columns])
    if sheet.bulk:
        _write_bulk_body(ws, sheet, styles, header_row, ncols)
        return
    row = header_row
    for values in sheet.rows:
        row += 1
        if isinstance(values, Section):
            ws.append([styles.cell(ws, values.title, "section")])
            if ncols > 1:
                ws.merged_cells.add(f"A{row}:{last_col}{row}")
            continue
        ws.append([styles.cell(ws, value, "body") for value in values])
    ws.auto_filter.ref = f"A{header_row}:{last_col}{row}"
