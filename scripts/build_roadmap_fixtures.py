#!/usr/bin/env python3
"""Build the roadmap documents the portal ships as fixtures, and their canonical structure.

Run from the project root::

    .venv/bin/python scripts/build_roadmap_fixtures.py

Writes into ``fixtures/roadmaps/``:

* ``000-tomsk-shnor-2023.docx``, ``001-tambov-2020-2023.docx``, ``002-tomsk-minpros-2022-2024.xlsx`` —
  the seed documents of ``/work/shared/seeds`` (000, 001, 002) laid out as the regional institute
  receives them (Word appendix to an order / Excel sheet);
* ``070-…``, ``071-…``, ``072-…`` — demo municipal and school roadmaps implementing the regional one;
* ``expected/NNN.json`` — the canonical structure of each document;
* ``manifest.json`` — which roadmap is whose, what it implements, its approving act and revisions;
* ``awkward/`` — small documents for importer tests, each with ``<name>.expected.json``.

The documents and the expected JSON are generated from the same data below, so they always agree.
Everything is deterministic: the JSON is byte-identical between runs, and the DOCX/XLSX archives are
rewritten with fixed timestamps (zip entries and docProps/core.xml).

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

Decisions about how the published documents looked (the seeds are lossy text conversions):

000 (Tomsk, распоряжение 13.03.2023 № 352-р)
  * Items 13 and 28 are kept split over two rows exactly as the text shows (page-break rows).
    Item 28's continuation line in the text has only five cells; «кураторы» is the continuation of
    «ТОИПКРО,» in «Исполнители» (the text conversion dropped the empty «Результат» cell).
  * Items 29–35 have one cell fewer in the text: the phrase after the schedule («Сформирована
    аналитическая справка…», «Сформирован аналитический отчет», «Аналитические материалы») is put
    in «Показатель реализации», «Результат» is left empty.
  * The empty trailing cells of items 21–27 (an artefact of the conversion) are dropped.
001 (Tambov, приказ 20.05.2020 № 1104 в редакции 18.02.2021 № 362)
  * The seed's line «( в редакции от 18.02.2020 №362)» is kept as published, although the amending
    order is 18.02.2021 №362 (the table's own notes say so); the manifest records 2021-02-18.
  * Sub-items are rows of their own with an empty «№» cell. Where the conversion put the first
    sub-item into the parent's text cell (5/5.1, 13/11.1, 29/27.1, 30/28.1, 31/29.1) it becomes its
    own row carrying the schedule, responsible and result cells; the parent row keeps only its
    number and heading. For 29 the schedule cell started with «Постоянно» on its own line followed
    by the 27.1 schedule: «Постоянно» stays with the parent (the «Методическая школа» works
    permanently), the rest goes to 27.1.
  * The source's numbering is kept as written: «20..», «11.3» without the final dot, sub-items
    11.x under 13, 27.x under 29, 28.x under 30, 29.x under 31, «27.4.Организация» without space.
  * The three merged amendment rows are kept as merged rows (notes), not sections.
002 (Tomsk, распоряжение 27.10.2022 № 1789-р)
  * HTML of the conversion removed (``<p>…</p>`` in items 13/14, 15, 16).
  * Item 6 and item 20: continuation lines joined into the items' cells.
  * Items 10–14: the text shows item 10's continuation line carrying «ежегодно / Департамент
    образования области ТОИПКРО / Информационное письмо ТОИПКРО», and the «Ответственные» /
    «Результат» cells of items 11 and 12 one row lower than their texts (item 12 «Разработка…
    муниципальными органами» with «Общеобразовательные организации… / Приказ общеобразовательной
    организации», item 13 empty). The original follows the pattern region → municipality → school of
    items 8–10 and 15–16, so the cells are moved up one row: 11 → ДОО/ТОИПКРО + информационное
    письмо, 12 → МОУО + муниципальная «дорожная карта», 13 → ОО + приказ/программа ОО.
    The schedules of items 10–14 all read «ежегодно», so the surplus «ежегодно» of that shift is
    simply not repeated.
  * Item 14 was glued into item 13's cell («<p>самодиагностики</p> <p>14. Привлечение…</p>»):
    «самодиагностики» ends item 13, item 14 is its own row.
  * Stray words of the conversion dropped: «муниципалитета» at the end of item 10's continuation
    (it repeats the last word of item 9's result cell) and the second «организации» in item 20's
    «Ответственные» (repeats the cell's own last word). In item 15 the fragment «общего Томской»
    after «Департамент образования области ТОИПКРО» is put back where it belongs: «Департамент
    общего образования Томской области ТОИПКРО» (the wording of item 18).
  * Typos and odd wording are otherwise kept verbatim («Модуль а КПК», «Общественные организации»,
    the unbalanced bracket of item 17, «на сайте общеобразовательной организаций»).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "roadmaps"

FIELDS = ("text", "schedule", "indicator", "result", "executors")
NUMBER_AT_START = re.compile(r"^\s*(\d+(?:\.\d+)*\.*)\s*(.*)$", re.S)

# ---------------------------------------------------------------------------------------------
# Data model: a roadmap body is a flat list of section / note / item / sub rows, in table order.
# ---------------------------------------------------------------------------------------------


def section(title: str) -> dict:
    return {"kind": "section", "title": title}


def note(text: str) -> dict:
    return {"kind": "note", "text": text}


def it(
    number: str,
    text: str,
    schedule: str = "",
    *,
    indicator: str = "",
    result: str = "",
    executors: str = "",
    split: dict | None = None,
) -> dict:
    """A numbered item row. ``split`` = {field: tail}: the row is broken by a page break and the
    tails are written on a continuation row with an empty «№» cell."""
    return {
        "kind": "item",
        "number": number,
        "text": text,
        "schedule": schedule,
        "indicator": indicator,
        "result": result,
        "executors": executors,
        "split": split or {},
    }


def sub(cell: str, schedule: str = "", *, indicator: str = "", result: str = "", executors: str = "") -> dict:
    """A sub-item row: empty «№» cell, the number written at the start of the text cell."""
    return {
        "kind": "sub",
        "cell": cell,
        "schedule": schedule,
        "indicator": indicator,
        "result": result,
        "executors": executors,
    }


def clean(text: str | None) -> str:
    if text is None:
        return ""
    text = str(text).replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def joined(head: str, tail: str) -> str:
    head, tail = clean(head), clean(tail)
    return f"{head} {tail}".strip() if tail else head


def item_json(entry: dict) -> dict:
    if entry["kind"] == "sub":
        match = NUMBER_AT_START.match(entry["cell"])
        assert match, entry["cell"]
        number, text = match.group(1), match.group(2)
        data = {"number": clean(number), "text": clean(text)}
        data.update({f: clean(entry[f]) for f in FIELDS[1:]})
    else:
        data = {"number": clean(entry["number"])}
        data.update({f: joined(entry[f], entry["split"].get(f, "")) for f in FIELDS})
    data["children"] = []
    return data


def expected(spec: dict) -> dict:
    sections: list[dict] = []
    notes: list[str] = []
    current: dict | None = None
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


def table_rows(spec: dict) -> list[tuple[str, list[str] | str]]:
    """The roadmap table as rows: ("header", cells), ("merged", text) or ("row", cells)."""
    fields = [field for _, field in spec["columns"]]
    for entry in spec["body"]:
        if entry["kind"] in ("item", "sub"):
            for field in FIELDS[1:]:
                assert field in fields or not entry[field], (spec["file"], field, entry)
    rows: list[tuple[str, list[str] | str]] = [("header", [header for header, _ in spec["columns"]])]
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


def stamp_of(spec: dict) -> dt.datetime:
    act = spec.get("act")
    day = dt.date.fromisoformat(act["date"]) if act else dt.date(2023, 4, 1)
    return dt.datetime(day.year, day.month, day.day, 9, 0, 0)


def _set_cell(cell, text: str, *, bold: bool = False, size: float = 11, align=None) -> None:
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


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _paragraph(doc, text: str, style: str = "") -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    if "right" in style:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif "center" in style:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run = paragraph.add_run(text)
        run.bold = "bold" in style


def _new_document(spec: dict):
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


def _add_table(doc, rows: list, widths: list[float]):
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for kind, content in rows:
        row = table.add_row()
        if kind == "merged":
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


def write_docx(spec: dict, path: Path) -> None:
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


def doc_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_bytes(path: Path, data: bytes, stamp: dt.datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stable_zip(data, stamp))


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _new_workbook(spec: dict) -> Workbook:
    workbook = Workbook()
    workbook.properties.creator = spec.get("author", "")
    workbook.properties.lastModifiedBy = spec.get("author", "")
    workbook.properties.title = clean(spec.get("title", ""))
    workbook.properties.created = workbook.properties.modified = stamp_of(spec)
    return workbook


def write_xlsx(spec: dict, path: Path) -> None:
    """spec["sheet_preamble"]: [(text, style, height_in_rows)], rows above the table; a style with
    "merge" merges the row(s) over the table's width."""
    workbook = _new_workbook(spec)
    sheet = workbook.active
    sheet.title = spec.get("sheet", "Дорожная карта")
    ncols = len(spec["columns"])
    row_no = 1
    for text, style, height in spec["sheet_preamble"]:
        cell = sheet.cell(row=row_no, column=1, value=text or None)
        cell.font = Font(name="Times New Roman", size=12, bold="bold" in style)
        horizontal = "right" if "right" in style else "center" if "center" in style else "left"
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text="merge" in style)
        if "merge" in style:
            sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no + height - 1, end_column=ncols)
        row_no += height
    header_row = row_no
    for kind, content in table_rows(spec):
        if kind == "merged":
            cell = sheet.cell(row=row_no, column=1, value=content)
            cell.font = Font(name="Times New Roman", size=11, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
            for column in range(1, ncols + 1):
                sheet.cell(row=row_no, column=column).border = BORDER
        else:
            for column, text in enumerate(content, start=1):
                value: str | int | None = text or None
                if column == 1 and spec.get("numbers_as_int") and text.isdigit():
                    value = int(text)
                cell = sheet.cell(row=row_no, column=column, value=value)
                cell.border = BORDER
                cell.alignment = (
                    WRAP
                    if kind == "row"
                    else Alignment(horizontal="center", vertical="center", wrap_text=True)
                )
                cell.font = Font(name="Times New Roman", size=11, bold=kind == "header")
                if kind == "header":
                    cell.fill = PatternFill("solid", fgColor="D9D9D9")
        row_no += 1
    for index, width in enumerate(spec["widths"], start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_bytes(path, buffer.getvalue(), stamp_of(spec))


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Column sets
# ---------------------------------------------------------------------------------------------

COLUMNS_000 = [
    ("№ п/п", "number"),
    ("Мероприятие", "text"),
    ("Сроки реализации", "schedule"),
    ("Показатель реализации", "indicator"),
    ("Результат", "result"),
    ("Исполнители", "executors"),
]
WIDTHS_6 = [1.3, 8.0, 3.2, 5.0, 4.7, 3.5]

# ---------------------------------------------------------------------------------------------
# 000 — Томская область, распоряжение ДОО ТО от 13.03.2023 № 352-р, приложение 1
# ---------------------------------------------------------------------------------------------

TITLE_000 = (
    "«Дорожная карта» по реализации региональной программы «Повышение качества образования в школах с "
    "низкими образовательными результатами обучающихся и/или в школах, функционирующих в неблагоприятных "
    "социальных условиях, на территории Томской области» на 2023 год"
)

BODY_000 = [
    section("Организационно-управленческая деятельность"),
    it(
        "1.",
        "Разработка и утверждение региональной программы и «дорожной карты» по повышению качества образования в школах с низкими образовательными результатами обучающихся (далее - ШНОР) и/или в школах, функционирующих в неблагоприятных социальных условиях (далее – ШНСУ)",
        "Январь-март 2023г.",
        indicator="Разработана региональная программа и «дорожная карта»",
        result="Распоряжение ДОО ТО",
        executors="ДОО ТО, ТОИПКРО",
    ),
    it(
        "2.",
        "Разработка критериев для проведения экспертизы муниципальных программ и «дорожных карт» по повышению качества образования в ШНОР и/или ШНСУ",
        "Март 2023г.",
        indicator="Разработаны критерии для проведения экспертизы муниципальных программ по работе со ШНОР",
        result="Приказ ТОИПКРО",
        executors="ТОИПКРО",
    ),
    it(
        "3.",
        "Разработка критериев для проведения мониторинга школьных программ ШНОР и/или ШНСУ",
        "Март-апрель 2023г.",
        indicator="Разработаны критерии для проведения мониторинга",
        result="Ссылка на документ на официальном сайте ТОИПКРО, раздел ШНОР",
        executors="ТОИПКРО",
    ),
    it(
        "4.",
        "Разработка требований к школьным программам по выходу из ШНОР и переходу в эффективный режим функционирования",
        "Апрель 2023г.",
        indicator="Разработаны требования",
        result="Требования",
        executors="ТОИПКРО",
    ),
    it(
        "5.",
        "Назначение и утверждение списка кураторов по работе со ШНОР и ШНСУ в 17 муниципалитетах на 2023 год",
        "Март 2023г.",
        indicator="Утвержден список кураторов",
        result="Распоряжение ДОО ТО",
        executors="ТОИПКРО, ДОО ТО",
    ),
    it(
        "6.",
        "Разработка анкеты для участников ШНОР",
        "Март 2023г.",
        indicator="Разработана анкета",
        result="Ссылка на анкету",
        executors="ТОИПКРО",
    ),
    it(
        "7.",
        "Вебинар для муниципальных координаторов",
        "Март 2023г.",
        indicator="Проведен вебинар",
        result="Письмо ТОИПКРО Список участников",
        executors="ТОИПКРО",
    ),
    it(
        "8.",
        "Вебинар для кураторов ШНОР",
        "Март 2023г.",
        indicator="Проведен вебинар",
        result="Письмо ТОИПКРО Список участников",
        executors="ТОИПКРО",
    ),
    it(
        "9.",
        "Разработка кураторами плана работы с ШНОР на 2023 год",
        "Апрель 2023г.",
        indicator="Разработан план работы кураторов с управленческими командами школ",
        result="План работы",
        executors="Кураторы ШНОР",
    ),
    it(
        "10.",
        "Разработка / корректировка и утверждение муниципальных программ и «дорожных карт» по повышению качества образования в ШНОР",
        "Апрель 2023г.",
        indicator="Скорректированы и утверждены муниципальные программы и «дорожные карты»",
        result="Приказ МОУО",
        executors="ДОО ТО, ТОИПКРО, МОУО",
    ),
    it(
        "11.",
        "Разработка школьных программ по повышению качества образования и переходу в эффективный режим функционирования",
        "Апрель 2023г.",
        indicator="Разработано/откорректировано 68 школьных программ",
        result="Школьная программа",
        executors="МОУО, кураторы, руководители ОО",
    ),
    it(
        "12.",
        "Разработка Методики определения ШНОР на региональном уровне",
        "Март-май 2023г.",
        indicator="Разработана методика определения ШНОР на региональном уровне",
        result="Методика",
        executors="ТОИПКРО, ДОО ТО",
    ),
    # Split by a page break in the published document: «…раздел» / «ШНОР на официальном сайте ТОИПКРО».
    it(
        "13.",
        "Информационное сопровождение ШНОР и ШНСУ",
        "Ежемесячно",
        indicator="Размещено не менее 2 новостей в месяц на официальных сайтах МОУО и образовательных организаций",
        result="Ссылка на новости о работе ШНОР на официальных сайтах МОУО и образовательных организаций, раздел",
        executors="ТОИПКРО, МОУО, кураторы, руководители ОО",
        split={"result": "ШНОР на официальном сайте ТОИПКРО"},
    ),
    it(
        "14.",
        "Создание и размещение на сайтах МОУО разделов по поддержке ШНОР",
        "В течение года",
        indicator="Созданы на официальных сайтах 17 МОУО информационные разделы/страницы, посвященные поддержке ШНОР",
        result="Ссылки на разделы официальных сайтов",
        executors="МОУО",
    ),
    section("Организационно-технологическая деятельность"),
    it(
        "15.",
        "Мониторинг (анкетирование) ШНОР",
        "Март 2023г.",
        indicator="Прохождение анкетирования школами",
        result="Письмо ТОИПКРО",
        executors="ТОИПКРО, кураторы, руководители ШНОР",
    ),
    it(
        "16.",
        "Диагностика профессиональных компетенций педагогических и управленческих команд ШНОР и ШНСУ для выявления профессиональных дефицитов",
        "Май 2023г.",
        indicator="Проведена диагностика для 68 педагогических и управленческих команд ШНОР и ШНСУ",
        result="Аналитическая справка с результатами диагностики педагогических и управленческих команд ШНОР и ШНСУ",
        executors="ТОИПКРО",
    ),
    it(
        "17.",
        "Разработка для педагогических и управленческих команд ШНОР и ШНСУ индивидуальных образовательных маршрутов (далее – ИОМ) на основании результатов диагностических процедур",
        "Июнь 2023г.",
        indicator="Разработаны, согласованы и утверждены ИОМ для педагогических и управленческих команд ШНОР и ШНСУ",
        result="Приказ ТОИПКРО",
        executors="ТОИПКРО",
    ),
    it(
        "18.",
        "Мониторинг школьных программ ШНОР",
        "Апрель 2023г.",
        indicator="Проведен мониторинг 68 школьных программ",
        result="Письмо ТОИПКРО",
        executors="МОУО, кураторы",
    ),
    it(
        "19.",
        "Экспертиза муниципальных программ по работе со ШНОР",
        "Апрель 2023г.",
        indicator="Проведено 17 экспертиз муниципальных программ ШНОР",
        result="Письмо ТОИПКРО, Протоколы экспертиз",
        executors="ТОИПКРО",
    ),
    it(
        "20.",
        "Организация проведения процедур оценки качества образования обучающихся (ВПР, ГИА и др.)",
        "В течение года",
        indicator="Участие 68 школ в процедурах оценки качества обучающихся",
        result="Письма, распоряжения ДОО ТО",
        executors="ТОИПКРО, ДОО ТО",
    ),
    section("Методическое сопровождение"),
    it(
        "21.",
        "Вебинар по проектированию муниципальных программ и «дорожных карт» по повышению качества образования в ШНОР",
        "Апрель 2023г.",
        indicator="Проведен вебинар",
        result="Письмо ТОИПКРО Список участников",
        executors="ТОИПКРО",
    ),
    it(
        "22.",
        "Организация и проведение кураторами 3 выездных проектных сессий по работе со ШНОР",
        "В течение года",
        indicator="Проведено по 3 выезда в 17 муниципалитетов",
        result="План работы",
        executors="МОУО, кураторы",
    ),
    it(
        "23.",
        "Организация и проведение 4 методических десантов для ШНОР «Организация работы со ШНОР для перехода школы в эффективный режим функционирования» (Зырянский, Кожевниковский, Верхнекетский, Томский районы)",
        "В течение года",
        indicator="Проведено 4 методических десанта в 4 муниципалитетах",
        result="Программы методических десантов",
        executors="ТОИПКРО",
    ),
    it(
        "24.",
        "Организация и проведение КПК «Организация работы со школами с низкими результатами обучения (ШНОР) для перехода школы в эффективный режим функционирования» (объем 16 ч.)",
        "20–21 апреля 2023г., октябрь 2023г.",
        indicator="Проведены КПК",
        result="Программа КПК, приказы о зачислении, о завершении",
        executors="ТОИПКРО",
    ),
    it(
        "25.",
        "Организация и проведение семинара «ШНОР: прокачай свою управленческую команду»",
        "Апрель 2023г.",
        indicator="Проведен семинар",
        result="Программа семинара, письмо ТОИПКРО, список участников, размещение записи (материалов) семинара на официальном сайте ТОИПКРО",
        executors="ТОИПКРО",
    ),
    it(
        "26.",
        "Выездной семинар для управленческих команд ШНОР",
        "Май 2023г.",
        indicator="Проведен выездной семинар",
        result="Программа семинара, информационное письмо, список участников",
        executors="ТОИПКРО",
    ),
    it(
        "27.",
        "Организация и проведение семинаров по работе с кураторами муниципалитетов и директорами ШНОР «Инструментарий УМ»",
        "Октябрь-ноябрь 2023г.",
        indicator="Проведено 2 семинара",
        result="Программа семинаров, информационные письма, списки участников",
        executors="ТОИПКРО",
    ),
    section("Аналитическая деятельность"),
    # Split by a page break in the published document, continuation «(анкетирования) | | аналитическая
    # справка по итогам анкетирования | | кураторы».
    it(
        "28.",
        "Анализ результатов мониторинга",
        "Март 2023г.",
        indicator="Сформирована",
        result="Аналитическая справка",
        executors="ТОИПКРО,",
        split={
            "text": "(анкетирования)",
            "indicator": "аналитическая справка по итогам анкетирования",
            "executors": "кураторы",
        },
    ),
    # Items 29–35: the text conversion has no «Результат» cell; the phrase goes to «Показатель».
    it(
        "29.",
        "Анализ результатов мониторинга качества образования в ШНОР",
        "Апрель 2023г.",
        indicator="Сформирована аналитическая справка по итогам результатов мониторинга школьных программ",
        executors="МОУО, кураторы",
    ),
    it(
        "30.",
        "Анализ результатов мониторинга текущей работы кураторов",
        "Декабрь 2023г.",
        indicator="Сформирована аналитическая справка кураторами ШНОР",
        executors="ТОИПКРО, МОУО, кураторы ШНОР",
    ),
    it(
        "31.",
        "Анализ результатов экспертизы муниципальных программ по работе со ШНОР",
        "Май 2023",
        indicator="Сформирована аналитическая справка по итогам 17 экспертиз муниципальных программ ШНОР",
        executors="ТОИПКРО",
    ),
    it(
        "32.",
        "Анализ результатов ГИА-2023",
        "Август - октябрь 2023г.",
        indicator="Сформирован аналитический отчет",
        executors="ТОИПКРО, МОУО",
    ),
    it(
        "33.",
        "Анализ результатов ВПР-2023",
        "Август - октябрь 2023г.",
        indicator="Сформирован аналитический отчет",
        executors="ТОИПКРО, МОУО",
    ),
    it(
        "34.",
        "Проведение анализа эффективности реализации школьных программ",
        "Декабрь 2023г.",
        indicator="Аналитические материалы",
        executors="Кураторы ШНОР, ТОИПКРО",
    ),
    it(
        "35.",
        "Проведение анализа эффективности принятых мер поддержки ШНОР и ШНСУ",
        "Декабрь 2023г.",
        indicator="Аналитические материалы",
        executors="ТОИПКРО",
    ),
]

SPEC_000 = {
    "file": "000-tomsk-shnor-2023.docx",
    "author": "ДОО ТО",
    "preamble": [
        (
            "Приложение 1 к распоряжению Департамента общего образования Томской области от 13.03.2023 № 352-р",
            "right",
        ),
        ("", ""),
        (TITLE_000, "center bold"),
    ],
    "title": TITLE_000,
    "period": ["2023-01-01", "2023-12-31"],
    "act": {
        "kind": "распоряжение",
        "number": "352-р",
        "date": "2023-03-13",
        "issuer": "Департамент общего образования Томской области",
    },
    "columns": COLUMNS_000,
    "widths": WIDTHS_6,
    "body": BODY_000,
}

# ---------------------------------------------------------------------------------------------
# 001 — «управление образования и науки области» (Тамбовская область), приказ 20.05.2020 № 1104
# ---------------------------------------------------------------------------------------------

NOTE_9_10 = "приказом управления образования от 18.02.2021 №362  дополнены п.п.9, 10"
NOTE_21 = "приказом управления образования от 18.02.2021 №362 в п.21 внесены изменения"
NOTE_27 = "приказом управления образования от 18.02.2021 №362 в п.27 внесены изменения"

BODY_001 = [
    section("Экспертно-аналитические и организационные  мероприятия"),
    it(
        "1.",
        "Целевой анализ результатов ЕГЭ,  ОГЭ, ВПР за 2018, 2019 гг. и формирование регионального перечня школ с низкими результатами (далее - образовательных организаций)",
        "Апрель\n2020",
        executors="Управление образования, ТОИПКРО, ЦЭ",
        result="Перечень образовательных организаций",
    ),
    it(
        "2.",
        "Установочная сессия с руководителями образовательных организаций, МОУО, муниципальных информационно-методических центров.",
        "Май\n2020",
        executors="Управление образования, ТОИПКРО, ЦЭ",
        result="Решение сессии",
    ),
    it(
        "3.",
        "Сбор и анализ контекстных данных об образовательных организациях (экспертная оценка):",
        "Май-август\n2020",
        result="Аналитические справки",
    ),
    sub("3.1. Анализ факторов формирования индекса социального благополучия школы", executors="ЦЭ, ТОИПКРО"),
    sub(
        "3.2. Состояние кадрового обеспечения и потенциала",
        executors="Управление образования (Н.Л.Полунина); ТОИПКРО",
    ),
    sub(
        "3.3. Содержание и реализация ООП (в том числе в части учебного плана, формируемой участниками образовательных отношений, внеурочной деятельности, программ воспитания)",
        executors="Управление образования (О.А.Ермакова); ТОИПКРО",
    ),
    sub(
        "3.4. Организация и эффективность внутришкольного контроля",
        executors="Управление образования (О.А.Ермакова); ТОИПКРО",
    ),
    sub("3.5. Организация и результативность методической работы", executors="ТОИПКРО"),
    sub(
        "3.6.  Стратегия формирования заявки на приобретение учебников и эффективность их использования",
        executors="ТОИПКРО",
    ),
    sub(
        '3.7. Эффективность использования материальных ресурсов образовательной организации, в том числе Центров образования цифрового и гуманитарного профилей "Точка роста"',
        executors="Управление образования\n(И.А.Панасина), ТОИПКРО",
    ),
    sub(
        "3.8. Обеспеченность образовательной деятельности электронными образовательными ресурсами, ИКТ и эффективность их использования",
        executors="Управление образования\n(Р.И.Кузьмин), ТОИПКРО",
    ),
    sub(
        "3.9. Результаты социально-психологического тестирования обучающихся",
        executors="Управление образования (Герасимова Л.Н.), ЦЭ,ТОИПКРО",
    ),
    sub(
        "3.10. Организация и результативность работы классных руководителей",
        executors="Управление образования (Герасимова Л.Н.), ТОИПКРО",
    ),
    it(
        "4.",
        "Формирование состава муниципальных рабочих групп и назначение кураторов от организаций - исполнителей",
        "Май\n2020",
        executors="Управление образования, ТОИПКРО, ЦЭ",
        result="Муниципальные рабочие группы; приказ о назначении кураторов",
    ),
    it(
        "5.",
        "Определение основных направлений и комплекса мер поддержки для каждой образовательной организации:",
    ),
    sub(
        '5.1. Круглый стол с экспертами "Результаты анализа контекстных данных об образовательных организациях"',
        "Август –сентябрь\n2020;\nдалее - ежегодно",
        executors="Управление образования (Е.В.Афонина, О.А.Ермакова),\nТОИПКРО\nЦЭ",
        result="Планы деятельности образовательных организаций на 2020/2021 учебный год",
    ),
    sub(
        "5.2. Предварительное формирование комплекса  мер поддержки для каждой образовательной организации и направление проекта программы помощи в образовательные организации"
    ),
    sub(
        "5.3. Проведение собеседований со школьными командами по согласованию планов деятельности по повышению качества подготовки обучающихся"
    ),
    it(
        "6.",
        "Формирование перечня опорных школ для последующего тьюторского сопровождения внедрения изменений в деятельность образовательных организаций (по предметам и направлениям)",
        "Сентябрь\n2020",
        executors="Управление образования, ТОИПКРО, ЦЭ",
        result="Перечень опорных школ",
    ),
    it(
        "7.",
        "Заключение соглашений между опорными школами и образовательными организациями по вопросам  взаимодействия в целях повышения качества образования",
        "Сентябрь 2020",
        executors="ТОИПКРО",
        result="Соглашения",
    ),
    it(
        "8.",
        "Формирование пула  наставников  для  учителей (по предметам)",
        "Август - сентябрь 2020",
        executors="ТОИПКРО, региональное УМО по общему образованию, опорные школы",
        result="Перечень педагогических работников",
    ),
    note(NOTE_9_10),
    it(
        "9.",
        "Организация взаимодействия наставников с педагогическими работниками и управленческими командами",
        "Март-апрель 2021",
        executors="Управление образования, ТОИПКРО",
        result="Заключение соглашения",
    ),
    it(
        "10.",
        "Анкетирование руководителей, педагогов, обучающихся, родителей (законных представителей) обучающихся с целью формирования рискового профиля школы",
        "Март-апрель 2021",
        executors="ТОИПКРО, ЦЭ",
        result="Сформированный рисковый профиль школы",
    ),
    section("Мониторинги и аналитические мероприятия "),
    it(
        "11.",
        "Организация взаимодействия с образовательными организациями в период проведения ВПР в 4-8 классах с целью обеспечения объективности результатов",
        "Сентябрь-октябрь\n2020\nДалее:\nапрель-май\n2021\n2022\n2023",
        executors="Управление образования,  ЦЭ, ОО, МОУО",
        result="План работы на период ВПР",
    ),
    it(
        "12.",
        "Анализ результатов ВПР, ОГЭ и ЕГЭ образовательных организаций и подготовка справок для образовательных организаций",
        "Октябрь 2020\nДалее:\nавгуст\n2021\n2022\n2023",
        executors="ЦЭ, ТОИПКРО",
        result="Аналитические отчеты для ОО",
    ),
    it("13.", "Использование результатов анализа ВПР, ОГЭ и ЕГЭ:"),
    sub(
        '11.1. Формирование списка обучающихся, входящих в "группу риска" по итогам ВПР 4-8 классов',
        "Октябрь 2020\nДалее:\nавгуст\n2021\n2022\n2023",
        executors="ЦЭ, ОО",
        result="Списки обучающихся",
    ),
    sub(
        "11.2. Формирование перечня филиалов, демонстрирующих низкие результаты более чем по 3 предметам ВПР в 5-8 классах",
        "Май-июнь, октябрь 2020\nДалее:\nавгуст\n2021\n2022\n2023",
        executors="ЦЭ, МОУО, ОО,ТОИПКРО",
        result="Перечни",
    ),
    sub(
        "11.3 Формирование перечня классов, демонстрирующих низкие результаты более чем по 3 предметам ВПР в 5-8 классах",
        "Октябрь 2020\nДалее:\nавгуст\n2021\n2022\n2023",
        executors="ЦЭ, МОУО, ОО, ТОИПКРО",
        result="Перечни",
    ),
    sub(
        "11.4. Формирование реестра учителей, демонстрирующих профессиональные дефициты по итогам ЕГЭ, ОГЭ, ВПР",
        "Октябрь 2020\nДалее:\nавгуст\n2021\n2022\n2023",
        executors="ЦЭ, ТОИПКРО",
        result="Перечни",
    ),
    sub(
        "11.5. Формирования перечня контролируемых элементов содержания, вызывающих затруднения у обучающихся",
        "Октябрь 2020\nДалее:\nавгуст-сентябрь\n2021\n2022\n2023",
        executors="ЦЭ, ТОИПКРО",
        result="Перечни",
    ),
    it(
        "14.",
        "Проведение педагогического аудита деятельности образовательных организаций с учетом новых данных о результатах оценочных процедур и изменений в условиях деятельности образовательной организации",
        "Октябрь 2020\nДалее:\nавгуст\n2021\n2022\n2023",
        executors="Управление образования, ЦЭ,\nОО, МОУО",
        result="Экспертные заключения\nпо направлениям аудита",
    ),
    it(
        "15.",
        "Проведение итоговой сессии для образовательных организаций, достигших положительной динамики по итогам деятельности за отчетный период",
        "сентябрь\n2021\n2022\n2023",
        executors="Управление образования, ЦЭ,\nОО, МОУО",
        result="Планы работы ОО по закреплению полученных достижений",
    ),
    it(
        "16.",
        "Проведение диагностики профессиональных затруднений  руководителей образовательных организаций",
        "Октябрь 2020\nДалее:\nсентябрь-октябрь\n2021\n2022\n2023",
        executors="ТОИПКРО",
        result="Планы индивидуальной работы с руководителями ОО",
    ),
    it(
        "17.",
        "Проведение исследования предметных и методических компетенций учителей",
        "Ноябрь- декабрь\n2020\nДалее:\nсентябрь-октябрь\n2021\n2022\n2023",
        executors="ТОИПКРО",
        result="Рекомендации по проектированию индивидуальных траекторий\nпрофессионального роста.\nКорректировка содержания программ ДПО и методических мероприятий",
    ),
    it(
        "18.",
        "Социально-психологическое исследование обучающихся",
        "Ежегодно  (сентябрь - ноябрь)",
        executors="Управление образования (Д.В.Трунов)",
        result="Аналитический отчет",
    ),
    it(
        "19.",
        "Мониторинг эффективности воспитательной деятельности в общеобразовательных организациях области",
        "Ежегодно (апрель - май)",
        executors="Управление образования (Д.В.Трунов)",
        result="Аналитический отчет",
    ),
    it(
        "20..",
        "Определение индекса социального благополучия школы",
        "Ежегодно (январь-февраль)",
        executors="ЦЭ, ТОИПКРО",
        result="Справка",
    ),
    note(NOTE_21),
    it(
        "21.",
        "Анализ динамики результатов оценочных процедур с целью определения эффективности реализуемых мероприятий поддержки образовательных организаций",
        "До 30 мая 2021\nдалее:\nежегодно",
        executors="Управление образования, ТОИПКРО, ЦЭ",
        result="Справка",
    ),
    it(
        "22.",
        "Проведение собеседований со школьными командами по итогам диагностики с целью промежуточной корректировки  планов деятельности",
        "До 20 июня\n2021\n2022\n2023",
        executors="Управление образования,  ЦЭ,ТОИПКРО, ОО, МОУО",
        result="Скорректированные планы деятельности",
    ),
    section("Повышение квалификации педагогов и руководителей  образовательных организаций"),
    it(
        "23.",
        "Разработка и реализация краткосрочных проблемно- ориентированных программ повышения квалификации для учителей, демонстрирующих дефицит базовых знаний предмета и дефициты в методике преподавания учебных предметов",
        "Ноябрь\n2020\nДалее:\nсентябрь-ноябрь\n2021\n2022\n2023",
        executors="ТОИПКРО",
        result="Программы курсов",
    ),
    it(
        "24.",
        "Разработка и реализация курсов повышения квалификации для учителей образовательных организаций по использованию современных образовательных технологий как ресурса повышения качества образования",
        "Февраль 2021\nДалее:\nноябрь-декабрь\n2021\n2022\n2023",
        executors="ТОИПКРО",
        result="Программы курсов",
    ),
    it(
        "25.",
        "Разработка и реализация индивидуальных планов профессионального развития педагогических работников",
        "До 15 декабря 2020\nДалее:\nоктябрь-ноябрь\n2021\n2022\n2023",
        executors="ТОИПКРО,\nОО",
        result="Индивидуальные планы профессионального роста",
    ),
    it(
        "26.",
        "Проведение курсов повышения квалификации для школьных команд образовательных организаций (руководитель, заместители руководителя, методисты) по реализации системы управления качеством образования с использованием результатов внешних оценочных процедур",
        "Ноябрь-декабрь\n2020\nДалее:\nоктябрь\n2021\n2022\n2023",
        executors="ТОИПКРО",
        result="Программа курсов",
    ),
    note(NOTE_27),
    it(
        "27.",
        "Проведение серии семинаров для муниципальных команд «Муниципальные механизмы управления качеством образования»",
        "Апрель 2021\nДалее:\nежегодно",
        executors="Управление образования, ТОИПКРО, ЦЭ",
        result="Методические рекомендации",
    ),
    section("Мероприятия по методическому сопровождению образовательных организаций"),
    it(
        "28.",
        "Проведение проектно-аналитических сессий для школьных команд по результатам ВПР, ОГЭ, ЕГЭ (по предметам)",
        "Ноябрь 2020\nДалее:\nсентябрь-октябрь\n2021\n2022\n2023",
        executors="ТОИПКРО, ЦЭ, региональное УМО по общему образованию, опорные школы",
        result="Методические рекомендации",
    ),
    it(
        "29.",
        'Функционирование «Методической школы» для школьных команд: "Организация образовательной деятельности в контексте анализа результатов ВПР, ОГЭ, ЕГЭ и других оценочных процедур" по отдельным направлениям:',
        "Постоянно",
    ),
    sub(
        "27.1. Особенности выполнения заданий ОГЭ, ЕГЭ, ВПР, вызывающих затруднения у обучающихся (по предметам)",
        "Октябрь-декабрь 2020\nДалее:\nежемесячно январь-апрель, сентябрь-декабрь\n2021\n2022\n2023",
        executors="ТОИПКРО, региональное УМО по общему образованию, опорные школы",
        result="Методические материалы",
    ),
    sub(
        "27.2. Формирование и развитие навыков функциональной грамотности у обучающихся",
        "Ноябрь-декабрь 2020\nДалее:\n1 раз в квартал\n2021\n2022\n2023",
        executors="ТОИПКРО, ЦЭ, опорные школы",
        result="Методические материалы",
    ),
    sub(
        "27.3. Организация эффективной системы внутришкольного контроля и оценки образовательных достижений",
        "Октябрь-ноябрь 2020\nДалее:\nНоябрь, март\n2021\n2022\n2023",
        executors="Управление образования, ТОИПКРО, региональное УМО по общему образованию, опорные школы",
        result="Методические материалы",
    ),
    sub(
        "27.4.Организация индивидуальной работы с обучающимися, испытывающими затруднения в освоении образовательной программы",
        "Октябрь-ноябрь 2020\nДалее:\nНе реже 1 раза в полугодие\n2021\n2022\n2023",
        executors="Управление образования, ТОИПКРО, региональное УМО по общему образованию, опорные школы",
        result="Методические материалы",
    ),
    sub(
        "27.5. Организация системы внутрифирменного повышения квалификации",
        "Не реже 1 раза в квартал\n2020\n2021\n2022\n2023",
        executors="ТОИПКРО, опорные школы, ОО",
        result="Методические материалы",
    ),
    it("30.", "Реализация мероприятий проекта «Эффективный урок»:"),
    sub(
        "28.1. Разработка методических рекомендаций по проведению и анализу современного урока в условиях ФГОС",
        "Июль-август 2020",
        executors="ТОИПКРО",
        result="Методические рекомендации",
    ),
    sub(
        "28.2. Проведение семинаров-практикумов для школьных команд по вопросам проектирования и анализа эффективности современного урока",
        "Сентябрь-октябрь 2020",
        executors="ТОИПКРО, региональное УМО по общему образованию, опорные школы",
        result="Программа семинара - практикума; рекомендации",
    ),
    sub(
        "28.3. Организация взаимопосещения уроков с проведением само- и взаимоанализа в образовательных организациях",
        "Октябрь-декабрь 2020\nДалее: постоянно в течение учебного года\n2021\n2022\n2023",
        executors="ОО",
        result="Материалы анализа уроков",
    ),
    sub(
        "28.4. Осуществление методических выездов в образовательные организации с посещением и анализом уроков",
        "В течение всего периода; по отдельному графику",
        executors="Управление образования, ТОИПКРО,\nМОУО, ОО, региональное УМО по общему образованию, опорные школы",
        result="Аналитические справки",
    ),
    sub(
        "28.5. Разработка Методических рекомендаций, направленных на предупреждение и преодоление типичных затруднений в рамках преподавания учебных предметов в образовательных организациях",
        "Июнь-август 2021",
        executors="ТОИПКРО,\nрегиональное УМО по общему образованию, опорные школы, ОО",
        result="Методические рекомендации, дидактические материалы",
    ),
    sub(
        "28.6. Проведение конкурса «Современный урок» для образовательных организаций",
        "Сентябрь-ноябрь 2021\nСентябрь-ноябрь\n2022",
        executors="Управление образования, ТОИПКРО,\nОО, региональное УМО по общему образованию",
        result="Приказ об итогах конкурса",
    ),
    sub(
        "28.7. Проведение образовательной сессии для школьных команд по методике проведения уроков и мастер-классов",
        "Ноябрь-декабрь 2021",
        executors="ТОИПКРО,\nОО, опорные школы",
        result="Решение сессии",
    ),
    sub(
        "28.8. Панорама лучших практик проведения учебных занятий педагогическими работниками образовательных организаций в рамках региональных и межмуниципальных мероприятий, стажировок",
        "2022\n2023",
        executors="ТОИПКРО, МОУО, ОО, опорные школы",
        result="Программы методических мероприятий, стажировок",
    ),
    it("31.", "Организация системы наставничества в образовательных организациях:"),
    sub(
        "29.1. Проведение семинара для педагогических и руководящих работников по организации системы наставничества.",
        "Октябрь-ноябрь 2020",
        executors="ТОИПКРО,\nопорные школы",
        result="Методические рекомендации",
    ),
    sub(
        "29.2. Закрепление учителей-наставников из опорных школ и организация их взаимодействия с учителями курируемых образовательных организаций",
        "Октябрь-декабрь 2020\nДалее:\nв течение года\n2021\n2022\n2023",
        executors="ТОИПКРО, МОУО, ОО, опорные школы",
        result="Планы работы по взаимодействию",
    ),
    sub(
        "29.3. Организация консультирования учителей-наставников по вопросам наставнической деятельности.",
        "Постоянно",
        executors="ТОИПКРО,\nопорные школы",
        result="Рекомендации",
    ),
    section("Организация работы с обучающимися"),
    it(
        "32.",
        "Организация на школьном, муниципальном и региональном уровнях системы разноуровневых интеллектуальных конкурсов (олимпиад, викторин, кейс-турниров и т.д.), создающих условия для мотивации к учебной деятельности обучающихся с разным уровнем мотивации и учебных достижений",
        "декабрь 2020 г.\nДалее:\nВ течение года\n2021\n2022\n2023",
        executors="Управление образования, ТОИПКРО,\nМОУО, ОО,\nопорные школы",
        result="Планы мероприятий",
    ),
    it(
        "33.",
        "Организация дистанционных консультационно-практических занятий с обучающимися по сложным вопросам образовательной программы",
        "По запросам образовательных организаций",
        executors="ТОИПКРО, региональное УМО по общему образованию,\nопорные школы",
        result="Справка",
    ),
    it(
        "34.",
        "Организация дистанционных консультаций-тренингов по выполнению отдельных видов заданий ЕГЭ с обучающимися, планирующими сдавать экзамен по соответствующим предметам",
        "По запросам образовательных организаций",
        executors="ТОИПКРО, региональное УМО по общему образованию,\nопорные школы",
        result="Справка",
    ),
    section("Мероприятия, реализуемые на постоянной основе"),
    it(
        "35.",
        "Проведение публичных мероприятий, направленных на профилактику нарушений законодательства в сфере образования",
        "По отдельному графику в течение всего периода",
        executors="Управление образования (Е.В.Афонина, О.А.Ермакова)",
        result="Программа профилактики",
    ),
    it(
        "36.",
        "Мониторинг реализации мероприятий Дорожной карты",
        "1 раз в 3 месяца",
        executors="Кураторы от организаций-исполнителей",
        result="Отчет",
    ),
    it(
        "37.",
        "Проведение самоанализа деятельности образовательных организаций по повышению качества образования (в т.ч. – самоанализа методической работы, внутрифирменного обучения, внутришкольного контроля)",
        "Май-июнь 2020\nДалее:\nЕжегодно до 1 сентября",
        executors="ОО, МОУО",
        result="Аналитические отчеты",
    ),
    it(
        "38.",
        "Проведение отчетных сессий руководителей ОО по работе над повышением качества общего образования",
        "Ежегодно\nдекабрь",
        executors="Управление образования, ТОИПКРО",
        result="Отчет",
    ),
    it(
        "39.",
        "Проведение проектировочных сессий «Школа роста» для школьных команд образовательных организаций",
        "Ежегодно\nянварь- февраль",
        executors="ТОИПКРО, опорные школы",
        result="Предварительные проекты планов деятельности на очередной учебный год",
    ),
    it(
        "40.",
        "Консультации по оказанию методической помощи руководителям и заместителям руководителей образовательных организаций (в том числе вновь назначенным на должность)",
        "Постоянно",
        executors="Управление образования,\nТОИПКРО\nЦЭ",
        result="Справка",
    ),
    it(
        "41.",
        "Проведение процедур внешней оценки качества образования по заявкам МОУО или ОО",
        "По мере поступления",
        executors="Управление образования,\nТОИПКРО,\nЦЭ",
        result="Аналитические отчеты,\nрекомендации",
    ),
    it(
        "42.",
        "Освещение хода реализации мероприятий Дорожной карты в СМИ, на сайтах организаций - исполнителей и сайтах образовательных организаций",
        "Постоянно",
        executors="Управление образования,\nТОИПКРО,\nЦЭ, ОО",
        result="Информ-релизы",
    ),
]

TITLE_001_LINES = [
    'План мероприятий ("Дорожная карта")',
    "по повышению качества общего образования в школах с низкими образовательными результатами",
    "на 2020-2023 г.г.",
]

SPEC_001 = {
    "file": "001-tambov-2020-2023.docx",
    "author": "Управление образования и науки области",
    "preamble": [
        ("Приложение", "right"),
        ("к приказу управления образования", "right"),
        ("и науки области", "right"),
        ("20.05.2020  № 1104", "right"),
        ("", ""),
        *[(line, "center bold") for line in TITLE_001_LINES],
        # Published wording. The amending order is 18.02.2021 №362 (see the notes in the table and
        # the manifest's revision); the document's own line says 18.02.2020 — kept as published.
        ("( в редакции от 18.02.2020 №362)", "center"),
    ],
    "title": " ".join(TITLE_001_LINES),
    "period": ["2020-01-01", "2023-12-31"],
    "act": {
        "kind": "приказ",
        "number": "1104",
        "date": "2020-05-20",
        "issuer": "Управление образования и науки области",
    },
    "columns": [
        ("№п/п", "number"),
        ("Мероприятие", "text"),
        ("Сроки", "schedule"),
        ("Ответственные", "executors"),
        ("Результат", "result"),
    ],
    "widths": [1.4, 10.5, 4.0, 5.5, 4.3],
    "body": BODY_001,
}

# ---------------------------------------------------------------------------------------------
# 002 — Томская область, распоряжение ДОО ТО от 27.10.2022 № 1789-р («Школа Минпросвещения России»)
# ---------------------------------------------------------------------------------------------

TITLE_002 = (
    "Региональная «дорожная карта» по сопровождению общеобразовательных организаций в муниципальных "
    "образованиях Томской области в рамках реализации проекта «Школа Минпросвещения России» на 2022-2024 гг."
)
MOUO = "Муниципальные органы, осуществляющие управление в сфере общего образования"
SCHOOLS = "Общеобразовательные организации Томской области - участники Проекта"
PROJECT = "«Школа Минпросвещения России»"

BODY_002 = [
    section(
        f"Организационное сопровождение общеобразовательных организаций в рамках реализации проекта {PROJECT}"
    ),
    it(
        "1.",
        "Определение на региональном уровне организации-оператора Проекта",
        "август 2022",
        executors="Департамент образования Томской области",
        result="Распоряжение ДОО ТО",
    ),
    it(
        "2.",
        "Определение списка общеобразовательных организаций – участников внедрения Проекта",
        "ежегодно",
        executors="Департамент образования Томской области",
        result="Распоряжение ДОО ТО",
    ),
    it(
        "3.",
        "Формирование (актуализация) базы данных муниципальных координаторов по сопровождению Проекта на территории Томской области",
        "формирование - ноябрь 2022 актуализация - ежегодно",
        executors=f"ТОИПКРО {MOUO}",
        result="Информационное письмо ТОИПКРО, база данных муниципальных координаторов",
    ),
    it(
        "4.",
        "Анализ результатов самодиагностики образовательных организаций",
        "ежегодно",
        executors="Департамент образования Томской области ТОИПКРО",
        result="Аналитическая справка ДОО ТО по результатам самодиагностики ОО",
    ),
    it(
        "5.",
        "Разработка (модернизация) региональной «дорожной карты» по сопровождению образовательных организаций в рамках реализации Проекта",
        "1 раз в год",
        executors="Департамент образования Томской области ТОИПКРО",
        result="Распоряжение ДОО ТО",
    ),
    # Continuation line «8 направлений (треков) Проекта | | ТОИПКРО» joined in.
    it(
        "6.",
        "Организация обсуждения Проекта на различных методических площадках с рассмотрением особенностей каждого из 8 направлений (треков) Проекта",
        "регулярно",
        executors="Департамент образования Томской области ТОИПКРО",
        result="Информационное письмо ТОИПКРО",
    ),
    it(
        "7.",
        "Обновление содержания программ курсов повышения квалификации педагогических и управленческих команд по всем направлениям деятельности образовательной организации с учетом поставленных в Проекте задач",
        "в течение года",
        executors="ТОИПКРО",
        result="Модуль а КПК по информированию о Проекте",
    ),
    it(
        "8.",
        f"Координация работы муниципальных органов, осуществляющих управление в сфере общего образования, в организации деятельности по проведению самодиагностики, анализа результатов самодиагностики результатов образовательных результатов ОО и определения уровня соответствия ОО Модели {PROJECT}: базовый, средний и полный.",
        "ежегодно",
        executors="Департамент образования области ТОИПКРО",
        result="Информационное письмо ТОИПКРО",
    ),
    it(
        "9.",
        f"Организация и проведение в общеобразовательных организациях муниципалитета самодиагностики, анализа результатов самодиагностики и определения уровня соответствия ОО Модели {PROJECT}: базовый, средний и полный",
        "ежегодно",
        executors="Муниципальные органы, осуществляющие управление в сфере образования",
        result="Приказ муниципального органа, осуществляющего управление в сфере общего образования, аналитическая справка МОУО по результатам самодиагностики общеобразовательных организаций муниципалитета",
    ),
    # Text continuation joined; the stray «муниципалитета» of the conversion dropped; the rest of the
    # continuation line (ежегодно / ДОО ТОИПКРО / информационное письмо) belongs to item 11.
    it(
        "10.",
        f"Организация и проведение самодиагностики, анализа результатов самодиагностики общеобразовательными организациями и определение уровня соответствия общеобразовательных организаций Модели {PROJECT}: базовый, средний и полный",
        "ежегодно",
        executors="Общеобразовательные организации Томской области – участники Проекта",
        result="Приказ и аналитическая справка общеобразовательной организации",
    ),
    # Items 11–13: «Ответственные» / «Результат» moved up one row (see the module docstring).
    it(
        "11.",
        f"Координация работы муниципальных органов, осуществляющих управление в сфере общего образования, в организации разработки (модернизации) муниципальной «дорожной карты» по сопровождению, оказанию адресной поддержки общеобразовательным организациям в рамках реализации проекта {PROJECT}",
        "ежегодно",
        executors="Департамент образования области ТОИПКРО",
        result="Информационное письмо ТОИПКРО",
    ),
    it(
        "12.",
        f"Разработка (модернизация) муниципальными органами, осуществляющими управление в сфере общего образования, муниципальной «дорожной карты» по сопровождению, оказанию адресной поддержки общеобразовательных организаций в рамках реализации проекта {PROJECT}",
        "ежегодно",
        executors=f"{MOUO} Общеобразовательные организации",
        result="Муниципальная «дорожная карта»",
    ),
    # «<p>самодиагностики</p>» of the conversion ends item 13.
    it(
        "13.",
        "Разработка (актуализация) общеобразовательными организациями Программы развития ОО, направленной на повышение качества условий организации образовательной деятельности, на основе дефицитов, выявленных по итогам проведенной самодиагностики",
        "ежегодно",
        executors=SCHOOLS,
        result="Приказ общеобразовательной организации, Программа общеобразовательной организации",
    ),
    # Glued into item 13's cell in the conversion («<p>14. Привлечение …</p>»), HTML removed.
    it(
        "14.",
        "Привлечение к реализации программы развития ОО родительской ответственности, детского движения школьников, попечительских и управляющих советов общеобразовательной организации, профессиональных педагогических ассоциаций, организаций дополнительного образования, СПО, профессиональные сообщества и т.д.",
        "ежегодно",
        executors=SCHOOLS,
        result="Соглашения о сотрудничестве, договоры о сетевом взаимодействии",
    ),
    # HTML removed; the fragment «общего Томской» put back into «Департамент общего образования Томской области».
    it(
        "15.",
        f"Координация работы муниципальных органов, осуществляющих управление в сфере общего образования, по разработке системы поддержки директоров и педагогических коллективов общеобразовательных организаций в условиях реализации проекта {PROJECT}.",
        "ежегодно",
        executors="Департамент общего образования Томской области ТОИПКРО",
        result="Информационное письмо ТОИПКРО",
    ),
    # HTML removed.
    it(
        "16.",
        f"Разработка (модернизация) системы организационно-методической поддержки директоров и педагогических коллективов общеобразовательных организаций в условиях реализации проекта {PROJECT}.",
        "ежегодно",
        executors="Муниципальные органы, осуществляющие управление в сфере образования Общеобразовательные организации",
        result=f"Приказ муниципального органа, осуществляющего управление в сфере общего образования, План мероприятий организационно-методической поддержки директоров и педагогических коллективов общеобразовательных организаций в условиях реализации проекта {PROJECT}.",
    ),
    it(
        "17.",
        f"Оказание содействия в выстраивании в рамках реализации проекта {PROJECT} сетевого взаимодействия организаций образования муниципального образования дополнительного образования, библиотеки, музея, СПО, местные профессиональные сообщества и т.д.)",
        "ежегодно",
        executors=f"{MOUO} Общественные организации",
        result="Соглашения о сотрудничестве, сетевые договоры",
    ),
    section(
        f"Методическое сопровождение общеобразовательных организаций в рамках реализации проекта {PROJECT}"
    ),
    it(
        "18.",
        f"Координация работы муниципальных органов, осуществляющих управление в сфере общего образования, по обеспечению методической поддержкой управленческих команд в рамках апробации и реализации проекта {PROJECT}",
        "январь (ежегодно)",
        executors="Департамент общего образования Томской области ТОИПКРО",
        result=f"План региональных мероприятий по обеспечению методической поддержкой управленческих команд общеобразовательных организаций – участников проекта {PROJECT} (Информационное письмо ТОИПКРО)",
    ),
    it(
        "19.",
        f"Обеспечение участия управленческих команд в региональных мероприятиях по обеспечению методической поддержкой управленческих команд, оказание методической поддержки командам управленческим общеобразовательных организаций на территории муниципалитета, участвующим в реализации проекта {PROJECT}",
        "январь (ежегодно)",
        executors=f"{MOUO} Общественные организации",
        result=f"План муниципальных мероприятий по обеспечению методической поддержкой управленческих команд общеобразовательных организаций – участников проекта {PROJECT} (Приказ МОУО)",
    ),
    # Continuation line joined; the repeated «организации» in «Ответственные» dropped.
    it(
        "20.",
        f"Обеспечение методической поддержкой педагогических работников в рамках реализации проекта {PROJECT}",
        "в течение года",
        executors="Общественные организации",
        result="План методической работы образовательной организации (Приказ ОО)",
    ),
    section(
        f"Информационное обеспечение общеобразовательных организаций в рамках реализации проекта {PROJECT}"
    ),
    it(
        "21.",
        f"Обеспечение информационного сопровождения проекта {PROJECT} на территории Томской области",
        "в течение года",
        executors="Департамент образования Томской области, ТОИПКРО",
        result=f"Информационные страницы о реализации проекта {PROJECT} на сайтах Департамента общего образования Томской области, ТОИПКРО, в социальных сетях",
    ),
    it(
        "22.",
        "Обеспечение информационной работы с родительской и иной общественностью, профессиональными педагогическими сообществами на территории муниципального образования",
        "в течение года",
        executors=MOUO,
        result="Размещение информации о реализации проекта на территории муниципалитета на сайте МОУО, в социальных сетях",
    ),
    it(
        "23.",
        "Обеспечение информационной работы с родительской общественностью, с попечительскими/управляющими советами общеобразовательной организации, педагогическими работниками, обучающимися общеобразовательной организации о ходе реализации проекта в общеобразовательной организации",
        "в течение года",
        executors="Общеобразовательная организация",
        result="Размещение информации о мероприятиях в рамках реализации проекта на сайте общеобразовательной организаций, в социальных сетях",
    ),
]

SPEC_002 = {
    "file": "002-tomsk-minpros-2022-2024.xlsx",
    "author": "ТОИПКРО",
    "sheet": "Дорожная карта 2022-2024",
    "sheet_preamble": [
        (
            "Приложение к распоряжению Департамента общего образования Томской области от 27.10.2022 № 1789-р",
            "merge right",
            1,
        ),
        (TITLE_002, "merge center bold", 2),
        ("", "", 1),
    ],
    "title": TITLE_002,
    "period": ["2022-01-01", "2024-12-31"],
    "act": {
        "kind": "распоряжение",
        "number": "1789-р",
        "date": "2022-10-27",
        "issuer": "Департамент общего образования Томской области",
    },
    "columns": [
        ("№ п/п", "number"),
        ("Мероприятия", "text"),
        ("Сроки исполнения", "schedule"),
        ("Ответственные", "executors"),
        ("Результат", "result"),
    ],
    "widths": [8, 70, 18, 38, 50],
    "body": BODY_002,
}

# ---------------------------------------------------------------------------------------------
# 070 — муниципальная «дорожная карта» Зырянского района на 2023 год (demo, implements 000)
# ---------------------------------------------------------------------------------------------

UO_ZYR = "УО Зырянского района"
TITLE_070 = (
    "Муниципальный план мероприятий («дорожная карта») по повышению качества образования в школах с низкими "
    "образовательными результатами обучающихся и/или в школах, функционирующих в неблагоприятных социальных "
    "условиях, Зырянского района Томской области на 2023 год"
)

BODY_070 = [
    section("Организационно-управленческая деятельность"),
    it(
        "1.",
        "Назначение муниципального координатора по работе со ШНОР и ШНСУ Зырянского района",
        "Апрель 2023г.",
        indicator="Назначен муниципальный координатор",
        result=f"Приказ {UO_ZYR}",
        executors=UO_ZYR,
    ),
    it(
        "2.",
        "Корректировка и утверждение муниципальной программы и «дорожной карты» по повышению качества образования в ШНОР и ШНСУ на 2023 год",
        "Апрель 2023г.",
        indicator="Утверждены муниципальная программа и «дорожная карта»",
        result=f"Приказ {UO_ZYR}",
        executors=f"{UO_ZYR}, ТОИПКРО",
    ),
    it(
        "3.",
        "Направление муниципальной программы по работе со ШНОР на экспертизу в ТОИПКРО",
        "До 28 апреля 2023г.",
        indicator="Программа направлена на экспертизу",
        result=f"Письмо {UO_ZYR}",
        executors=UO_ZYR,
    ),
    it(
        "4.",
        "Согласование школьных программ перехода в эффективный режим функционирования МБОУ «Чердатская СОШ» и МБОУ «Михайловская СОШ»",
        "Май-июнь 2023",
        indicator="Согласовано 2 школьные программы",
        result="Лист согласования, приказы ОО",
        executors=f"{UO_ZYR}, руководители ОО, кураторы ШНОР",
    ),
    it(
        "5.",
        "Ведение на официальном сайте УО Зырянского района раздела «Поддержка ШНОР и ШНСУ»",
        "Ежемесячно",
        indicator="Размещено не менее 2 новостей в месяц",
        result="Ссылка на раздел официального сайта",
        executors=f"{UO_ZYR}, руководители ОО",
    ),
    section("Организационно-технологическая деятельность"),
    it(
        "6.",
        "Участие ШНОР и ШНСУ района в региональном мониторинге (анкетировании)",
        "Апрель 2023г.",
        indicator="Анкетирование прошли 2 школы",
        result="Письмо ТОИПКРО",
        executors="руководители ОО, кураторы ШНОР",
    ),
    it(
        "7.",
        "Организация участия педагогических и управленческих команд ШНОР и ШНСУ в диагностике профессиональных компетенций",
        "Май 2023г.",
        indicator="Диагностику прошли не менее 80% педагогов",
        result="Аналитическая справка",
        executors=f"{UO_ZYR}, ОО, ТОИПКРО",
    ),
    it(
        "8.",
        "Обеспечение объективности проведения ВПР и ГИА в ШНОР и ШНСУ (общественное наблюдение, перекрестная проверка)",
        "В течение года",
        indicator="Направлены общественные наблюдатели в 2 ОО",
        result=f"Приказ {UO_ZYR}",
        executors=f"{UO_ZYR}, ОО",
    ),
    it(
        "9.",
        "Мониторинг выполнения школьных «дорожных карт» ШНОР и ШНСУ",
        "Ежеквартально",
        indicator="Проведено 4 мониторинга",
        result="Справка по итогам мониторинга",
        executors=f"{UO_ZYR}, кураторы ШНОР",
    ),
    section("Методическое сопровождение и аналитическая деятельность"),
    it(
        "10.",
        "Участие управленческих команд ШНОР в методическом десанте ТОИПКРО «Организация работы со ШНОР для перехода школы в эффективный режим функционирования»",
        "Май 2023г.",
        indicator="Приняли участие 2 управленческие команды",
        result="Программа десанта, список участников",
        executors=f"ТОИПКРО, {UO_ZYR}",
    ),
    it(
        "11.",
        "Организация обучения педагогов ШНОР и ШНСУ на КПК ТОИПКРО по работе со школами с низкими результатами обучения",
        "В течение года",
        indicator="Прошли обучение не менее 6 педагогов",
        result="Удостоверения о повышении квалификации",
        executors=f"{UO_ZYR}, руководители ОО",
    ),
    it(
        "12.",
        "Муниципальный семинар для управленческих команд «Внутренняя система оценки качества образования в ШНОР»",
        "Октябрь 2023г.",
        indicator="Проведен семинар",
        result="Программа семинара, список участников",
        executors=f"{UO_ZYR}, ТОИПКРО",
    ),
    it(
        "13.",
        "Анализ результатов ВПР-2023 и ГИА-2023 в ШНОР и ШНСУ района",
        "Август - октябрь 2023г.",
        indicator="Сформирован аналитический отчет",
        result="Аналитический отчет",
        executors=f"{UO_ZYR}, ОО",
    ),
    it(
        "14.",
        "Анализ эффективности реализации муниципальной программы и «дорожной карты» за 2023 год",
        "До 20 декабря 2023",
        indicator="Сформирована аналитическая справка",
        result=f"Аналитическая справка, приказ {UO_ZYR}",
        executors=f"{UO_ZYR}, кураторы ШНОР",
    ),
]

SPEC_070 = {
    "file": "070-zyryansky-municipal-2023.docx",
    "author": "Отдел образования Администрации Зырянского района",
    "preamble": [
        (
            "Приложение к приказу Отдела образования Администрации Зырянского района от 14.04.2023 № 112",
            "right",
        ),
        ("", ""),
        (TITLE_070, "center bold"),
    ],
    "title": TITLE_070,
    "period": ["2023-01-01", "2023-12-31"],
    "act": {
        "kind": "приказ",
        "number": "112",
        "date": "2023-04-14",
        "issuer": "Отдел образования Администрации Зырянского района",
    },
    "columns": COLUMNS_000,
    "widths": WIDTHS_6,
    "body": BODY_070,
}

# ---------------------------------------------------------------------------------------------
# 071 — школьная «дорожная карта» МБОУ «Чердатская СОШ» на 2023 год (demo, implements 070)
# ---------------------------------------------------------------------------------------------

ZAM = "Заместитель директора по УВР"
TITLE_071 = (
    "«Дорожная карта» по реализации программы перехода МБОУ «Чердатская СОШ» в эффективный режим "
    "функционирования на 2023 год"
)

BODY_071 = [
    section("Управленческие мероприятия"),
    it(
        "1.",
        "Корректировка и утверждение школьной программы перехода в эффективный режим функционирования и «дорожной карты» на 2023 год",
        "Апрель 2023г.",
        indicator="Программа и «дорожная карта» утверждены",
        result="Приказ по школе, программа",
        executors="Директор",
    ),
    it("2.", "Анализ результатов ВПР и ГИА 2022 года:", "Апрель 2023г.", executors=ZAM),
    sub(
        "2.1. Выявление обучающихся «группы риска» по итогам ВПР",
        "Апрель 2023г.",
        indicator="Сформирован список обучающихся",
        result="Список обучающихся «группы риска»",
        executors=f"{ZAM}, классные руководители",
    ),
    sub(
        "2.2. Определение предметов с устойчиво низкими результатами",
        "Апрель 2023г.",
        indicator="Определено не менее 2 предметов",
        result="Аналитическая справка",
        executors="Руководители ШМО",
    ),
    it(
        "3.",
        "Корректировка положения о внутренней системе оценки качества образования с учетом рекомендаций куратора",
        "Май-июнь 2023",
        indicator="Положение о ВСОКО обновлено",
        result="Приказ, положение о ВСОКО",
        executors=ZAM,
    ),
    it(
        "4.",
        "Размещение информации о реализации программы на официальном сайте школы",
        "Ежемесячно",
        indicator="Не менее 2 новостей в месяц",
        result="Ссылка на раздел сайта",
        executors="Ответственный за сайт",
    ),
    section("Работа с педагогическими кадрами"),
    it(
        "5.",
        "Прохождение педагогами диагностики профессиональных компетенций",
        "Май 2023г.",
        indicator="Диагностику прошли 100% педагогов",
        result="Результаты диагностики",
        executors=ZAM,
    ),
    it(
        "6.",
        "Разработка индивидуальных образовательных маршрутов педагогов по итогам диагностики",
        "Июнь 2023г.",
        indicator="Разработано 12 ИОМ",
        result="ИОМ педагогов",
        executors=f"{ZAM}, кураторы ШНОР",
    ),
    it(
        "7.",
        "Обучение педагогов на курсах повышения квалификации ТОИПКРО",
        "В течение года",
        indicator="Прошли обучение не менее 5 педагогов",
        result="Удостоверения о повышении квалификации",
        executors="Директор",
    ),
    it(
        "8.",
        "Взаимопосещение уроков с последующим анализом",
        "Ежеквартально",
        indicator="Не менее 12 посещенных уроков за квартал",
        result="Листы анализа уроков",
        executors="Руководители ШМО",
    ),
    section("Работа с обучающимися и родителями"),
    it(
        "9.",
        "Индивидуальные консультации для обучающихся «группы риска» по подготовке к ГИА",
        "Ежемесячно",
        indicator="Консультации проводятся по графику",
        result="График консультаций, журнал учета",
        executors="Учителя-предметники",
    ),
    it(
        "10.",
        "Родительские собрания по результатам ВПР и подготовке к ГИА",
        "Апрель 2023г., октябрь 2023г.",
        indicator="Проведено 2 собрания",
        result="Протоколы собраний",
        executors="Классные руководители",
    ),
    it(
        "11.",
        "Мониторинг выполнения школьной «дорожной карты» и отчет куратору",
        "Ежеквартально",
        indicator="Представлено 4 отчета",
        result="Отчет",
        executors="Директор, кураторы ШНОР",
    ),
    it(
        "12.",
        "Анализ эффективности реализации школьной программы за 2023 год",
        "До 20 декабря 2023",
        indicator="Сформирована аналитическая справка",
        result="Аналитическая справка, протокол педагогического совета",
        executors=f"Директор, {ZAM}",
    ),
]

SPEC_071 = {
    "file": "071-cherdaty-school-2023.docx",
    "author": "МБОУ «Чердатская СОШ»",
    "preamble": [
        ("Приложение к приказу МБОУ «Чердатская СОШ» от 20.04.2023 № 45-о", "right"),
        ("", ""),
        (TITLE_071, "center bold"),
    ],
    "title": TITLE_071,
    "period": ["2023-01-01", "2023-12-31"],
    "act": {"kind": "приказ", "number": "45-о", "date": "2023-04-20", "issuer": "МБОУ «Чердатская СОШ»"},
    "columns": [
        ("№ п/п", "number"),
        ("Мероприятие", "text"),
        ("Сроки", "schedule"),
        ("Показатель", "indicator"),
        ("Результат", "result"),
        ("Ответственные", "executors"),
    ],
    "widths": WIDTHS_6,
    "body": BODY_071,
}

# ---------------------------------------------------------------------------------------------
# 072 — программа («дорожная карта») МАОУ СОШ № 44 г. Томска на 2023 год (demo, implements 000)
# ---------------------------------------------------------------------------------------------

TITLE_072 = "Программа повышения качества образования («дорожная карта») МАОУ СОШ № 44 г. Томска на 2023 год"

BODY_072 = [
    section("Управленческие меры"),
    it(
        "1.",
        "Утверждение школьной программы повышения качества образования и перехода в эффективный режим функционирования",
        "Апрель 2023г.",
        indicator="Программа утверждена",
        result="Приказ МАОУ СОШ № 44",
        executors="Директор",
    ),
    it(
        "2.",
        "Создание рабочей группы по реализации программы",
        "Апрель 2023г.",
        indicator="Создана рабочая группа из 7 человек",
        result="Приказ о рабочей группе",
        executors="Директор",
    ),
    it(
        "3.",
        "Анализ результатов ВПР-2023 по предметам и параллелям",
        "Май-июнь 2023",
        indicator="Проведен анализ по 6 предметам",
        result="Аналитическая справка",
        executors=ZAM,
    ),
    it(
        "4.",
        "Участие в региональном мониторинге (анкетировании) ШНОР",
        "По графику ТОИПКРО",
        indicator="Анкета заполнена",
        result="Письмо ТОИПКРО",
        executors="Директор, кураторы ШНОР",
    ),
    section("Работа с педагогами"),
    it(
        "5.",
        "Методические семинары для педагогов по формированию функциональной грамотности обучающихся",
        "Ежеквартально",
        indicator="Проведено 4 семинара",
        result="Планы семинаров, листы регистрации",
        executors="Заместитель директора по НМР",
    ),
    it(
        "6.",
        "Повышение квалификации педагогов по программам ТОИПКРО для ШНОР",
        "В течение года",
        indicator="Обучено не менее 10 педагогов",
        result="Удостоверения о повышении квалификации",
        executors=ZAM,
    ),
    it(
        "7.",
        "Организация наставничества для молодых педагогов",
        "В течение года",
        indicator="Закреплены наставники за 5 молодыми педагогами",
        result="Приказ о наставничестве, планы работы пар",
        executors="Заместитель директора по НМР",
    ),
    section("Работа с обучающимися и родителями"),
    it(
        "8.",
        "Дополнительные занятия для обучающихся с трудностями в обучении по математике и русскому языку",
        "Еженедельно",
        indicator="Занятия посещают не менее 30 обучающихся",
        result="Расписание занятий, журналы",
        executors="Учителя-предметники",
    ),
    it(
        "9.",
        "Психолого-педагогическое сопровождение обучающихся «группы риска»",
        "Ежемесячно",
        indicator="Проведено не менее 9 консультаций",
        result="Журнал консультаций педагога-психолога",
        executors="Педагог-психолог",
    ),
    it(
        "10.",
        "Информирование родителей о ходе реализации программы на сайте школы и в родительских чатах",
        "Ежемесячно",
        indicator="Не менее 2 публикаций в месяц",
        result="Ссылки на публикации",
        executors="Заместитель директора по ВР",
    ),
    it(
        "11.",
        "Отчет о ходе реализации программы куратору ШНОР и в МАУ ИМЦ",
        "Ежеквартально",
        indicator="Представлено 4 отчета",
        result="Отчет",
        executors=ZAM,
    ),
    it(
        "12.",
        "Анализ эффективности реализации программы за 2023 год",
        "До 20 декабря 2023",
        indicator="Сформирована аналитическая справка",
        result="Аналитическая справка, выступление на педагогическом совете",
        executors=f"Директор, {ZAM}",
    ),
]

SPEC_072 = {
    "file": "072-tomsk-school44-2023.xlsx",
    "author": "МАОУ СОШ № 44 г. Томска",
    "sheet": "Программа 2023",
    "sheet_preamble": [
        ("УТВЕРЖДЕНА", "merge right", 1),
        ("приказом МАОУ СОШ № 44 от 24.04.2023 № 120", "merge right", 1),
        (TITLE_072, "merge center bold", 1),
        ("", "", 1),
    ],
    "title": TITLE_072,
    "period": ["2023-01-01", "2023-12-31"],
    "act": {"kind": "приказ", "number": "120", "date": "2023-04-24", "issuer": "МАОУ СОШ № 44"},
    "columns": [
        ("№ п/п", "number"),
        ("Мероприятия", "text"),
        ("Срок исполнения", "schedule"),
        ("Показатель реализации", "indicator"),
        ("Ожидаемый результат", "result"),
        ("Ответственные", "executors"),
    ],
    "widths": [8, 55, 18, 34, 36, 28],
    "body": BODY_072,
}

ROADMAPS = [
    (SPEC_000, "000", {"region": "70", "level": "regional", "owner": "ДОО ТО", "parent_file": None}),
    (
        SPEC_001,
        "001",
        {"region": "68", "level": "regional", "owner": "Управление образования", "parent_file": None},
    ),
    (SPEC_002, "002", {"region": "70", "level": "regional", "owner": "ДОО ТО", "parent_file": None}),
    (
        SPEC_070,
        "070",
        {"region": "70", "level": "municipal", "owner": UO_ZYR, "parent_file": SPEC_000["file"]},
    ),
    (
        SPEC_071,
        "071",
        {
            "region": "70",
            "level": "school",
            "owner": "МБОУ «Чердатская СОШ»",
            "parent_file": SPEC_070["file"],
        },
    ),
    (
        SPEC_072,
        "072",
        {
            "region": "70",
            "level": "school",
            "owner": "МАОУ СОШ № 44 г. Томска",
            "parent_file": SPEC_000["file"],
        },
    ),
]

REVISIONS = {
    "001": [
        {
            "kind": "приказ",
            "number": "362",
            "date": "2021-02-18",
            "issuer": "Управление образования и науки области",
            "summary": "дополнены п.п. 9, 10; изменены п.п. 21, 27",
            "added_items": ["9.", "10."],
            "changed_items": ["21.", "27."],
        }
    ]
}

# ---------------------------------------------------------------------------------------------
# Awkward documents for importer tests
# ---------------------------------------------------------------------------------------------

TITLE_ASINO = (
    "ПЛАН МЕРОПРИЯТИЙ («ДОРОЖНАЯ КАРТА») по повышению качества образования в школах с низкими "
    "образовательными результатами обучающихся Асиновского района на 2023 год"
)
AWK_TITLE_ROWS = {
    "file": "awkward/title-rows-and-missing-column.xlsx",
    "author": "УО Асиновского района",
    "sheet": "Лист1",
    # Six title rows in column A, not merged; no «Показатель» column.
    "sheet_preamble": [
        ("Приложение", "", 1),
        ("к приказу Управления образования Администрации Асиновского района", "", 1),
        ("от 10.04.2023 № 201", "", 1),
        ("ПЛАН МЕРОПРИЯТИЙ («ДОРОЖНАЯ КАРТА»)", "bold", 1),
        (
            "по повышению качества образования в школах с низкими образовательными результатами обучающихся",
            "bold",
            1,
        ),
        ("Асиновского района на 2023 год", "bold", 1),
    ],
    "title": TITLE_ASINO,
    "period": ["2023-01-01", "2023-12-31"],
    "act": {
        "kind": "приказ",
        "number": "201",
        "date": "2023-04-10",
        "issuer": "Управление образования Администрации Асиновского района",
    },
    "columns": [
        ("№ п/п", "number"),
        ("Мероприятие", "text"),
        ("Сроки реализации", "schedule"),
        ("Результат", "result"),
        ("Исполнители", "executors"),
    ],
    "widths": [8, 60, 20, 40, 30],
    "body": [
        it(
            "1.",
            "Утверждение муниципальной «дорожной карты» по работе со ШНОР на 2023 год",
            "Апрель 2023г.",
            result="Приказ МОУО",
            executors="УО Асиновского района",
        ),
        it(
            "2.",
            "Согласование школьных программ МАОУ «СОШ с. Ново-Кусково» и МБОУ «СОШ с. Батурино»",
            "Май 2023г.",
            result="Лист согласования",
            executors="УО Асиновского района, руководители ОО",
        ),
        it(
            "3.",
            "Мониторинг выполнения школьных «дорожных карт»",
            "Ежеквартально",
            result="Справка по итогам мониторинга",
            executors="УО Асиновского района, кураторы ШНОР",
        ),
        it(
            "4.",
            "Участие педагогов ШНОР в КПК ТОИПКРО",
            "В течение года",
            result="Удостоверения о повышении квалификации",
            executors="ОО",
        ),
        it(
            "5.",
            "Анализ эффективности реализации муниципальной «дорожной карты»",
            "До 20 декабря 2023",
            result="Аналитическая справка",
            executors="УО Асиновского района",
        ),
    ],
}

TITLE_URTAM = "План мероприятий («дорожная карта») по переходу МБОУ «Уртамская СОШ» в эффективный режим функционирования на 2023 год"
AWK_SPLIT = {
    "file": "awkward/split-rows.docx",
    "author": "МБОУ «Уртамская СОШ»",
    "preamble": [
        ("Приложение к приказу МБОУ «Уртамская СОШ» от 17.04.2023 № 38", "right"),
        ("", ""),
        (TITLE_URTAM, "center bold"),
    ],
    "title": TITLE_URTAM,
    "period": ["2023-01-01", "2023-12-31"],
    "act": {"kind": "приказ", "number": "38", "date": "2023-04-17", "issuer": "МБОУ «Уртамская СОШ»"},
    "columns": COLUMNS_000,
    "widths": WIDTHS_6,
    "body": [
        section("Мероприятия по повышению качества образования"),
        # Split over two rows (page break): continuation row with an empty «№» cell.
        it(
            "1.",
            "Анализ результатов ВПР-2022 и ГИА-2022 по предметам с выявлением",
            "Апрель 2023г.",
            indicator="Проведен анализ по",
            result="Аналитическая справка",
            executors="Заместитель директора по УВР",
            split={"text": "дефицитов обучающихся", "indicator": "4 предметам"},
        ),
        # A parent with a sub-item row (empty «№» cell, number at the start of the text).
        it("2.", "Повышение квалификации педагогов:", "В течение года", executors="Директор"),
        sub(
            "2.1. Прохождение КПК ТОИПКРО по работе со ШНОР",
            "Май 2023г.",
            indicator="Обучено 3 педагога",
            result="Удостоверения",
            executors="Директор",
        ),
        it(
            "3.",
            "Размещение информации о реализации программы на сайте школы",
            "Ежемесячно",
            indicator="Не менее 2 новостей в месяц",
            result="Ссылка на раздел сайта",
            executors="Ответственный за сайт",
        ),
    ],
}

TITLE_PDUBR = "План мероприятий («дорожная карта») МБОУ «Песочнодубровская СОШ» по повышению качества образования на 2023 год"
AWK_TWO_TABLES = {
    "file": "awkward/two-tables.docx",
    "author": "МБОУ «Песочнодубровская СОШ»",
    # An unrelated 2×2 table of signatures comes first.
    "tables_before": [
        {
            "rows": [
                ["СОГЛАСОВАНО", "УТВЕРЖДАЮ"],
                [
                    "Начальник отдела образования\nАдминистрации Кожевниковского района\n__________ / ____________\n«___» __________ 2023 г.",
                    "Директор МБОУ «Песочнодубровская СОШ»\n__________ / ____________\n«___» __________ 2023 г.",
                ],
            ],
            "widths": [12.8, 12.8],
        }
    ],
    "preamble": [
        (TITLE_PDUBR, "center bold"),
        ("(приложение к приказу МБОУ «Песочнодубровская СОШ» от 18.04.2023 № 57)", "center"),
    ],
    "title": TITLE_PDUBR,
    "period": ["2023-01-01", "2023-12-31"],
    "act": {"kind": "приказ", "number": "57", "date": "2023-04-18", "issuer": "МБОУ «Песочнодубровская СОШ»"},
    "columns": [
        ("№ п/п", "number"),
        ("Мероприятие", "text"),
        ("Сроки", "schedule"),
        ("Показатель", "indicator"),
        ("Результат", "result"),
        ("Ответственные", "executors"),
    ],
    "widths": WIDTHS_6,
    "body": [
        it(
            "1.",
            "Анализ результатов ВПР по математике в 5–8 классах",
            "Май-июнь 2023",
            indicator="Проведен анализ в 4 параллелях",
            result="Аналитическая справка",
            executors="Заместитель директора по УВР",
        ),
        it(
            "2.",
            "Проведение педагогического совета «Объективность оценивания»",
            "Август 2023г.",
            indicator="Проведен педагогический совет",
            result="Протокол педагогического совета",
            executors="Директор",
        ),
        it(
            "3.",
            "Посещение уроков администрацией с последующим анализом",
            "Ежемесячно",
            indicator="Посещено не менее 4 уроков в месяц",
            result="Листы анализа уроков",
            executors="Директор, Заместитель директора по УВР",
        ),
        it(
            "4.",
            "Отчет о реализации «дорожной карты» в отдел образования",
            "Ежеквартально",
            indicator="Представлено 4 отчета",
            result="Отчет",
            executors="Директор",
        ),
    ],
}

TITLE_KATAYGA = "План мероприятий по повышению качества образования МБОУ «Катайгинская СОШ» на 2023 год"
AWK_OTHER_WORDS = {
    "file": "awkward/columns-other-words.xlsx",
    "author": "МБОУ «Катайгинская СОШ»",
    "sheet": "План",
    "sheet_preamble": [(TITLE_KATAYGA, "merge center bold", 1), ("", "", 1)],
    "numbers_as_int": True,  # the «№» cells are Excel numbers 1, 2, 3, 4 → "number": "1" …
    "title": TITLE_KATAYGA,
    "period": ["2023-01-01", "2023-12-31"],
    "act": None,
    "columns": [
        ("№", "number"),
        ("Наименование мероприятия", "text"),
        ("Срок исполнения", "schedule"),
        ("Ожидаемый результат", "result"),
        ("Ответственные исполнители", "executors"),
    ],
    "widths": [6, 60, 20, 40, 30],
    "body": [
        it(
            "1",
            "Разработка плана подготовки обучающихся 9 и 11 классов к ГИА",
            "Сентябрь 2023г.",
            result="План подготовки к ГИА",
            executors="Заместитель директора по УВР",
        ),
        it(
            "2",
            "Проведение пробных экзаменов в форме ОГЭ и ЕГЭ",
            "Ноябрь 2023г., декабрь 2023г.",
            result="Аналитическая справка по итогам пробных экзаменов",
            executors="Заместитель директора по УВР, учителя-предметники",
        ),
        it(
            "3",
            "Участие педагогов в вебинарах ТОИПКРО для ШНОР",
            "В течение года",
            result="Сертификаты участников",
            executors="Педагоги",
        ),
        it(
            "4",
            "Информирование родителей о результатах оценочных процедур",
            "Ежеквартально",
            result="Протоколы родительских собраний",
            executors="Классные руководители",
        ),
    ],
}

AWKWARD_TABLES = [AWK_TITLE_ROWS, AWK_SPLIT, AWK_TWO_TABLES, AWK_OTHER_WORDS]


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


def write_roadmap(spec: dict, path: Path) -> None:
    if spec["file"].endswith(".docx"):
        write_docx(spec, path)
    else:
        write_xlsx(spec, path)


def count_items(data: dict) -> tuple[int, int]:
    top = sum(len(s["items"]) for s in data["sections"])
    children = sum(len(i["children"]) for s in data["sections"] for i in s["items"])
    return top, children


def main() -> None:
    manifest = []
    for spec, key, meta in ROADMAPS:
        write_roadmap(spec, OUT / spec["file"])
        data = expected(spec)
        write_json(OUT / "expected" / f"{key}.json", data)
        manifest.append(
            {
                "file": spec["file"],
                "region": meta["region"],
                "level": meta["level"],
                "owner": meta["owner"],
                "parent_file": meta["parent_file"],
                "status": "approved",
                "period": spec["period"],
                "act": spec["act"],
                "revisions": REVISIONS.get(key, []),
            }
        )
        top, children = count_items(data)
        print(
            f"{spec['file']}: {len(data['sections'])} sections, {top} items, {children} sub-items, {len(data['notes'])} notes"
        )
    write_json(OUT / "manifest.json", manifest)

    for spec in AWKWARD_TABLES:
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
    main()
