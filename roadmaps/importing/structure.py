"""From table rows to a roadmap's structure: pure, no database.

Real plans differ in where the table starts (title rows above it), what the columns are called
and in which order («Мероприятие / Сроки / Показатель / Результат / Исполнители», or «Ответственные»
before «Результат», or no «Показатель» at all), how sections are marked (one merged cell) and how
sub-items are numbered («3.1.» in the number cell, or at the start of the text with the number
cell empty). Conversions split one row over two at a page break; the continuation has no number
and is joined back to its item. Nothing is dropped silently: whatever is not understood becomes a
warning naming the row.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from roadmaps.importing.tables import ReadError, Row, Table

FIELDS = ("number", "text", "schedule", "indicator", "result", "executors")

# Header words by meaning; checked in this order, so «Срок исполнения» is a schedule and
# «Ответственные исполнители» executors, «Ожидаемый результат» a result.
HEADER_WORDS: list[tuple[str, re.Pattern]] = [
    ("number", re.compile(r"^(№|n|no\.?|номер)\b|п\s*/\s*п|^№", re.I)),
    ("schedule", re.compile(r"срок|дата\s+(проведения|исполнения)|период\s+реализации", re.I)),
    ("indicator", re.compile(r"показател|индикатор|целев", re.I)),
    ("result", re.compile(r"результат|форма\s+(отчет|подтвержд)|подтвержда|итогов", re.I)),
    ("executors", re.compile(r"исполнител|ответствен", re.I)),
    ("text", re.compile(r"мероприяти|наименование|содержание|направлени|действи", re.I)),
]

NUMBER_CELL = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(?:\.{0,2}|\))$")  # «20..» and «1)» occur in real plans
# «3.1. Анализ», «11.3 Формирование», «27.4.Организация» (no space, as printed).
NUMBER_IN_TEXT = re.compile(r"^(\d{1,3}\.\d{1,3}(?:\.\d{1,3})*)(\.?\s+(?=\S)|\.(?=[А-ЯЁA-Z«\"]))")
NOTE_WORDS = re.compile(r"(приказ\w*|распоряжени\w*|в\s+редакции|дополнен\w*|изменен\w*|исключен\w*)", re.I)
ACT_KIND = re.compile(r"(приказ|распоряжени|постановлени|решени)\w*", re.I)
DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
# «от 13 ноября 2015 г.», «от «13» ноября 2015 года»
DATE_IN_WORDS = re.compile(r"[«\"]?(\d{1,2})[»\"]?\s+(" + "|".join(MONTHS_GENITIVE) + r")\s+(\d{4})", re.I)
# «№ 5976», «N 5976», «No 5976», «№5976-р»: a Latin N/No counts only before a number.
ACT_NUMBER = re.compile(r"(?:№|(?<![\w.])(?:No|N|Nº)\.?(?=\s*\d))\s*(\d[\w\-/]*|[\w\-/]+)")
YEARS = re.compile(r"(?<!\d)(20\d{2})(?:\s*[-–—]\s*(20\d{2}))?")
TITLED = re.compile(r"дорожн\w+\s+карт|план\w*\s+мероприяти|программ", re.I)  # a plan's title line
SCHOOL_YEAR = re.compile(r"(20\d{2})\s*[-–—/]\s*(20\d{2})\s*учебн", re.I)


@dataclass
class ParsedItem:
    key: str
    number: str
    text: str
    schedule: str = ""
    indicator: str = ""
    result: str = ""
    executors: str = ""
    row: int = 0
    children: list["ParsedItem"] = field(default_factory=list)


@dataclass
class ParsedSection:
    title: str
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class Warning_:
    row: int
    message: str


@dataclass
class ParsedRoadmap:
    title: str = ""
    period: tuple[str, str] | None = None  # ISO dates
    act: dict = field(default_factory=dict)  # kind, number, date (ISO), issuer
    columns: dict = field(default_factory=dict)  # field → header text as written
    sections: list[ParsedSection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    table_name: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def all_items(self) -> Iterator[ParsedItem]:
        for section in self.sections:
            for item in section.items:
                yield item
                yield from item.children


def classify_header(cell: str) -> str | None:
    words = cell.strip().lower()
    if not words:
        return None
    for name, pattern in HEADER_WORDS:
        if pattern.search(words):
            return name
    return None


def find_header(table: Table, limit: int = 25) -> tuple[int, dict[str, int], list[str]] | None:
    """The row whose cells name the columns (the last of two, for a header merged over two rows:
    «Сроки» above «начало | окончание», «№» merged down), and the column index of each field."""
    best = None
    rows = table.rows[:limit]
    for i, row in enumerate(rows):
        candidates = [(i, row.cells)]
        if i + 1 < len(rows) and not row.merged and not rows[i + 1].merged:
            stacked = _stacked(row.cells, rows[i + 1].cells)
            # only when the two rows together name more fields than the lower one alone
            if len(_map_header(stacked)) > len(_map_header(rows[i + 1].cells)):
                candidates.append((i + 1, stacked))
        for index, cells in candidates:
            mapping = _map_header(cells)
            if "text" in mapping and len(mapping) >= 3 and (best is None or len(mapping) > len(best[1])):
                best = (index, mapping, cells)
    return best


def _map_header(cells: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for col, cell in enumerate(cells):
        name = classify_header(cell)
        if name and name not in mapping and len(cell) < 80:
            mapping[name] = col
    return mapping


def _stacked(top: list[str], bottom: list[str]) -> list[str]:
    """Two header rows read as one: «Исполнение» over «Срок» is «Исполнение Срок». A cell merged
    across columns in the top row (empty in the ones it covers) heads each of them."""
    cells, carried = [], ""
    for col in range(max(len(top), len(bottom))):
        upper = top[col].strip() if col < len(top) else ""
        lower = bottom[col].strip() if col < len(bottom) else ""
        if upper:
            carried = upper
        elif lower:
            upper = carried
        cells.append(f"{upper} {lower}".strip() if lower != upper else upper)
    return cells


def parse_tables(tables: list[Table]) -> ParsedRoadmap:
    candidates = [(t, header) for t in tables if (header := find_header(t)) is not None]
    if not candidates:
        raise ReadError(
            _(
                "Не найдена таблица дорожной карты: ни в одной таблице нет строки заголовков с колонками "
                "«Мероприятие», «Сроки», «Исполнители» (или похожими). Проверьте, что план оформлен таблицей."
            )
        )
    # The table with the richest header wins (a signature table above the plan has none); a plan
    # printed as one table per section repeats that header, and every such table is read in order.
    table, (header_index, columns, header_cells) = max(
        candidates, key=lambda c: (len(c[1][1]), len(c[0].rows))
    )
    parts = [(t, h) for t, h in candidates if set(h[1]) == set(columns)]
    first, (first_header, _columns, first_cells) = parts[0]
    above = first_header - (first_cells != first.rows[first_header].cells)  # a stacked header's top row
    parsed = ParsedRoadmap(table_name=table.name)
    parsed.columns = {name: header_cells[col] for name, col in columns.items()}
    preamble = list(first.preamble) + [" ".join(r.filled) for r in first.rows[:above] if r.filled]
    first_section = ""
    if (
        len(parts) > 1
        and len(preamble) > 1
        and not TITLED.search(preamble[-1])
        and not ACT_KIND.search(preamble[-1])
    ):
        first_section = preamble.pop()  # «Риск 1. …» between the title and the first table
    _read_title(preamble, parsed)
    _note_extra_columns(Row(header_cells, source_row=table.rows[header_index].source_row), columns, parsed)
    for name in ("schedule", "executors"):
        if name not in columns:
            label = {"schedule": _("Сроки"), "executors": _("Исполнители")}[name]
            parsed.warnings.append(
                Warning_(
                    table.rows[header_index].source_row,
                    _("В таблице нет колонки «%(col)s».") % {"col": label},
                )
            )
    reader = _BodyReader(columns, parsed)
    for n, (part, (part_header, part_columns, _cells)) in enumerate(parts):
        reader.columns = part_columns
        body = part.rows[part_header + 1 :]
        opening = next((r for r in body if r.filled and not _is_column_numbers(r.filled)), None)
        title = part.preamble[-1] if n and part.preamble else first_section if not n else ""
        if title and not (opening and opening.merged):
            # Between two tables of one plan, the paragraph above the next is its section title.
            reader.start_section(title)
        reader.read(body)
    if len(parts) > 1:
        parsed.table_name = ", ".join(p.name for p, _h in parts)
    if not any(section.items for section in parsed.sections):
        raise ReadError(_("Таблица найдена, но в ней нет ни одного пронумерованного мероприятия."))
    return parsed


def _cell(row: Row, columns: dict[str, int], name: str) -> str:
    col = columns.get(name)
    if col is None or col >= len(row.cells):
        return ""
    return row.cells[col].strip()


def _note_extra_columns(header: Row, columns: dict[str, int], parsed: ParsedRoadmap) -> None:
    """Columns the portal has no place for («Источник финансирования», «Отметка о выполнении»)
    are not read; the preview says so instead of losing them silently."""
    used = set(columns.values())
    for col, cell in enumerate(header.cells):
        if cell.strip() and col not in used and cell not in header.cells[:col]:
            parsed.warnings.append(
                Warning_(
                    header.source_row,
                    _("Колонка «%(col)s» не переносится в портал: её содержимое не импортируется.")
                    % {"col": cell.strip()},
                )
            )


def _under(number: str, parent: str) -> bool:
    """«3.1.» is a sub-item of «3.» (and seed 001's «11.1.» of «13.», numbered as written), but
    «1.2.» after «1.1.» is its sibling: a plan whose sections are «1.» and items «1.1.», «1.2.»."""
    return number.rstrip(".)").count(".") > parent.rstrip(".)").count(".")


def _is_column_numbers(filled: list[str]) -> bool:
    """Column-number rows under the header: «1 | 2 | 3 | 4 | 5»."""
    return all(re.fullmatch(r"\d{1,2}", c) for c in filled) and len(filled) >= 3


class _BodyReader:
    """Reads the rows under the header into sections and items, one row at a time; remembers the
    current section, the last top-level item (for sub-items) and the last item of any level (for
    continuation rows)."""

    def __init__(self, columns: dict[str, int], parsed: ParsedRoadmap) -> None:
        self.columns = columns
        self.parsed = parsed
        self.section: ParsedSection | None = None
        self.last_top: ParsedItem | None = None
        self.last: ParsedItem | None = None
        self.counter = 0

    def read(self, rows: list[Row]) -> None:
        for row in rows:
            self._read_row(row)
        self.parsed.sections = [s for s in self.parsed.sections if s.items or s.title]

    def _read_row(self, row: Row) -> None:
        filled = row.filled
        if not filled or _is_column_numbers(filled):
            return
        number_cell = _cell(row, self.columns, "number")
        text_cell = _cell(row, self.columns, "text")
        number_match = NUMBER_CELL.match(number_cell) if number_cell else None
        sub = NUMBER_IN_TEXT.match(text_cell) if not number_cell else None
        if not number_match and self._is_title_row(row, filled):
            self._title_row(row, filled[0])
        elif number_match:
            self._numbered_row(row, number_cell, "." in number_match.group(1), text_cell)
        elif sub and self.last_top is not None:
            number = sub.group(1) + ("." if sub.group(2).startswith(".") else "")
            self._add_child(self.last_top, number, text_cell[sub.end() :].strip(), row)
        elif self.last is not None and not number_cell:
            self._continuation_row(row, self.last)
        else:
            self._warn(row, _("Строка не распознана и пропущена: «%(t)s».") % {"t": " | ".join(filled)[:120]})

    def _is_title_row(self, row: Row, filled: list[str]) -> bool:
        """One cell merged across the table, or one filled cell at the row's start (a section
        written into the «№» or «Мероприятие» column without merging)."""
        first_col = next(i for i, c in enumerate(row.cells) if c.strip())
        at_start = first_col <= max(self.columns.get("number", 0), self.columns.get("text", 0))
        return row.merged or (len(filled) == 1 and at_start and not NUMBER_IN_TEXT.match(filled[0]))

    def start_section(self, title: str) -> None:
        self.section = ParsedSection(title=title)
        self.parsed.sections.append(self.section)
        self.last_top = self.last = None

    def _title_row(self, row: Row, title: str) -> None:
        """A section title, an amendment note, or (unmerged, lower-case) the end of the last text."""
        if NOTE_WORDS.match(title) and title[:1].islower():
            self.parsed.notes.append(title)
            self._warn(row, _("Примечание в таблице: «%(t)s».") % {"t": title})
            return
        if self.last is not None and not row.merged and not title[:1].isupper():
            self.last.text = _join(self.last.text, title)
            return
        self.section = ParsedSection(title=title)
        self.parsed.sections.append(self.section)
        self.last_top = self.last = None

    def _numbered_row(self, row: Row, number: str, dotted: bool, text: str) -> None:
        """A row with a number in the «№» cell, kept as written: «1», «3.1.», «20..»."""
        if dotted and self.last_top is not None and _under(number, self.last_top.number):
            self._add_child(self.last_top, number, text, row)
        else:
            item = self._new_item(number, text, row)
            self._ensure_section().items.append(item)
            self.last_top = self.last = item
        if not text:
            self._warn(row, _("У п. %(n)s нет текста мероприятия.") % {"n": number.rstrip(".")})

    def _continuation_row(self, row: Row, last: ParsedItem) -> None:
        """A row split at a page break: its cells continue the previous item's cells."""
        for name in ("text", "schedule", "indicator", "result", "executors"):
            value = _cell(row, self.columns, name)
            if value:
                setattr(last, name, _join(getattr(last, name), value))
        self._warn(
            row,
            _("Строка без номера присоединена к п. %(n)s (перенос строки таблицы).")
            % {"n": last.number.rstrip(".")},
        )

    def _add_child(self, parent: ParsedItem, number: str, text: str, row: Row) -> None:
        child = self._new_item(number, text, row)
        parent.children.append(child)
        self.last = child

    def _new_item(self, number: str, text: str, row: Row) -> ParsedItem:
        self.counter += 1
        return ParsedItem(
            key=str(self.counter),
            number=number,
            text=text,
            schedule=_cell(row, self.columns, "schedule"),
            indicator=_cell(row, self.columns, "indicator"),
            result=_cell(row, self.columns, "result"),
            executors=_cell(row, self.columns, "executors"),
            row=row.source_row,
        )

    def _ensure_section(self) -> ParsedSection:
        """Items above the first section row go into a section titled ""."""
        if self.section is None:
            self.section = ParsedSection(title="")
            self.parsed.sections.append(self.section)
        return self.section

    def _warn(self, row: Row, message: str) -> None:
        self.parsed.warnings.append(Warning_(row.source_row, message))


def _join(first: str, second: str) -> str:
    if not first:
        return second
    if not second:
        return first
    return f"{first} {second}"


def _read_title(lines: list[str], parsed: ParsedRoadmap) -> None:
    """The title is the run of lines from the first that names a plan up to the table; the
    approving act is in the lines before it (an «Приложение к приказу …» block, often split)."""
    start = next(
        (n for n, line in enumerate(lines) if TITLED.search(line) and not re.match(r"приложени", line, re.I)),
        None,
    )
    if start is None:
        parsed.title = lines[-1] if lines else ""
        before = lines
    else:
        run = []
        for line in lines[start:]:
            if line.startswith("(") or re.match(r"(таблица|приложени|утвержд)", line, re.I):
                break
            run.append(line)
        parsed.title = " ".join(run).strip(" *")
        before = lines[:start]
    parsed.period = guess_period(parsed.title) or guess_period(" ".join(lines))
    act = parse_act(" ".join(before)) if before else None
    if act is None:
        act = next((a for a in map(parse_act, lines) if a), None)
    if act:
        parsed.act = act


def guess_period(text: str) -> tuple[str, str] | None:
    school = SCHOOL_YEAR.search(text)
    if school:
        start, end = int(school.group(1)), int(school.group(2))
        return (dt.date(start, 9, 1).isoformat(), dt.date(end, 8, 31).isoformat())
    match = None
    for m in YEARS.finditer(text):
        match = m  # the plan's own years come last in a title («… от 2021 г. на 2022–2024 гг.»)
    if not match:
        return None
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start:
        return None
    return (dt.date(start, 1, 1).isoformat(), dt.date(end, 12, 31).isoformat())


# «к распоряжению Департамента …» names the issuer in the genitive; the act is shown as
# «Распоряжение от … (Департамент …)». Only the head word changes: the rest is genitive anyway.
GENITIVE_HEADS = {
    "департамента": "департамент",
    "управления": "управление",
    "комитета": "комитет",
    "министерства": "министерство",
    "отдела": "отдел",
    "администрации": "администрация",
    "главы": "глава",
}


def nominative(issuer: str) -> str:
    head, _sep, rest = issuer.partition(" ")
    replacement = GENITIVE_HEADS.get(head.lower())
    if not replacement:
        return issuer
    if head[:1].isupper():
        replacement = replacement.capitalize()
    return f"{replacement} {rest}".strip()


def _find_date(line: str, start: int = 0) -> tuple[re.Match[str], dt.date] | None:
    """The first date at or after ``start``: «13.11.2015» or «13 ноября 2015 г.»."""
    found = [m for m in (DATE.search(line, start), DATE_IN_WORDS.search(line, start)) if m]
    for match in sorted(found, key=lambda m: m.start()):
        day, month, year = match.groups()
        month_number = int(month) if month.isdigit() else MONTHS_GENITIVE.index(month.lower()) + 1
        try:
            return match, dt.date(int(year), month_number, int(day))
        except ValueError:
            continue
    return None


def parse_act(line: str) -> dict | None:
    kind = ACT_KIND.search(line)
    found = _find_date(line, kind.end()) if kind else None
    if not (kind and found):
        return None
    date, when = found
    # «приказом МАОУ СОШ № 44 от 24.04.2023 № 120»: the act's number follows its date.
    number = ACT_NUMBER.search(line, date.end()) or ACT_NUMBER.search(line)
    if not number:
        return None
    word = kind.group(1).lower()
    kind_name = {
        "приказ": "приказ",
        "распоряжени": "распоряжение",
        "постановлени": "постановление",
        "решени": "решение",
    }[word]
    issuer = line[kind.end() : date.start()]
    issuer = nominative(re.sub(r"\s+(от|№)\s*$", "", issuer.strip()).strip(" ,"))
    return {"kind": kind_name, "number": number.group(1), "date": when.isoformat(), "issuer": issuer}
