"""Reading a diagnostics spreadsheet into a grid of texts, and the words inside its cells. Pure.

Regions' spreadsheets are made by hand: title lines above the header, a header of two rows with
merged cells, numbers typed as text («12,5», «23,8 %», «—»), levels written in words or digits.
This module turns an XLSX (or CSV) into rows of cell texts — merged cells spread over their range,
percent-formatted numbers written with «%», line breaks inside a cell kept — and reads the values
back; ``diagnostics/importing.py`` decides what the columns mean.

Every file goes through ``core/uploads.py`` first (size, content, zip bombs, XML entities).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.uploads import UploadRejected, check_size, check_upload, check_xml_parts, clean_name, unpack_checked
from schools.tables import TableError

MAX_ROWS = 20_000
MAX_COLUMNS = 200
READ_STEP = 64 * 1024
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
EMPTY_MARKS = {"", "-", "—", "–", "−", "н/д", "нет данных", "x", "х"}


@dataclass
class Grid:
    """A sheet as texts: ``rows[i]`` is the spreadsheet's row ``i + 1``."""

    name: str
    rows: list[list[str]]


# --- Files --------------------------------------------------------------------------------------


def read_grid(name: str, data: bytes) -> Grid:
    """The first sheet of an XLSX (or a CSV) as texts; ``TableError`` in Russian otherwise."""
    display = clean_name(name)
    if not data:
        raise TableError(_("Файл пустой. Загрузите таблицу XLSX (или CSV), например шаблон."), field="file")
    is_csv = display.lower().endswith(".csv")
    try:
        if is_csv:
            check_size(display, data)
            rows = _csv_rows(data)
        else:
            check_upload(display, data, kinds={"xlsx"})
            rows = _xlsx_rows(data)
    except UploadRejected as exc:
        if display.lower().endswith((".xlsx", ".csv")):
            raise TableError(str(exc), field="file") from exc
        raise TableError(
            _("Файлы «%(name)s» не принимаются: загрузите таблицу XLSX (книгу Excel) или CSV.")
            % {"name": display},
            field="file",
        ) from exc
    for row in rows:  # trailing empty cells (formatting of whole rows) cost session space only
        while row and not row[-1]:
            row.pop()
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise TableError(_("В таблице нет ни одной строки: возьмите шаблон и заполните его."), field="file")
    return Grid(name=display, rows=rows)


def _too_many() -> TableError:
    return TableError(
        _("В таблице больше %(n)s строк: разделите её на части.") % {"n": MAX_ROWS}, field="file"
    )


def _csv_rows(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise TableError(
            _("Файл не похож на текстовую таблицу CSV: сохраните таблицу как XLSX."), field="file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")
    first = text.splitlines()[0] if text else ""
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        rows.append([cell_text(c) for c in row[:MAX_COLUMNS]])
        if len(rows) > MAX_ROWS:
            raise _too_many()
    return rows


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        honest = unpack_checked(data)
        with zipfile.ZipFile(io.BytesIO(honest)) as archive:
            check_xml_parts(archive)
        workbook = openpyxl.load_workbook(io.BytesIO(honest), read_only=True, data_only=True)
        sheet = next(
            (ws for ws in workbook.worksheets if ws.sheet_state == "visible"), workbook.worksheets[0]
        )
        rows: list[list[str]] = []
        for row in sheet.iter_rows():
            rows.append([cell_text(getattr(c, "value", None), getattr(c, "number_format", "")) for c in row])
            if len(rows) > MAX_ROWS:
                raise _too_many()
        merges = _merged_ranges(honest, getattr(sheet, "_worksheet_path", ""))
        workbook.close()
    except (UploadRejected, TableError):
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means «cannot read», said in Russian
        raise TableError(
            _("Не удалось прочитать книгу Excel: файл повреждён. Откройте его в Excel и сохраните заново."),
            field="file",
        ) from exc
    _spread(rows, merges)
    return [row[:MAX_COLUMNS] for row in rows]


def _merged_ranges(honest: bytes, path: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges of the sheet as (first row, first column, last row, last column), 0-based.

    openpyxl's read-only mode does not report merges; they sit at the end of the sheet's XML and
    are found by reading it in steps (never the whole part at once)."""
    if not path:
        return []
    found: list[tuple[int, int, int, int]] = []
    with zipfile.ZipFile(io.BytesIO(honest)) as archive, archive.open(path.lstrip("/")) as part:
        tail = b""
        while chunk := part.read(READ_STEP):
            text = tail + chunk
            cut = text.rfind(b"<")  # a tag cut by the step is read with the next one
            cut = cut if cut > 0 and b">" not in text[cut:] else len(text)
            for m in _MERGE.finditer(text[:cut]):
                c1, r1, c2, r2 = m.groups()
                found.append((int(r1) - 1, _column(c1), int(r2) - 1, _column(c2)))
            tail = text[cut:]
    return found


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _spread(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    """A merged cell's value in every cell of its range (a school written once for its rows)."""
    for r1, c1, r2, c2 in merges:
        if r1 >= len(rows) or (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
            continue
        value = rows[r1][c1] if c1 < len(rows[r1]) else ""
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                row.extend([""] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                if not row[c]:
                    row[c] = value


def cell_text(value: object, number_format: str = "") -> str:
    """A cell as text: whole numbers without «.0», percent-formatted ones as «23.8 %», dates
    as ДД.ММ.ГГГГ; spaces collapsed, line breaks kept (a list of indicators in one cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return f"{round(value * 100, 6):g} %"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return f"{value:g}" if isinstance(value, float) else str(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


# --- Values ---------------------------------------------------------------------------------------


class ValueProblem(ValueError):
    """The message says what the cell should hold."""


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", str(text or "").lower().replace("ё", "е")).strip(" .")


def is_empty(text: str) -> bool:
    return fold(text) in EMPTY_MARKS


def parse_number(text: str) -> Decimal | None:
    """«12,5», «12.5», «1 234», «23,8 %» → a number; «», «—», «н/д» → None."""
    if is_empty(text):
        return None
    raw = str(text).replace("\u00a0", " ").replace("%", "").replace(" ", "").replace(",", ".").strip()
    raw = raw.replace("−", "-")
    if raw.count(".") > 1 or not re.fullmatch(r"-?\d*\.?\d+", raw):
        raise ValueProblem(_("Ожидается число, а не «%(value)s».") % {"value": text})
    try:
        return Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits numbers only
        raise ValueProblem(_("Ожидается число, а не «%(value)s».") % {"value": text}) from exc


def parse_whole(text: str) -> int | None:
    number = parse_number(text)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise ValueProblem(_("Ожидается целое неотрицательное число, а не «%(value)s».") % {"value": text})
    return int(number)


YES = {"да", "1", "+", "д", "есть", "yes", "true", "истина", "выявлены", "имеются", "v", "✓"}
NO = {"нет", "0", "-", "н", "no", "false", "ложь", "не выявлены", "отсутствуют"} | EMPTY_MARKS


def parse_flag(text: str) -> bool:
    t = fold(text)
    if t in YES:
        return True
    if t in NO:
        return False
    raise ValueProblem(_("Ожидается «да» или «нет», а не «%(value)s».") % {"value": text})


RISK_WORDS = {
    "низкий": "low",
    "н": "low",
    "1": "low",
    "средний": "medium",
    "ср": "medium",
    "с": "medium",
    "2": "medium",
    "высокий": "high",
    "в": "high",
    "3": "high",
}


def parse_risk_level(text: str) -> str | None:
    """«высокий», «Высокий риск», «3» → ``high``; blank → None (the factor was not assessed)."""
    if is_empty(text):
        return None
    t = fold(text)
    t = re.sub(r"\b(уровень|уровня|риск|риска|рисков)\b", " ", t)
    t = " ".join(t.split())
    if t in RISK_WORDS:
        return RISK_WORDS[t]
    raise ValueProblem(
        _("Уровень риска — «низкий», «средний» или «высокий» (или 1, 2, 3), а не «%(value)s».")
        % {"value": text}
    )


SELF_LEVEL_WORDS = {
    "ниже базового": "below_basic",
    "нижебазового": "below_basic",
    "ниже базового уровня": "below_basic",
    "базовый": "basic",
    "средний": "medium",
    "высокий": "full",
    "полный": "full",
}


def parse_self_level(text: str) -> str | None:
    if is_empty(text):
        return None
    t = fold(text)
    t = " ".join(re.sub(r"\bуровень\b", " ", t).split())
    if t in SELF_LEVEL_WORDS:
        return SELF_LEVEL_WORDS[t]
    raise ValueProblem(
        _("Уровень — «ниже базового», «базовый», «средний» или «высокий», а не «%(value)s».")
        % {"value": text}
    )


def split_list(text: str) -> list[str]:
    """A cell listing several things, one per line or separated by «;»."""
    parts = re.split(r"[;\n]+", str(text or ""))
    items = [re.sub(r"^\s*(?:\d+[.)]|[-•–—])\s*", "", p).strip() for p in parts]
    return [i for i in items if i and not is_empty(i) and fold(i) not in NO]
