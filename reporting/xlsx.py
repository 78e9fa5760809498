"""XLSX renderer: data in, bytes out (openpyxl). No database, no request."""

import io
from dataclasses import dataclass, field

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="B9C3CF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E7EDF5")
SECTION_FILL = PatternFill("solid", fgColor="F3F6FA")


@dataclass
class Sheet:
    title: str
    columns: list[tuple[str, int]]  # (header, width in characters)
    rows: list[list] = field(default_factory=list)
    heading: list[str] = field(default_factory=list)  # lines above the table
    section_rows: set[int] = field(default_factory=set)  # indexes in ``rows`` that are section titles


def render_xlsx(sheets: list[Sheet]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(title=_safe_title(sheet.title))
        ncols = len(sheet.columns)
        row = 1
        for line in sheet.heading:
            ws.cell(row=row, column=1, value=line).font = Font(bold=row == 1, size=12 if row == 1 else 11)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
            ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
        if sheet.heading:
            row += 1
        header_row = row
        for col, (name, width) in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=row, column=col, value=name)
            cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            ws.column_dimensions[get_column_letter(col)].width = width
        for index, values in enumerate(sheet.rows):
            row += 1
            if index in sheet.section_rows:
                cell = ws.cell(row=row, column=1, value=values[0])
                cell.font, cell.fill = Font(bold=True), SECTION_FILL
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
                continue
            for col, value in enumerate(values, start=1):
                if isinstance(value, Promise):  # lazy translations are text to Excel
                    value = str(value)
                cell = ws.cell(row=row, column=col, value=value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = BORDER
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{max(row, header_row)}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _safe_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Лист"
