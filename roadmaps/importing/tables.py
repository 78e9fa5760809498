"""Reading the tables out of a DOCX or XLSX file: pure, no database.

Plans arrive as Word appendices to an order or as Excel sheets. What the importer needs from
either is the same: the paragraphs above the table (title, approving act) and the table's rows
as text, knowing which rows are one cell merged across the table (section titles). The format
is decided by content, never by the file name.
"""

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.uploads import UNSAFE_XML, UploadRejected, check_xml_parts, unpack_checked

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadError(DomainError):
    """A file that cannot be read as a plan; the message is for the user, in Russian."""

    field = "file"


@dataclass
class Row:
    cells: list[str]
    merged: bool = False  # one cell spanning the whole table: a section title or a note
    source_row: int = 0  # 1-based row number in the source table / sheet, for messages

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c.strip()]


@dataclass
class Table:
    rows: list[Row]
    name: str = ""  # «таблица 2» or the sheet name
    preamble: list[str] = field(default_factory=list)  # paragraphs / title rows above it


def clean(text: str | None) -> str:
    """Normalise a cell: non-breaking spaces, runs of spaces; keep line breaks (schedules use them)."""
    if text is None:
        return ""
    text = str(text).replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def sniff(data: bytes) -> str:
    return _checked(data)[0]


def _checked(data: bytes) -> tuple[str, bytes]:
    """The format and the bytes a parser may open (see ``core.uploads.unpack_checked``)."""
    if not data:
        raise ReadError(_("Файл пустой. Выберите файл дорожной карты в формате DOCX, XLSX или PDF."))
    if data.startswith(b"%PDF-"):
        return "pdf", data
    if data.startswith(OLE_MAGIC):
        raise ReadError(
            _(
                "Файл защищён паролем или сохранён в старом формате (DOC/XLS). "
                "Снимите пароль и сохраните документ как DOCX или XLSX."
            )
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(
            _("Файл не похож на документ DOCX, XLSX или PDF: возможно, он повреждён или это другой формат.")
        )
    try:
        # The zip directory against the archive limits before any part is opened (zip bombs),
        # parts read within their declared sizes, then no DTD in any XML part (entity bombs).
        honest = unpack_checked(data)
        with zipfile.ZipFile(io.BytesIO(honest)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names or "xl/workbook.xml" in names:
                check_xml_parts(archive)
    except UploadRejected as exc:
        raise ReadError(str(exc)) from exc
    if "word/document.xml" in names:
        return "docx", honest
    if "xl/workbook.xml" in names:
        return "xlsx", honest
    if "EncryptedPackage" in names:
        raise ReadError(_("Файл защищён паролем. Снимите пароль и загрузите его снова."))
    raise ReadError(_("Это архив, но не документ Word или Excel. Загрузите DOCX или XLSX."))


def read_tables(data: bytes) -> list[Table]:
    kind, data = _checked(data)
    try:
        readers = {"docx": _read_docx, "xlsx": _read_xlsx, "pdf": _read_pdf}
        tables = readers[kind](data)
    except ReadError:
        raise
    except DefusedXmlException as exc:  # entity or DTD tricks inside a part (XML bombs)
        raise ReadError(UNSAFE_XML) from exc
    except Exception as exc:  # a malformed part inside a valid zip: say so, do not crash
        # The person uploading needs what to do, not the parser's exception (that goes to the log).
        log.warning("unreadable %s document: %r", kind, exc)
        raise ReadError(
            _(
                "Документ повреждён и не читается: часть его содержимого испорчена. Откройте файл в "
                "Word или Excel, сохраните его заново (DOCX или XLSX) и загрузите ещё раз."
            )
        ) from exc
    if not any(t.rows for t in tables):
        raise ReadError(
            _(
                "В документе нет таблицы. Дорожная карта должна быть таблицей с колонками «Мероприятие», «Сроки» …"
            )
        )
    return tables


def _read_docx(data: bytes) -> list[Table]:
    import docx
    from docx.oxml.ns import qn
    from docx.table import _Cell

    document = docx.Document(io.BytesIO(data))  # lxml without entity resolution (python-docx)
    if document.element.getroottree().docinfo.doctype:
        raise ReadError(UNSAFE_XML)  # Word never writes a DTD; only a crafted file has one
    body = document.element.body
    tables: list[Table] = []
    preamble: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = clean("".join(t.text or "" for t in child.iter(qn("w:t"))))
            if text:
                preamble.append(text)
        elif child.tag == qn("w:tbl"):
            rows = []
            width = len(child.findall(qn("w:tblGrid") + "/" + qn("w:gridCol"))) or 1
            for n, tr in enumerate(child.findall(qn("w:tr")), start=1):
                cells, spans = [], []
                for tc in tr.findall(qn("w:tc")):
                    span = tc.grid_span if hasattr(tc, "grid_span") else 1
                    vmerge = tc.vMerge if hasattr(tc, "vMerge") else None
                    # A vertically merged continuation repeats nothing: the text lives in the top cell.
                    text = (
                        ""
                        if vmerge == "continue"
                        else clean("\n".join(p.text for p in _Cell(tc, None).paragraphs))
                    )
                    cells.append(text)
                    spans.append(span)
                    cells.extend([""] * (span - 1))
                merged = len(spans) == 1 and spans[0] > 1 and spans[0] >= width - 1
                rows.append(Row(cells=cells, merged=merged, source_row=n))
            tables.append(
                Table(rows=rows, name=_("таблица %(n)s") % {"n": len(tables) + 1}, preamble=preamble)
            )
            preamble = []
    return tables


def _read_xlsx(data: bytes) -> list[Table]:
    import openpyxl

    # openpyxl parses with defusedxml when it is installed (a dependency; a test checks it).
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    tables = []
    for ws in workbook.worksheets:
        merged_rows = {}
        for rng in ws.merged_cells.ranges:
            if rng.max_col > rng.min_col:
                for r in range(rng.min_row, rng.max_row + 1):
                    merged_rows[r] = max(merged_rows.get(r, 0), rng.max_col - rng.min_col + 1)
        width = ws.max_column or 1
        rows = []
        for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [clean(_cell_text(v)) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            filled = [c for c in cells if c]
            merged = len(filled) == 1 and merged_rows.get(n, 0) >= max(2, width - 1)
            rows.append(Row(cells=cells, merged=merged, source_row=n))
        while rows and not rows[-1].filled:
            rows.pop()
        tables.append(Table(rows=rows, name=_("лист «%(name)s»") % {"name": ws.title}))
    return tables


# A plan is tens of pages; a PDF of thousands is not a plan and would keep a worker busy.
PDF_MAX_PAGES = 300
SCANNED_PDF = gettext_lazy(
    "В PDF нет текста — похоже, это скан. Распознать таблицу со скана нельзя: загрузите документ "
    "DOCX или PDF, сохранённый из Word («Сохранить как» → PDF)."
)


def _read_pdf(data: bytes) -> list[Table]:
    """Tables of a text PDF (as Word exports it), read with pdfplumber from the ruling lines.

    A table that goes on over the next page comes back as one table per page: a piece at the top
    of a page with the same columns continues the one before (a repeated header row is dropped).
    The text between two tables is the next one's preamble (a section title in plans printed as
    one table per section); page numbers are not."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as exc:
        raise ReadError(_("PDF защищён паролем. Снимите пароль и загрузите его снова.")) from exc
    with pdf:
        if len(pdf.pages) > PDF_MAX_PAGES:
            raise ReadError(
                _("В PDF %(n)s страниц — это не похоже на дорожную карту (не больше %(max)s).")
                % {"n": len(pdf.pages), "max": PDF_MAX_PAGES}
            )
        if not any(page.chars for page in pdf.pages):
            raise ReadError(str(SCANNED_PDF))
        tables: list[Table] = []
        preamble: list[str] = []
        for page in pdf.pages:
            top = 0.0
            for found in page.find_tables():
                x0, y0, x1, y1 = found.bbox
                above = _pdf_lines(page.crop((0, top, page.width, max(top, y0))).extract_text() or "")
                preamble.extend(above)
                rows = [_pdf_row(cells, n) for n, cells in enumerate(found.extract(), start=1)]
                last = tables[-1] if tables else None
                if last is not None and not preamble and top == 0.0 and _same_columns(last, rows):
                    header = {tuple(r.cells) for r in last.rows[:3]}
                    offset = len(last.rows)
                    for row in rows:
                        if tuple(row.cells) not in header:
                            last.rows.append(Row(row.cells, row.merged, offset + row.source_row))
                else:
                    name = _("таблица %(n)s") % {"n": len(tables) + 1}
                    tables.append(Table(rows=rows, name=name, preamble=preamble))
                preamble = []
                top = y1
            preamble.extend(_pdf_lines(page.crop((0, top, page.width, page.height)).extract_text() or ""))
        return tables


def _pdf_lines(text: str) -> list[str]:
    """Lines of text outside tables, without page numbers («- 2 -», «2»)."""
    return [
        line
        for line in (clean(t) for t in text.split("\n"))
        if line and not re.fullmatch(r"[-–—\s\d]+", line)
    ]


def _pdf_row(cells: list[str | None], n: int) -> Row:
    """pdfplumber gives None for the cells a merged cell covers: one text and the rest None is a
    row merged across the table (a section title)."""
    texts = [_pdf_cell(c) for c in cells]
    merged = len(cells) > 1 and sum(c is not None for c in cells) == 1 and bool(texts[0])
    return Row(cells=texts, merged=merged, source_row=n)


def _pdf_cell(text: str | None) -> str:
    """Line breaks inside a PDF cell are where the text wrapped, not paragraphs: «Январь-\nмарт»
    is «Январь-март», «Январь –\nмарт» is «Январь – март», «1.1\n0.» is «1.10.»."""
    if not text:
        return ""
    text = re.sub(r"(?<=[^\W\d_]-)\n", "", text.replace("\xa0", " "))  # «учебно-\nвоспитательной»
    if re.fullmatch(r"[\d.)\s]+", text):
        return re.sub(r"\s+", "", text)
    return clean(text.replace("\n", " "))


def _same_columns(table: Table, rows: list[Row]) -> bool:
    width = max((len(r.cells) for r in table.rows), default=0)
    return bool(rows) and all(len(r.cells) == width for r in rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
