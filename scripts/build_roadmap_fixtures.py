#!/usr/bin/env python3
"""Build the roadmap documents the portal ships as fixtures, and their canonical structure.

Run from the project root::

    .venv/bin/python scripts/build_roadmap_fixtures.py

The plan text lives in data files, one per built document, in ``fixtures/roadmaps/source/``
(``<name>.json`` → ``<name>.docx``/``.xlsx``; ``source/awkward/<name>.json`` → ``awkward/<name>.…``).
This script only turns that data into files. It writes into ``fixtures/roadmaps/``:

* ``000-tomsk-shnor-2023.docx``, ``001-tambov-2020-2023.docx``, ``002-tomsk-minpros-2022-2024.xlsx`` —
  the seed documents of ``/work/shared/seeds`` (000, 001, 002) laid out as the regional institute
  receives them (Word appendix to an order / Excel sheet);
* ``070-…``, ``071-…``, ``072-…`` — demo municipal and school roadmaps implementing the regional one;
* ``expected/NNN.json`` — the canonical structure of each document (NNN = the file name's prefix);
* ``manifest.json`` — which roadmap is whose, what it implements, its approving act and revisions
  (from each source's ``manifest`` block);
* ``awkward/`` — small documents for importer tests, each with ``<name>.expected.json``; three of them
  are broken on purpose and made by code here (no table, an empty workbook, random bytes).

The documents and the expected JSON are generated from the same data, so they always agree.
Everything is deterministic: the JSON is byte-identical between runs, and the DOCX/XLSX archives are
rewritten with fixed timestamps (zip entries and docProps/core.xml).

A source file (UTF-8 JSON)::

    {"about": [str, ...],             # what the document is, and how the seed text was read
     "file": "000-….docx" | "….xlsx",  # the file to build, relative to fixtures/roadmaps/
     "manifest": {"region", "level", "owner", "parent_file", "status", "revisions"},  # shipped only
     "author": str, "title": str, "period": [start, end] | null, "act": {kind, number, date, issuer} | null,
     "columns": [[header, field], ...], "widths": [number, ...],  # cm (DOCX) or characters (XLSX)
     "preamble": [[text, style], ...],                      # DOCX: paragraphs above the table
     "tables_before": [{"rows": [[cell, ...]], "widths": [...]}],  # DOCX, optional
     "sheet": str, "sheet_preamble": [[text, style, rows], ...],   # XLSX
     "numbers_as_int": bool,                                # XLSX, optional: «№» cells as numbers
     "body": [entry, ...]}
    entry = {"kind": "section", "title"} | {"kind": "note", "text"}
          | {"kind": "item", "number", "text", "schedule"?, "indicator"?, "result"?, "executors"?,
             "split"?: {field: continuation}}       # a row broken by a page break
          | {"kind": "sub", "cell", "schedule"?, …}  # sub-item row: empty «№», number in the text
    Any entry may carry a "comment" (why it reads as it does); the builder ignores it.

Canonical structure (expected JSON)::

    {"title": str, "period": [start, end] | null, "act": {kind, number, date, issuer} | null,
     "sections": [{"title": str, "items": [item, ...]}], "notes": [str, ...]}
    item = {"number", "text", "schedule", "indicator", "result", "executors", "children": [item, ...]}

Normalisation of every text in the JSON (the same as ``roadmaps.importing.tables.clean``): each line
of a cell has runs of spaces/tabs collapsed and is stripped, empty lines are dropped, the remaining
lines are joined with "\\n" (a cell written as several paragraphs keeps them as "\\n" — schedules
such as «Октябрь 2020 / Далее: / август / 2021 …» rely on that). A column the document does not
have is "". ``number`` is the number as written («1.», «20..», «11.3»); for a sub-item written as its
own row with an empty «№» cell, the number is taken from the start of the text cell and removed from
``text``. A row split over two table rows by a page break (continuation row with an empty «№» cell
and no number at the start of the text) is one item: each cell's continuation is appended to the
first part with a single space. Items above the first section row go into a section titled "".
Merged full-width rows that are amendment notes (001: «приказом … №362 дополнены п.п.9, 10») are
not sections: their text goes into ``notes`` and the items after them stay in the current section.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "roadmaps"
SOURCE = OUT / "source"

FIELDS = ("text", "schedule", "indicator", "result", "executors")
NUMBER_AT_START = re.compile(r"^\s*(\d+(?:\.\d+)*\.*)\s*(.*)$", re.S)

# A roadmap spec as read from its source file; a body entry (section / note / item / sub row).
Spec = dict[str, Any]
Entry = dict[str, Any]
Row = tuple[str, list[str] | str]

# ---------------------------------------------------------------------------------------------
# Source files
# ---------------------------------------------------------------------------------------------

SPEC_KEYS = {
    "about",
    "file",
    "manifest",
    "author",
    "title",
    "period",
    "act",
    "columns",
    "widths",
    "preamble",
    "tables_before",
    "after",
    "sheet",
    "sheet_preamble",
    "numbers_as_int",
    "body",
}
REQUIRED_KEYS = ("file", "title", "period", "act", "columns", "widths", "body")
ENTRY_KEYS = {
    "section": {"kind", "title", "comment"},
    "note": {"kind", "text", "comment"},
    "item": {"kind", "number", "comment", "split", *FIELDS},
    "sub": {"kind", "cell", "comment", *FIELDS[1:]},
}
MANIFEST_KEYS = ("region", "level", "owner", "parent_file", "status", "revisions")


class SourceError(ValueError):
    """A source file does not describe a roadmap this script can build."""


def _entry(path: Path, index: int, raw: Entry) -> Entry:
    """A body entry with every cell present ("" where the source leaves it out)."""
    where = f"{path.name}, строка таблицы {index + 1}"
    kind = raw.get("kind")
    if kind not in ENTRY_KEYS:
        raise SourceError(f"{where}: неизвестный вид строки {kind!r}; укажите section, note, item или sub.")
    unknown = set(raw) - ENTRY_KEYS[kind]
    if unknown:
        raise SourceError(f"{where}: лишние поля {sorted(unknown)}; допустимы {sorted(ENTRY_KEYS[kind])}.")
    if kind == "section":
        return {"kind": kind, "title": raw.get("title", "")}
    if kind == "note":
        return {"kind": kind, "text": raw.get("text", "")}
    if kind == "sub":
        return {"kind": kind, "cell": raw.get("cell", ""), **{f: raw.get(f, "") for f in FIELDS[1:]}}
    split = raw.get("split", {})
    if set(split) - set(FIELDS):
        raise SourceError(f"{where}: в split допустимы только поля {list(FIELDS)}.")
    return {
        "kind": kind,
        "number": raw.get("number", ""),
        **{f: raw.get(f, "") for f in FIELDS},
        "split": split,
    }


def load_source(path: Path) -> Spec:
    """Read one source file, check its keys, and fill the cells it leaves out."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{path.name}: не JSON ({error.msg}, строка {error.lineno}); исправьте файл."
        ) from None
    unknown = set(raw) - SPEC_KEYS
    if unknown:
        raise SourceError(f"{path.name}: лишние поля {sorted(unknown)}; допустимы {sorted(SPEC_KEYS)}.")
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise SourceError(f"{path.name}: нет полей {missing}; добавьте их.")
    if Path(raw["file"]).stem != path.stem or Path(raw["file"]).suffix not in (".docx", ".xlsx"):
        raise SourceError(
            f"{path.name}: «file» = {raw['file']!r}; файл должен называться как источник, "
            "с расширением .docx или .xlsx."
        )
    spec = dict(raw)
    spec["body"] = [_entry(path, index, entry) for index, entry in enumerate(raw["body"])]
    return spec


def load_sources(folder: Path) -> list[Spec]:
    """Every source file directly in ``folder``, in file-name order."""
    return [load_source(path) for path in sorted(folder.glob("*.json"))]


def expected_key(spec: Spec) -> str:
    """``000-tomsk-shnor-2023.docx`` → ``000`` (the name of its ``expected/*.json``)."""
    return Path(spec["file"]).name.split("-", 1)[0]


def manifest_entry(spec: Spec) -> dict[str, Any]:
    if "manifest" not in spec:
        raise SourceError(
            f"{spec['file']}: нет блока «manifest»; без него документ не попадёт в manifest.json."
        )
    meta = spec["manifest"]
    missing = [key for key in MANIFEST_KEYS if key not in meta]
    if missing:
        raise SourceError(f"{spec['file']}: в «manifest» нет полей {missing}; добавьте их.")
    return {
        "file": spec["file"],
        "region": meta["region"],
        "level": meta["level"],
        "owner": meta["owner"],
        "parent_file": meta["parent_file"],
        "status": meta["status"],
        "period": spec["period"],
        "act": spec["act"],
        "revisions": meta["revisions"],
    }


# ---------------------------------------------------------------------------------------------
# Canonical structure
# ---------------------------------------------------------------------------------------------


def clean(text: str | None) -> str:
    if text is None:
        return ""
    text = str(text).replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def joined(head: str, tail: str) -> str:
    head, tail = clean(head), clean(tail)
    return f"{head} {tail}".strip() if tail else head


def item_json(entry: Entry) -> dict[str, Any]:
    if entry["kind"] == "sub":
        match = NUMBER_AT_START.match(entry["cell"])
        assert match, entry["cell"]
        number, text = match.group(1), match.group(2)
        data: dict[str, Any] = {"number": clean(number), "text": clean(text)}
        data.update({f: clean(entry[f]) for f in FIELDS[1:]})
    else:
        data = {"number": clean(entry["number"])}
        data.update({f: joined(entry[f], entry["split"].get(f, "")) for f in FIELDS})
    data["children"] = []
    return data


def expected(spec: Spec) -> dict[str, Any]:
    """The canonical structure of a roadmap, as the importer must read it back."""
    sections: list[dict[str, Any]] = []
    notes: list[str] = []
    current: dict[str, Any] | None = None
    for entry in spec["body"]:
        kind = entry["kind"]
        if kind == "section":
            current = {"title": clean(entry["title"]), "items": []}
            sections.append(current)
        elif kind == "note":
            notes.append(clean(entry["text"]))
        else:
            if current is None:
                current = {"title": "", "items": []}
                sections.append(current)
            if kind == "item":
                current["items"].append(item_json(entry))
            else:
                current["items"][-1]["children"].append(item_json(entry))
    return {
        "title": clean(spec["title"]),
        "period": spec["period"],
        "act": spec["act"],
        "sections": sections,
        "notes": notes,
    }


def table_rows(spec: Spec) -> list[Row]:
    """The roadmap table as rows: ("header", cells), ("merged", text) or ("row", cells)."""
    fields = [field for _, field in spec["columns"]]
    for entry in spec["body"]:
        if entry["kind"] in ("item", "sub"):
            for field in FIELDS[1:]:
                assert field in fields or not entry[field], (spec["file"], field, entry)
    rows: list[Row] = [("header", [header for header, _ in spec["columns"]])]
    for entry in spec["body"]:
        kind = entry["kind"]
        if kind == "section":
            rows.append(("merged", entry["title"]))
        elif kind == "note":
            rows.append(("merged", entry["text"]))
        elif kind == "item":
            rows.append(("row", [entry["number"] if f == "number" else entry[f] for f in fields]))
            if entry["split"]:
                rows.append(("row", ["" if f == "number" else entry["split"].get(f, "") for f in fields]))
        else:
            rows.append(
                ("row", ["" if f == "number" else entry["cell"] if f == "text" else entry[f] for f in fields])
            )
    for _kind, cells in rows:
        texts = [cells] if isinstance(cells, str) else cells
        assert not any(re.search(r"</?[a-z]+[^>]*>", t) for t in texts), (spec["file"], texts)
    return rows


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------


def stable_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite an OOXML archive with fixed entry dates and a fixed dcterms:modified."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                for tag in (rb"dcterms:created", rb"dcterms:modified"):
                    blob = re.sub(
                        rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)", rb"\g<1>" + iso + rb"\g<2>", blob
                    )
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, blob)
    return out.getvalue()


def stamp_of(spec: Spec) -> dt.datetime:
    act = spec.get("act")
    day = dt.date.fromisoformat(act["date"]) if act else dt.date(2023, 4, 1)
    return dt.datetime(day.year, day.month, day.day, 9, 0, 0)


def _set_cell(
    cell: _Cell, text: str, *, bold: bool = False, size: float = 11, align: WD_ALIGN_PARAGRAPH | None = None
) -> None:
    lines = text.split("\n") if text else [""]
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        if align is not None:
            paragraph.alignment = align
        if line:
            run = paragraph.add_run(line)
            run.bold = bold
            run.font.size = Pt(size)


def _repeat_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _paragraph(doc: DocxDocument, text: str, style: str = "") -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    if "right" in style:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif "center" in style:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run = paragraph.add_run(text)
        run.bold = "bold" in style


def _new_document(spec: Spec) -> DocxDocument:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Times New Roman")
    page = doc.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21.0)
    page.left_margin = page.right_margin = Cm(2.0)
    page.top_margin = page.bottom_margin = Cm(1.5)
    props = doc.core_properties
    props.author = spec.get("author", "")
    props.last_modified_by = spec.get("author", "")
    title = clean(spec.get("title", ""))
    props.title = title if len(title) <= 255 else ""  # core properties hold at most 255 characters
    props.comments = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = stamp_of(spec)
    return doc


def _add_table(doc: DocxDocument, rows: list[Row], widths: list[float]) -> Table:
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for kind, content in rows:
        row = table.add_row()
        if isinstance(content, str):  # a "merged" row
            merged = row.cells[0].merge(row.cells[-1])
            _set_cell(merged, content, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            continue
        for index, (cell, text) in enumerate(zip(row.cells, content, strict=True)):
            cell.width = Cm(widths[index])
            _set_cell(
                cell,
                text,
                bold=kind == "header",
                align=WD_ALIGN_PARAGRAPH.CENTER if kind == "header" else None,
            )
        if kind == "header":
            _repeat_header(row)
    return table


def write_docx(spec: Spec, path: Path) -> None:
    doc = _new_document(spec)
    for table in spec.get("tables_before", []):
        _add_table(doc, [("row", cells) for cells in table["rows"]], table["widths"])
        _paragraph(doc, "")
    for text, style in spec["preamble"]:
        _paragraph(doc, text, style)
    _paragraph(doc, "")
    _add_table(doc, table_rows(spec), spec["widths"])
    for text, style in spec.get("after", []):
        _paragraph(doc, text, style)
    write_bytes(path, doc_bytes(doc), stamp_of(spec))


def doc_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_bytes(path: Path, data: bytes, stamp: dt.datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stable_zip(data, stamp))


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _new_workbook(spec: Spec) -> Workbook:
    workbook = Workbook()
    workbook.properties.creator = spec.get("author", "")
    workbook.properties.lastModifiedBy = spec.get("author", "")
    workbook.properties.title = clean(spec.get("title", ""))
    workbook.properties.created = workbook.properties.modified = stamp_of(spec)
    return workbook


def _write_sheet_preamble(sheet: Worksheet, lines: list[list[Any]], ncols: int) -> int:
    """Rows above the table: [text, style, height_in_rows]; a style with "merge" merges the row(s)
    over the table's width. Returns the number of the first row after them."""
    row_no = 1
    for text, style, height in lines:
        cell = sheet.cell(row=row_no, column=1, value=text or None)
        cell.font = Font(name="Times New Roman", size=12, bold="bold" in style)
        horizontal = "right" if "right" in style else "center" if "center" in style else "left"
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text="merge" in style)
        if "merge" in style:
            sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no + height - 1, end_column=ncols)
        row_no += height
    return row_no


def _write_merged_row(sheet: Worksheet, row_no: int, text: str, ncols: int) -> None:
    cell = sheet.cell(row=row_no, column=1, value=text)
    cell.font = Font(name="Times New Roman", size=11, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
    for column in range(1, ncols + 1):
        sheet.cell(row=row_no, column=column).border = BORDER


def _write_cells(sheet: Worksheet, row_no: int, kind: str, cells: list[str], *, numbers_as_int: bool) -> None:
    """One header ("header") or body ("row") row of the table."""
    for column, text in enumerate(cells, start=1):
        value: str | int | None = text or None
        if column == 1 and numbers_as_int and text.isdigit():
            value = int(text)
        cell = sheet.cell(row=row_no, column=column, value=value)
        cell.border = BORDER
        cell.alignment = (
            WRAP if kind == "row" else Alignment(horizontal="center", vertical="center", wrap_text=True)
        )
        cell.font = Font(name="Times New Roman", size=11, bold=kind == "header")
        if kind == "header":
            cell.fill = PatternFill("solid", fgColor="D9D9D9")


def _set_up_page(sheet: Worksheet, widths: list[float], header_row: int) -> None:
    """Column widths, a frozen and repeated header, landscape fitted to the page width."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_xlsx(spec: Spec, path: Path) -> None:
    workbook = _new_workbook(spec)
    sheet = workbook.active
    sheet.title = spec.get("sheet", "Дорожная карта")
    ncols = len(spec["columns"])
    header_row = row_no = _write_sheet_preamble(sheet, spec["sheet_preamble"], ncols)
    for kind, content in table_rows(spec):
        if isinstance(content, str):
            _write_merged_row(sheet, row_no, content, ncols)
        else:
            _write_cells(sheet, row_no, kind, content, numbers_as_int=bool(spec.get("numbers_as_int")))
        row_no += 1
    _set_up_page(sheet, spec["widths"], header_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_bytes(path, buffer.getvalue(), stamp_of(spec))


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_no_table(path: Path) -> None:
    spec = {"author": "ДОО ТО", "title": "", "act": {"date": "2023-03-13"}}
    doc = _new_document(spec)
    for text, style in [
        ("ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ ТОМСКОЙ ОБЛАСТИ", "center bold"),
        ("РАСПОРЯЖЕНИЕ", "center bold"),
        ("13.03.2023 № 352-р", "center"),
        ("Об утверждении регионального плана мероприятий («дорожной карты»)", "center bold"),
        (
            "1. Утвердить план мероприятий («дорожную карту») согласно приложению 1 к настоящему распоряжению.",
            "",
        ),
        ("2. Контроль за исполнением настоящего распоряжения оставляю за собой.", ""),
        ("Начальник Департамента", ""),
    ]:
        _paragraph(doc, text, style)
    write_bytes(path, doc_bytes(doc), stamp_of(spec))


def write_empty_xlsx(path: Path) -> None:
    workbook = _new_workbook({"author": "", "title": "", "act": None})
    workbook.active.title = "Лист1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_bytes(path, buffer.getvalue(), stamp_of({"act": None}))


def write_garbage(path: Path) -> None:
    data = random.Random(20230313).randbytes(4096)
    assert not data.startswith(b"PK")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# ---------------------------------------------------------------------------------------------


def write_roadmap(spec: Spec, path: Path) -> None:
    if spec["file"].endswith(".docx"):
        write_docx(spec, path)
    else:
        write_xlsx(spec, path)


def count_items(data: dict[str, Any]) -> tuple[int, int]:
    top = sum(len(s["items"]) for s in data["sections"])
    children = sum(len(i["children"]) for s in data["sections"] for i in s["items"])
    return top, children


def main() -> None:
    roadmaps = load_sources(SOURCE)
    manifest = [manifest_entry(spec) for spec in roadmaps]
    for spec in roadmaps:
        write_roadmap(spec, OUT / spec["file"])
        data = expected(spec)
        write_json(OUT / "expected" / f"{expected_key(spec)}.json", data)
        top, children = count_items(data)
        print(
            f"{spec['file']}: {len(data['sections'])} sections, {top} items, {children} sub-items, {len(data['notes'])} notes"
        )
    write_json(OUT / "manifest.json", manifest)

    for spec in load_sources(SOURCE / "awkward"):
        path = OUT / spec["file"]
        write_roadmap(spec, path)
        write_json(path.with_name(path.stem + ".expected.json"), expected(spec))
        print(f"{spec['file']}: written")
    write_no_table(OUT / "awkward" / "no-table.docx")
    write_empty_xlsx(OUT / "awkward" / "empty.xlsx")
    write_garbage(OUT / "awkward" / "garbage.docx")
    for name in ("no-table", "empty", "garbage"):
        write_json(OUT / "awkward" / f"{name}.expected.json", {"error": True})
    print("awkward/no-table.docx, awkward/empty.xlsx, awkward/garbage.docx: written")


if __name__ == "__main__":
    try:
        main()
    except SourceError as error:
        raise SystemExit(f"Исходный файл не разобран: {error}") from None
