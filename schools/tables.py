"""Reading a region's lists (organizations, a year's statuses, people) from XLSX or CSV. Pure.

A list is one table: a header row (found among the first rows, after any title lines) and the
rows below it. Columns are recognised by their header words, so «Краткое наименование» and
«Краткое название» are the same column and their order does not matter. Every row keeps its
number as the spreadsheet shows it, so problems can be named by row and column.
"""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.uploads import UploadRejected, check_size, check_upload, clean_name, unpack_checked
from schools import vocabulary

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000


class TableError(DomainError):
    """A file that cannot be read as a list at all; the message is for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # as written in the template (a lazily translated string)
    synonyms: tuple[str, ...] = ()  # normalized header words that also name it
    required: bool = False


@dataclass
class Table:
    name: str
    headers: dict[str, str] = field(default_factory=dict)  # key → header as written in the file
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, key → text)


def normalize_header(text: str) -> str:
    text = vocabulary.fold_letters(text)
    text = re.sub(r"[^\w№ ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a registry code typed as a number: 700123.0 → «700123»
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return re.sub(r"\s+", " ", str(value)).strip()


def read_table(name: str, data: bytes, columns: Sequence[Column]) -> Table:
    """The list in ``data`` (XLSX or CSV), its columns matched to ``columns``."""
    display = clean_name(name)
    if not data:
        raise TableError(_("Файл пустой. Загрузите таблицу XLSX или CSV."), field="file")
    try:
        if display.lower().endswith(".csv"):
            check_size(display, data)
            grid = _csv_grid(data)
        else:
            check_upload(display, data, kinds={"xlsx"})
            grid = _xlsx_grid(data)
    except UploadRejected as exc:
        if display.lower().endswith((".xlsx", ".csv")):
            raise TableError(str(exc), field="file") from exc
        raise TableError(
            _("Файлы «%(name)s» не принимаются: загрузите таблицу XLSX или CSV.") % {"name": display},
            field="file",
        ) from exc
    return _match_columns(display, grid, columns)


def _csv_grid(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise TableError(_("Файл не похож на текстовую таблицу CSV."), field="file")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes almost anything
        raise TableError(_("Не удалось прочитать кодировку CSV: сохраните файл в UTF-8."), field="file")
    first = text.splitlines()[0] if text else ""
    delimiter = max((";", ",", "\t"), key=first.count)
    return [[_cell_text(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_grid(data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        honest = unpack_checked(data)
        workbook = openpyxl.load_workbook(io.BytesIO(honest), read_only=True, data_only=True)
    except UploadRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means «cannot read», said in Russian
        raise TableError(
            _("Не удалось прочитать книгу Excel: файл повреждён. Откройте его в Excel и сохраните заново."),
            field="file",
        ) from exc
    sheet = workbook.worksheets[0]
    grid = []
    for row in sheet.iter_rows(values_only=True):
        grid.append([_cell_text(c) for c in row])
        if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise TableError(_("В таблице больше %(n)s строк: разделите её на части.") % {"n": MAX_ROWS})
    workbook.close()
    return grid


def _column_for(header: str, columns: Sequence[Column]) -> Column | None:
    norm = normalize_header(header)
    if not norm:
        return None
    for col in columns:
        if norm == normalize_header(str(col.header)) or norm in col.synonyms:
            return col
    return None


def _match_columns(name: str, grid: list[list[str]], columns: Sequence[Column]) -> Table:
    required = [c for c in columns if c.required]
    best: tuple[int, int] = (-1, 0)  # (row index, columns recognised)
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found = sum(1 for cell in row if _column_for(cell, columns))
        if found > best[1]:
            best = (index, found)
    if best[0] < 0:
        raise TableError(
            _(
                "Не найдена строка заголовков. Возьмите шаблон: первая строка — названия столбцов («%(cols)s» …)."
            )
            % {"cols": "», «".join(str(c.header) for c in required[:3])},
            field="file",
        )
    header_index = best[0]
    table = Table(name=name)
    positions: dict[int, str] = {}
    for pos, cell in enumerate(grid[header_index]):
        col = _column_for(cell, columns)
        if col and col.key not in table.headers:
            table.headers[col.key] = cell
            positions[pos] = col.key
    missing = [str(c.header) for c in required if c.key not in table.headers]
    if missing:
        raise TableError(
            _("В таблице нет обязательных столбцов: «%(cols)s». Возьмите шаблон и заполните его.")
            % {"cols": "», «".join(missing)},
            field="file",
        )
    for index, row in enumerate(grid[header_index + 1 :], start=header_index + 2):
        values = {key: (row[pos] if pos < len(row) else "") for pos, key in positions.items()}
        if any(values.values()):
            table.rows.append((index, values))
    if not table.rows:
        raise TableError(_("В таблице нет ни одной строки под заголовками."), field="file")
    if len(table.rows) > MAX_ROWS:
        raise TableError(_("В таблице больше %(n)s строк: разделите её на части.") % {"n": MAX_ROWS})
    return table


def parse_flag(text: str) -> bool | None:
    """«да»/«нет» (and 1/0, +/-); None when it is neither."""
    t = text.strip().lower()
    if t in vocabulary.YES:
        return True
    if t in vocabulary.NO:
        return False
    return None
