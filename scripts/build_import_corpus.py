#!/usr/bin/env python3
"""Build the import corpus: plans of varied real shapes, as DOCX, XLSX and PDF, with the structure
each must be read as.

Run from the project root::

    .venv/bin/python scripts/build_import_corpus.py

Reads ``fixtures/roadmaps/corpus/plans.json`` (one entry per document) and writes, into
``fixtures/roadmaps/corpus/``, each document and ``<name>.expected.json`` next to it, plus
``scanned.pdf`` (a page that is only a picture of a table: no text layer) with
``scanned.expected.json`` (``{"error": …}``). The PDFs are made the way a region publishes them:
HTML tables rendered by WeasyPrint (the project's PDF library), rows not broken across pages
(Word's «не разрывать строку»), the header repeated on every page.

A plan entry::

    {"file": "1NN-….docx|.xlsx|.pdf", "about": str,
     "lines": [[text, style], ...],        # paragraphs above the first table (title page, appendix)
     "header_top": [cell, ...] | absent,   # a header over two rows: "" continues the cell to its left
     "header": [cell, ...], "fields": [field | "extra", ...],   # per column
     "tables": [{"title": str | null, "rows": [row, ...]}],     # several: one table per section
     "after": [[text, style], ...],
     "title": str, "period": [start, end], "act": {"kind", "number", "date"} | null,
     "due": {number: [ISO due dates]}}     # optional: what a schedule must give within the period
    row = {"section": title} | {"n": number, "sub": bool?, field: text, ..., "extra": [text, ...]}

Expected structure: the canonical one of ``scripts/build_roadmap_fixtures.py`` (sections, items
with children — a row marked "sub" is a child of the item above), plus ``ignored_columns`` (headers
of the "extra" columns, which the importer must name in a warning) and ``due``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "roadmaps" / "corpus"
FIELDS = ("text", "schedule", "indicator", "result", "executors")


def clean(text: str | None) -> str:
    if not text:
        return ""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in str(text).replace("\xa0", " ").split("\n")]
    return "\n".join(line for line in lines if line)


def cells_of(spec: dict, row: dict) -> list[str]:
    extras = iter(row.get("extra", []))
    return [
        row.get("n", "") if f == "number" else next(extras, "") if f == "extra" else row.get(f, "")
        for f in spec["fields"]
    ]


# --- Expected structure -------------------------------------------------------------------------


def expected(spec: dict) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for table in spec["tables"]:
        if table.get("title"):
            current = {"title": table["title"], "items": []}
            sections.append(current)
        for row in table["rows"]:
            if "section" in row:
                current = {"title": row["section"], "items": []}
                sections.append(current)
                continue
            if current is None:
                current = {"title": "", "items": []}
                sections.append(current)
            item = {
                "number": row["n"],
                **{f: _expected_text(spec, row.get(f, "")) for f in FIELDS},
                "children": [],
            }
            if row.get("sub"):
                current["items"][-1]["children"].append(item)
            else:
                current["items"].append(item)
    extra = [h for h, f in zip(_header_names(spec), spec["fields"], strict=True) if f == "extra"]
    return {
        "title": spec["title"],
        "period": spec["period"],
        "act": spec["act"],
        "sections": sections,
        "notes": [],
        "ignored_columns": extra,
        "due": spec.get("due", {}),
    }


def _expected_text(spec: dict, text: str) -> str:
    # A PDF cell wraps where the column ends: its line breaks are not paragraphs (see tables.py).
    return clean(text.replace("\n", " ")) if spec["file"].endswith(".pdf") else clean(text)


def _header_names(spec: dict) -> list[str]:
    top = spec.get("header_top")
    if not top:
        return spec["header"]
    names, carried = [], ""
    for upper, lower in zip(top, spec["header"], strict=True):
        carried = upper or carried
        names.append(f"{upper or carried} {lower}".strip() if lower else upper)
    return names


# --- DOCX -------------------------------------------------------------------------------------


def write_docx(spec: dict, path: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(11)
    page = doc.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21.0)
    props = doc.core_properties
    props.author = props.last_modified_by = "corpus"
    props.created = props.modified = props.last_printed = dt.datetime(2024, 1, 1, 9, 0)
    props.revision = 1
    for text, style in spec["lines"]:
        _docx_paragraph(doc, text, style)
    ncols = len(spec["fields"])
    for n, part in enumerate(spec["tables"]):
        if n and part.get("title"):
            _docx_paragraph(doc, part["title"], "bold")
        elif not n and part.get("title"):
            _docx_paragraph(doc, part["title"], "bold")
        table = doc.add_table(rows=0, cols=ncols)
        table.style = "Table Grid"
        if spec.get("header_top"):
            top = table.add_row()
            bottom = table.add_row()
            _docx_header_pair(top, bottom, spec["header_top"], spec["header"])
        else:
            row = table.add_row()
            for cell, text in zip(row.cells, spec["header"], strict=True):
                cell.text = text
        for entry in part["rows"]:
            row = table.add_row()
            if "section" in entry:
                row.cells[0].merge(row.cells[-1]).text = entry["section"]
                continue
            for cell, text in zip(row.cells, cells_of(spec, entry), strict=True):
                _docx_cell(cell, text)
    for text, style in spec.get("after", []):
        _docx_paragraph(doc, text, style)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())


def _docx_paragraph(doc: Any, text: str, style: str) -> None:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = "bold" in style


def _docx_cell(cell: Any, text: str) -> None:
    lines = text.split("\n") if text else [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _docx_header_pair(top: Any, bottom: Any, upper: list[str], lower: list[str]) -> None:
    col = 0
    while col < len(upper):
        end = col
        while end + 1 < len(upper) and upper[end + 1] == "":
            end += 1
        if end > col:
            top.cells[col].merge(top.cells[end]).text = upper[col]
            for c in range(col, end + 1):
                bottom.cells[c].text = lower[c]
        else:
            if lower[col]:
                top.cells[col].text = upper[col]
                bottom.cells[col].text = lower[col]
            else:  # one cell over both rows
                top.cells[col].merge(bottom.cells[col]).text = upper[col]
        col = end + 1


# --- XLSX -------------------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def write_xlsx(spec: dict, path: Path) -> None:
    workbook = Workbook()
    workbook.properties.creator = "corpus"
    workbook.properties.created = workbook.properties.modified = dt.datetime(2024, 1, 1, 9, 0)
    sheet = workbook.active
    sheet.title = spec.get("sheet", "План")
    ncols = len(spec["fields"])
    row_no = 1
    for text, _style in spec["lines"]:
        sheet.cell(row=row_no, column=1, value=text)
        sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
        row_no += 1
    for n, part in enumerate(spec["tables"]):
        if part.get("title"):
            sheet.cell(row=row_no, column=1, value=part["title"])
            sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
            row_no += 1
        if n == 0 or spec.get("repeat_header"):
            row_no = _xlsx_header(sheet, spec, row_no)
        for entry in part["rows"]:
            if "section" in entry:
                sheet.cell(row=row_no, column=1, value=entry["section"]).font = Font(bold=True)
                sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
            else:
                for col, text in enumerate(cells_of(spec, entry), start=1):
                    cell = sheet.cell(row=row_no, column=col, value=text or None)
                    cell.border = BORDER
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            row_no += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def _xlsx_header(sheet: Any, spec: dict, row_no: int) -> int:
    if spec.get("header_top"):
        upper, lower = spec["header_top"], spec["header"]
        for col, text in enumerate(upper, start=1):
            if text:
                sheet.cell(row=row_no, column=col, value=text)
        col = 0
        while col < len(upper):
            end = col
            while end + 1 < len(upper) and upper[end + 1] == "":
                end += 1
            if end > col:
                sheet.merge_cells(start_row=row_no, start_column=col + 1, end_row=row_no, end_column=end + 1)
            elif not lower[col]:
                sheet.merge_cells(
                    start_row=row_no, start_column=col + 1, end_row=row_no + 1, end_column=col + 1
                )
            col = end + 1
        for col, text in enumerate(lower, start=1):
            if text:
                sheet.cell(row=row_no + 1, column=col, value=text)
        return row_no + 2
    for col, text in enumerate(spec["header"], start=1):
        sheet.cell(row=row_no, column=col, value=text).border = BORDER
    return row_no + 1


# --- PDF --------------------------------------------------------------------------------------

CSS = """
@page { size: A4 landscape; margin: 1.5cm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: 'DejaVu Serif', serif; font-size: 9.5pt; }
p { margin: 0 0 3pt 0; } p.right { text-align: right; } p.center { text-align: center; } p.bold { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin-bottom: 10pt; }
td, th { border: 0.7pt solid black; padding: 2pt 3pt; vertical-align: top; font-weight: normal; }
thead { display: table-header-group; } tr { page-break-inside: avoid; }
"""


def pdf_html(spec: dict) -> str:
    out = [f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"]
    for text, style in spec["lines"]:
        out.append(f"<p class='{html.escape(style)}'>{html.escape(text)}</p>")
    ncols = len(spec["fields"])
    for part in spec["tables"]:
        if part.get("title"):
            out.append(f"<p class='bold'>{html.escape(part['title'])}</p>")
        out.append("<table><thead>" + _pdf_header(spec) + "</thead><tbody>")
        for entry in part["rows"]:
            if "section" in entry:
                out.append(f"<tr><td colspan='{ncols}'>{html.escape(entry['section'])}</td></tr>")
            else:
                cells = "".join(f"<td>{_pdf_text(t)}</td>" for t in cells_of(spec, entry))
                out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
    for text, style in spec.get("after", []):
        out.append(f"<p class='{html.escape(style)}'>{html.escape(text)}</p>")
    return "".join(out) + "</body></html>"


def _pdf_text(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def _pdf_header(spec: dict) -> str:
    if not spec.get("header_top"):
        return "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in spec["header"]) + "</tr>"
    upper, lower = spec["header_top"], spec["header"]
    top, bottom, col = [], [], 0
    while col < len(upper):
        end = col
        while end + 1 < len(upper) and upper[end + 1] == "":
            end += 1
        if end > col:
            top.append(f"<th colspan='{end - col + 1}'>{html.escape(upper[col])}</th>")
            bottom.extend(f"<th>{html.escape(lower[c])}</th>" for c in range(col, end + 1))
        elif not lower[col]:
            top.append(f"<th rowspan='2'>{html.escape(upper[col])}</th>")
        else:
            top.append(f"<th>{html.escape(upper[col])}</th>")
            bottom.append(f"<th>{html.escape(lower[col])}</th>")
        col = end + 1
    return f"<tr>{''.join(top)}</tr><tr>{''.join(bottom)}</tr>"


def write_pdf(spec: dict, path: Path) -> None:
    import weasyprint

    path.write_bytes(weasyprint.HTML(string=pdf_html(spec)).write_pdf())


def write_scanned(path: Path) -> None:
    """A «scan»: the page is one picture of a table, with no text layer."""
    import base64

    import weasyprint
    from PIL import Image, ImageDraw

    image = Image.new("L", (1200, 800), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 701, 60):
        draw.line((60, y, 1140, y), fill=0, width=2)
    for x in (60, 140, 600, 800, 1140):
        draw.line((x, 100, x, 700), fill=0, width=2)
    for y in range(125, 700, 60):
        draw.rectangle((160, y, 560, y + 10), fill=90)  # strokes where the text was
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    page = f"<html><body style='margin:0'><img style='width:100%' src='data:image/png;base64,{data}'></body></html>"
    path.write_bytes(weasyprint.HTML(string=page).write_pdf())


def main() -> None:
    plans = json.loads((CORPUS / "plans.json").read_text(encoding="utf-8"))
    for spec in plans:
        path = CORPUS / spec["file"]
        writer = {".docx": write_docx, ".xlsx": write_xlsx, ".pdf": write_pdf}[path.suffix]
        writer(spec, path)
        data = expected(spec)
        (CORPUS / f"{path.stem}.expected.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        items = sum(len(s["items"]) for s in data["sections"])
        print(f"{spec['file']}: {len(data['sections'])} sections, {items} items")
    write_scanned(CORPUS / "scanned.pdf")
    (CORPUS / "scanned.expected.json").write_text(
        json.dumps({"error": "похоже, это скан"}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print("scanned.pdf: written")


if __name__ == "__main__":
    main()
