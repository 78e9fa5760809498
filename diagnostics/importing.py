"""What a diagnostics spreadsheet says, school by school. Pure: no database.

Three kinds of file (the coordinator says which one is uploaded):

- ``self_diagnosis`` — one row per school: points per direction of the «Школа Минпросвещения
  России» model (one column per direction), the total, the level, the critical indicators not met
  (one cell listing several, separated by «;» or line breaks);
- ``risk_profile`` — either *wide* (one column per risk factor, cells «низкий/средний/высокий» or
  1/2/3) or *long* (school, factor, level in three columns);
- ``assessments`` — rows of (school, procedure ВПР/ОГЭ/ЕГЭ, subject, grade, participants, share of
  the lowest mark, mean score, doubtful objectivity да/нет).

Columns are recognised by their titles (``diagnostics/vocabulary.py`` and the synonyms below), the
header row may come after title lines or span two rows; columns nobody knows are named in a
warning. Schools are found by code or by name within the region (``schools/matching.py``: exact
after folding, near misses only suggested). :func:`parse` returns the records and every problem
by row and column; ``diagnostics/imports.py`` compares them with the database and writes them.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.xlsx import Sheet, xlsx_bytes
from diagnostics import sheets
from diagnostics.sheets import Grid, ValueProblem
from diagnostics.vocabulary import (
    ASSESSMENT_NAMES,
    ASSESSMENTS,
    DIRECTION_NAMES,
    DIRECTIONS,
    RISK_FACTOR_NAMES,
    RISK_FACTORS,
    lookup,
    normalize,
)
from schools.matching import Candidate, Matcher, fold

SELF_DIAGNOSIS = "self_diagnosis"
RISK_PROFILE = "risk_profile"
ASSESSMENTS_KIND = "assessments"
KINDS = (SELF_DIAGNOSIS, RISK_PROFILE, ASSESSMENTS_KIND)
KIND_LABELS = {
    SELF_DIAGNOSIS: gettext_lazy("Самодиагностика «Школа Минпросвещения России»"),
    RISK_PROFILE: gettext_lazy("Рисковый профиль школ"),
    ASSESSMENTS_KIND: gettext_lazy("Результаты оценочных процедур (ВПР, ОГЭ, ЕГЭ)"),
}
HEADER_SEARCH_ROWS = 15
SELF_LEVEL_LABELS = {
    "below_basic": gettext_lazy("ниже базового"),
    "basic": gettext_lazy("базовый"),
    "medium": gettext_lazy("средний"),
    "full": gettext_lazy("высокий"),
}
RISK_LEVEL_LABELS = {
    "low": gettext_lazy("низкий"),
    "medium": gettext_lazy("средний"),
    "high": gettext_lazy("высокий"),
}
MAX_POINTS = Decimal("99999.9")


@dataclass(frozen=True)
class Field:
    key: str
    header: Any  # as written in the template
    synonyms: tuple[str, ...] = ()
    loose: bool = True  # may be found inside a longer title («Количество участников, чел.»)


SCHOOL_FIELDS = (
    Field(
        "school",
        gettext_lazy("Школа"),
        (
            "школа",
            "наименование оо",
            "название оо",
            "наименование школы",
            "название школы",
            "образовательная организация",
            "наименование образовательной организации",
            "общеобразовательная организация",
            "наименование общеобразовательной организации",
            "оо",
            "организация",
            "наименование",
            "название",
            "краткое наименование",
            "краткое название",
            "полное наименование",
            "полное название",
        ),
        loose=False,
    ),
    Field(
        "code",
        gettext_lazy("Код школы"),
        ("код", "код оо", "код школы", "код организации", "идентификатор", "логин оо", "код по реестру"),
        loose=False,
    ),
    Field(
        "municipality",
        gettext_lazy("Муниципалитет"),
        (
            "муниципалитет",
            "муниципальное образование",
            "мо",
            "район",
            "муниципальный район",
            "муниципальный округ",
            "городской округ",
            "ато",
            "мсу",
        ),
        loose=False,
    ),
    Field("year", gettext_lazy("Год"), ("год", "учебный год", "год проведения", "период"), loose=False),
)
SELF_FIELDS = (
    *SCHOOL_FIELDS,
    Field(
        "total",
        gettext_lazy("Баллы всего"),
        (
            "итого",
            "всего",
            "всего баллов",
            "баллы всего",
            "сумма баллов",
            "итоговый балл",
            "общий балл",
            "общее количество баллов",
            "итого баллов",
            "количество баллов",
        ),
    ),
    Field(
        "level",
        gettext_lazy("Уровень"),
        (
            "уровень",
            "уровень соответствия",
            "итоговый уровень",
            "уровень по итогам самодиагностики",
            "результат самодиагностики",
            "уровень соответствия модели",
            "достигнутый уровень",
        ),
        loose=False,
    ),
    Field(
        "critical",
        gettext_lazy("Невыполненные критические показатели"),
        (
            "критические показатели",
            "невыполненные критические показатели",
            "не выполнены критические показатели",
            "критичные показатели",
            "критические показатели не выполнены",
            "невыполненные критичные показатели",
        ),
    ),
)
RISK_FIELDS = (
    *SCHOOL_FIELDS,
    Field(
        "factor",
        gettext_lazy("Фактор риска"),
        ("фактор риска", "фактор", "риск", "рисковый фактор", "наименование фактора", "наименование риска"),
        loose=False,
    ),
    Field(
        "level",
        gettext_lazy("Уровень риска"),
        ("уровень риска", "уровень", "значение", "степень риска", "выраженность", "выраженность риска"),
        loose=False,
    ),
)
ASSESSMENT_FIELDS = (
    *SCHOOL_FIELDS,
    Field(
        "kind",
        gettext_lazy("Процедура"),
        (
            "процедура",
            "оценочная процедура",
            "вид процедуры",
            "вид оценочной процедуры",
            "форма",
            "форма оценки",
            "вид",
            "экзамен",
        ),
        loose=False,
    ),
    Field("subject", gettext_lazy("Предмет"), ("предмет", "учебный предмет", "дисциплина")),
    Field("grade", gettext_lazy("Класс"), ("класс", "параллель"), loose=False),
    Field(
        "participants",
        gettext_lazy("Участников"),
        (
            "участников",
            "количество участников",
            "число участников",
            "участники",
            "кол-во участников",
            "писали",
            "приняли участие",
            "выполняли работу",
        ),
    ),
    Field(
        "lowest_share",
        gettext_lazy("Доля «2», %"),
        (
            "доля 2",
            "доля двоек",
            "доля отметок 2",
            "получивших 2",
            "доля неудовлетворительных результатов",
            "доля низшего результата",
            "доля не преодолевших минимальный порог",
            "не преодолели минимальный порог",
            "доля ниже минимального балла",
            "ниже минимального балла",
            "доля не справившихся",
            "не справились",
        ),
    ),
    Field(
        "mean_score",
        gettext_lazy("Средний балл"),
        (
            "средний балл",
            "средняя отметка",
            "средний тестовый балл",
            "средний первичный балл",
            "средняя оценка",
        ),
    ),
    Field(
        "doubtful",
        gettext_lazy("Признаки необъективности"),
        (
            "признаки необъективности",
            "признак необъективности",
            "необъективность",
            "необъективные результаты",
            "сомнительная объективность",
            "флаг необъективности",
            "признаки необъективности результатов",
        ),
    ),
)
FIELDS = {SELF_DIAGNOSIS: SELF_FIELDS, RISK_PROFILE: RISK_FIELDS, ASSESSMENTS_KIND: ASSESSMENT_FIELDS}
# Columns that carry nothing to load and need no warning.
SILENT_HEADERS = {"№", "n", "№ п/п", "п/п", "номер", "номер п/п", "no"}


def header_key(text: str) -> str:
    return " ".join(normalize(text).replace("%", " ").replace("/", " ").split())


def _without_brackets(text: str) -> str:
    return header_key(re.sub(r"\(.*?\)", " ", str(text)))


def recognize(kind: str, header: str) -> str | None:
    """What a column title names for this kind of file: a field key, ``dir:<code>`` (points of a
    direction) or ``factor:<code>`` (a risk factor's column in the wide layout); None if nothing."""
    keys = {header_key(header), _without_brackets(header)} - {""}
    if not keys:
        return None
    fields = FIELDS[kind]
    for f in fields:
        if keys & {header_key(s) for s in (str(f.header), *f.synonyms)}:
            return f.key
    if kind == SELF_DIAGNOSIS:
        code = lookup(DIRECTIONS, header) or lookup(DIRECTIONS, _without_brackets(header))
        if code:
            return f"dir:{code}"
    if kind == RISK_PROFILE:
        code = lookup(RISK_FACTORS, header) or lookup(RISK_FACTORS, _without_brackets(header))
        if code:
            return f"factor:{code}"
    best: tuple[int, str] | None = None
    text = f" {header_key(header)} "
    for f in fields:
        if not f.loose:
            continue
        for s in (str(f.header), *f.synonyms):
            s = header_key(s)
            if len(s) >= 5 and f" {s} " in text and (best is None or len(s) > best[0]):
                best = (len(s), f.key)
    return best[1] if best else None


def column_meaning(key: str) -> str:
    if key.startswith("dir:"):
        return _("баллы: %(name)s") % {"name": DIRECTION_NAMES[key[4:]]}
    if key.startswith("factor:"):
        return _("фактор риска: %(name)s") % {"name": RISK_FACTOR_NAMES[key[7:]]}
    for fields in FIELDS.values():
        for f in fields:
            if f.key == key:
                return str(f.header)
    return key


# --- Schools ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolRef:
    id: int
    code: str
    names: tuple[str, ...]  # short and full name
    label: str
    municipality: str = ""


class SchoolFinder:
    """A school of the region by code or by name (and municipality when names repeat)."""

    def __init__(self, schools: Sequence[SchoolRef], choices: dict[str, int] | None = None) -> None:
        self.by_id = {s.id: s for s in schools}
        self.by_code = {s.code.strip(): s for s in schools if s.code.strip()}
        self.matcher = Matcher(Candidate(id=s.id, names=s.names, label=s.label) for s in schools)
        # Names the file writes its own way → the school a person picked for them in the preview.
        self.choices = {fold(k): self.by_id[v] for k, v in (choices or {}).items() if v in self.by_id}

    def find(self, *, name: str, code: str, municipality: str) -> tuple[SchoolRef | None, str]:
        """The school, or None and what to do about it."""
        by_code = self.by_code.get(code.strip()) if code.strip() else None
        by_name = self._by_name(name, municipality) if name.strip() else None
        if by_code is None and not isinstance(by_name, SchoolRef) and fold(name) in self.choices:
            return self.choices[fold(name)], ""
        if isinstance(by_name, str):
            if by_code is not None:
                return by_code, ""
            return None, by_name
        if by_code is not None and by_name is not None and by_code.id != by_name.id:
            return None, _(
                "Код «%(code)s» — это «%(a)s», а название — «%(b)s». Исправьте код или название."
            ) % {"code": code, "a": by_code.label, "b": by_name.label}
        school = by_code or by_name
        if school is not None:
            return school, ""
        if not name.strip():
            return None, _(
                "Школы с кодом «%(code)s» нет в регионе. Укажите название школы или верный код."
            ) % {"code": code}
        suggestions = self.matcher.suggest(name)
        if suggestions:
            return None, _(
                "Школа «%(name)s» не найдена в регионе. Похожие: %(list)s. Напишите название, как в "
                "портале, или укажите код школы."
            ) % {"name": name, "list": "; ".join(f"«{s.label}»" for s in suggestions)}
        return None, _(
            "Школа «%(name)s» не найдена в регионе, похожих нет. Проверьте название или загрузите "
            "школу в разделе «Подключение → Организации»."
        ) % {"name": name}

    def suggestions(self, name: str) -> list[dict[str, Any]]:
        """Schools to pick from for a name that matched none (or several)."""
        same = self.matcher.exact.get(fold(name), set())
        if len(same) > 1:
            return sorted(({"id": i, "label": self.by_id[i].label} for i in same), key=lambda s: s["label"])
        return [{"id": s.id, "label": s.label} for s in self.matcher.suggest(name)]

    def _by_name(self, name: str, municipality: str) -> SchoolRef | None | str:
        ids = self.matcher.exact.get(fold(name), set())
        if len(ids) > 1 and municipality.strip():
            wanted = fold(municipality)
            ids = {i for i in ids if fold(self.by_id[i].municipality) == wanted}
        if len(ids) == 1:
            return self.by_id[next(iter(ids))]
        if len(ids) > 1:
            return _(
                "Школ с названием «%(name)s» в регионе несколько: укажите муниципалитет или код школы."
            ) % {"name": name}
        return None


# --- Parsing ------------------------------------------------------------------------------------


@dataclass
class Parsed:
    kind: str
    file: str
    layout: str = ""  # risk profile: «wide» or «long»
    header_row: int = 0
    columns: list[dict[str, str]] = field(default_factory=list)  # how each title was understood
    ignored: list[str] = field(default_factory=list)  # titles nobody knows
    warnings: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    # Names that matched no school (or several), by folded name: what a person may pick for.
    unmatched: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, row: int | None, column: str, message: str) -> None:
        self.problems.append({"row": row, "column": column, "message": message})

    @property
    def school_ids(self) -> set[int]:
        return {r["school_id"] for r in self.records}


def _header(grid: Grid, kind: str) -> tuple[int, dict[int, str], dict[int, str]]:
    """(row index, position → key, position → title) of the header row: the row among the first
    ones where most titles are recognised; a blank title takes the one above it (two-row headers)."""
    best: tuple[int, dict[int, str], dict[int, str]] = (-1, {}, {})
    best_score = 0
    for index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        above = grid.rows[index - 1] if index else []
        keys: dict[int, str] = {}
        titles: dict[int, str] = {}
        for pos, cell in enumerate(row):
            title = cell or (above[pos] if pos < len(above) else "")
            if not title:
                continue
            titles[pos] = title
            key = recognize(kind, title)
            if key and key not in keys.values():
                keys[pos] = key
        score = len(keys) + (2 if {"school", "code"} & set(keys.values()) else 0)
        if score > best_score and {"school", "code"} & set(keys.values()):
            best, best_score = (index, keys, titles), score
    return best


def _numbering_row(row: list[str]) -> bool:
    """«1 2 3 4 …» under a header (the columns numbered, as official forms do)."""
    values = [c for c in row if c]
    return (
        len(values) >= 3
        and all(v.isdigit() for v in values)
        and values == [str(i) for i in range(int(values[0]), int(values[0]) + len(values))]
    )


def parse(
    kind: str,
    grid: Grid,
    schools: Sequence[SchoolRef],
    *,
    year: int | None = None,
    choices: dict[str, int] | None = None,
) -> Parsed:
    """The records of ``grid`` as ``kind``, each naming its school; problems by row and column.

    A «Год» column, if the file has one, must agree with ``year`` (the year being loaded).
    ``choices`` maps a school name as the file writes it to the school a person picked for it."""
    parsed = Parsed(kind=kind, file=grid.name)
    index, keys, titles = _header(grid, kind)
    if index < 0:
        parsed.add(
            None,
            _("Заголовок"),
            _(
                "Не найдена строка заголовков со столбцом «Школа» (или «Код школы»). Возьмите шаблон: "
                "названия столбцов — в одной строке над данными."
            ),
        )
        return parsed
    parsed.header_row = index + 1
    for pos, title in sorted(titles.items()):
        if pos in keys:
            parsed.columns.append({"header": title, "meaning": column_meaning(keys[pos])})
        elif header_key(title) not in {header_key(h) for h in SILENT_HEADERS} and title not in parsed.ignored:
            parsed.ignored.append(title)
    if parsed.ignored:
        parsed.warnings.append(
            _("Столбцы не распознаны и не загружаются: %(list)s.")
            % {"list": ", ".join(f"«{t}»" for t in parsed.ignored)}
        )
    header = {key: titles[pos] for pos, key in keys.items()}
    rows = []
    for number, row in enumerate(grid.rows[index + 1 :], start=index + 2):
        if not any(row) or (number == index + 2 and _numbering_row(row)):
            continue
        values = {key: (row[pos] if pos < len(row) else "") for pos, key in keys.items()}
        if not any(values.values()):
            continue
        rows.append((number, values))
    finder = SchoolFinder(schools, choices)
    parser: Callable[..., None] = {
        SELF_DIAGNOSIS: _parse_self_diagnosis,
        RISK_PROFILE: _parse_risk_profile,
        ASSESSMENTS_KIND: _parse_assessments,
    }[kind]
    parser(parsed, rows, header, finder)
    if year is not None and "year" in header:
        _check_year(parsed, rows, header["year"], year)
    if not rows:
        parsed.add(None, _("Файл"), _("Под заголовками нет ни одной строки с данными."))
    parsed.problems.sort(key=lambda p: (p["row"] or 0, p["column"]))
    return parsed


def _school(
    parsed: Parsed, number: int, values: dict[str, str], header: dict[str, str], finder: SchoolFinder
) -> SchoolRef | None:
    name, code = values.get("school", "").strip(), values.get("code", "").strip()
    if not name and not code:
        parsed.add(number, header.get("school") or header.get("code", ""), _("Не указана школа."))
        return None
    school, message = finder.find(name=name, code=code, municipality=values.get("municipality", ""))
    if school is None:
        parsed.add(number, header.get("school") or header["code"], message)
        if name and not (code and code in finder.by_code):
            entry = parsed.unmatched.setdefault(
                fold(name), {"name": name, "rows": [], "suggestions": finder.suggestions(name)}
            )
            entry["rows"].append(number)
    return school


def _check_year(parsed: Parsed, rows: list, column: str, year: int) -> None:
    wrong = set()
    for number, values in rows:
        years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", values.get("year", ""))
        if years and str(year) not in years:
            wrong.add(number)
            parsed.add(
                number,
                column,
                _(
                    "В строке год «%(v)s», а загружается %(y)s год: выберите в форме тот же год "
                    "или разделите файл по годам."
                )
                % {"v": values["year"], "y": year},
            )
    parsed.records = [r for r in parsed.records if r["row"] not in wrong]


def _is_total_row(values: dict[str, str]) -> bool:
    name = sheets.fold(values.get("school", ""))
    return name.startswith(("итого", "всего", "по региону", "среднее по"))


def _value(parsed: Parsed, number: int, column: str, reader: Callable[[str], Any], text: str) -> Any:
    try:
        return reader(text)
    except ValueProblem as exc:
        parsed.add(number, column, str(exc))
        return None


def _max_from_header(title: str) -> Decimal | None:
    m = re.search(r"(?:из|макс\w*\.?|max\.?|максимум)\s*(\d+(?:[.,]\d+)?)", str(title), re.I)
    return Decimal(m.group(1).replace(",", ".")) if m else None


def _skip_total(parsed: Parsed, number: int) -> None:
    parsed.warnings.append(_("Строка %(row)s — итоговая, она пропущена.") % {"row": number})


def _parse_self_diagnosis(parsed: Parsed, rows: list, header: dict[str, str], finder: SchoolFinder) -> None:
    directions = [k for k in header if k.startswith("dir:")]
    if "level" not in header:
        parsed.add(
            None,
            _("Заголовок"),
            _(
                "Нет столбца «Уровень» (ниже базового, базовый, средний, высокий): возьмите шаблон "
                "самодиагностики."
            ),
        )
        return
    seen: dict[int, int] = {}
    for number, values in rows:
        if _is_total_row(values):
            _skip_total(parsed, number)
            continue
        bad = len(parsed.problems)
        school = _school(parsed, number, values, header, finder)
        scores: dict[str, list[str | None]] = {}
        for key in directions:
            points = _value(parsed, number, header[key], sheets.parse_number, values[key])
            if points is None:
                continue
            top = _max_from_header(header[key])
            if points < 0 or points > MAX_POINTS:
                parsed.add(number, header[key], _("Баллы — число от 0, а не «%(v)s».") % {"v": values[key]})
            elif top is not None and points > top:
                parsed.add(
                    number,
                    header[key],
                    _("Баллов %(p)s — больше максимума %(m)s, указанного в заголовке.")
                    % {"p": points, "m": top},
                )
            scores[key[4:]] = [str(points.quantize(Decimal("0.1"))), str(top) if top is not None else None]
        total = _value(parsed, number, header.get("total", ""), sheets.parse_number, values.get("total", ""))
        if total is not None and not 0 <= total <= MAX_POINTS:
            parsed.add(
                number, header["total"], _("Баллы — число от 0, а не «%(v)s».") % {"v": values["total"]}
            )
        if total is None and scores:
            total = sum(Decimal(p) for p, _m in scores.values())
        level = _value(parsed, number, header["level"], sheets.parse_self_level, values["level"])
        if level is None and len(parsed.problems) == bad:
            parsed.add(
                number,
                header["level"],
                _("Не указан уровень: «ниже базового», «базовый», «средний» или «высокий»."),
            )
        critical = sheets.split_list(values.get("critical", ""))
        if any(len(c) > 500 for c in critical):
            parsed.add(
                number, header["critical"], _("Показатель длиннее 500 знаков: сократите формулировку.")
            )
        if school is not None:
            if school.id in seen:
                parsed.add(
                    number,
                    header.get("school") or header["code"],
                    _("Школа «%(name)s» уже есть в строке %(row)s: оставьте одну строку на школу.")
                    % {"name": school.label, "row": seen[school.id]},
                )
                continue
            seen[school.id] = number
        if len(parsed.problems) == bad and school is not None:
            parsed.records.append(
                {
                    "row": number,
                    "school_id": school.id,
                    "school": school.label,
                    "level": level,
                    "level_label": str(SELF_LEVEL_LABELS[level]),
                    "total": str(total.quantize(Decimal("0.1"))) if total is not None else None,
                    "scores": scores,
                    "scores_label": "; ".join(
                        f"{DIRECTION_NAMES[c]} — {p.replace('.', ',')}" for c, (p, _m) in scores.items()
                    ),
                    "critical": critical,
                }
            )


def _parse_risk_profile(parsed: Parsed, rows: list, header: dict[str, str], finder: SchoolFinder) -> None:
    factors = [k for k in header if k.startswith("factor:")]
    long = "factor" in header and "level" in header
    if not long and not factors:
        parsed.add(
            None,
            _("Заголовок"),
            _(
                "Не найдены столбцы факторов риска: либо по столбцу на каждый фактор («Дефицит "
                "педагогических кадров», …), либо три столбца «Школа», «Фактор риска», «Уровень риска»."
            ),
        )
        return
    parsed.layout = "long" if long else "wide"
    seen: dict[tuple[int, str], int] = {}
    seen_schools: dict[int, int] = {}

    def add(number: int, school: Any, factor: str, level: str, column: str) -> None:
        key = (school.id, factor)
        if key in seen:
            parsed.add(
                number,
                column,
                _("Фактор «%(f)s» для этой школы уже есть в строке %(row)s.")
                % {"f": RISK_FACTOR_NAMES[factor], "row": seen[key]},
            )
            return
        seen[key] = number
        parsed.records.append(
            {
                "row": number,
                "school_id": school.id,
                "school": school.label,
                "factor": factor,
                "factor_label": str(RISK_FACTOR_NAMES[factor]),
                "level": level,
                "level_label": str(RISK_LEVEL_LABELS[level]),
            }
        )

    for number, values in rows:
        if _is_total_row(values):
            _skip_total(parsed, number)
            continue
        bad = len(parsed.problems)
        school = _school(parsed, number, values, header, finder)
        found: list[tuple[str, str, str]] = []
        if long:
            factor = lookup(RISK_FACTORS, values["factor"])
            if factor is None:
                parsed.add(
                    number,
                    header["factor"],
                    _("Неизвестный фактор риска «%(v)s»: напишите его, как в шаблоне.")
                    % {"v": values["factor"]},
                )
            level = _value(parsed, number, header["level"], sheets.parse_risk_level, values["level"])
            if level is None and len(parsed.problems) == bad:
                parsed.add(
                    number, header["level"], _("Не указан уровень риска: «низкий», «средний» или «высокий».")
                )
            if factor and level:
                found.append((factor, level, header["factor"]))
        else:
            for key in factors:
                level = _value(parsed, number, header[key], sheets.parse_risk_level, values[key])
                if level:
                    found.append((key[7:], level, header[key]))
            if not found and len(parsed.problems) == bad:
                parsed.warnings.append(
                    _("Строка %(row)s: ни один фактор не оценён, строка пропущена.") % {"row": number}
                )
        if school is None or len(parsed.problems) != bad:
            continue
        if not long and school.id in seen_schools:
            parsed.add(
                number,
                header.get("school") or header["code"],
                _("Школа «%(name)s» уже есть в строке %(row)s: оставьте одну строку на школу.")
                % {"name": school.label, "row": seen_schools[school.id]},
            )
            continue
        seen_schools.setdefault(school.id, number)
        for factor, level, column in found:
            add(number, school, factor, level, column)


def _grade(text: str) -> int | None:
    if sheets.is_empty(text):
        return None
    m = re.fullmatch(r"(\d{1,2})\s*(?:-?\s*й)?\s*(?:класс|кл\.?|классы)?", sheets.fold(text))
    if not m or not 1 <= int(m.group(1)) <= 11:
        raise ValueProblem(_("Класс — число от 1 до 11, а не «%(v)s».") % {"v": text})
    return int(m.group(1))


def _assessment_kind(text: str) -> str:
    code = lookup(ASSESSMENTS, text)
    if code is None:
        raise ValueProblem(_("Процедура — «ВПР», «ОГЭ» или «ЕГЭ», а не «%(v)s».") % {"v": text})
    return code


def _parse_assessments(parsed: Parsed, rows: list, header: dict[str, str], finder: SchoolFinder) -> None:
    missing = [
        str(f.header)
        for f in ASSESSMENT_FIELDS
        if f.key in ("kind", "subject", "participants") and f.key not in header
    ]
    if missing:
        parsed.add(
            None,
            _("Заголовок"),
            _("В таблице нет обязательных столбцов: %(list)s. Возьмите шаблон результатов.")
            % {"list": ", ".join(f"«{m}»" for m in missing)},
        )
        return
    seen: dict[tuple[int, str, str, int | None], int] = {}
    for number, values in rows:
        if _is_total_row(values):
            _skip_total(parsed, number)
            continue
        bad = len(parsed.problems)
        school = _school(parsed, number, values, header, finder)
        kind = _value(parsed, number, header["kind"], _assessment_kind, values["kind"])
        subject = " ".join(values["subject"].split())
        if not subject:
            parsed.add(number, header["subject"], _("Не указан предмет."))
        elif len(subject) > 100:
            parsed.add(number, header["subject"], _("Название предмета длиннее 100 знаков."))
        grade_text = values.get("grade", "")
        grade = _value(parsed, number, header.get("grade", ""), _grade, grade_text)
        if grade is None and sheets.is_empty(grade_text):
            if kind == "vpr":
                parsed.add(number, header.get("grade", _("Класс")), _("Для ВПР укажите класс (4–11)."))
            elif kind in ("oge", "ege"):
                grade = 9 if kind == "oge" else 11  # stored so rows keep one shape
        elif grade is not None and kind == "vpr" and grade < 4:
            parsed.add(number, header["grade"], _("ВПР пишут с 4 по 11 класс, а не в %(n)s.") % {"n": grade})
        participants = _value(
            parsed, number, header["participants"], sheets.parse_whole, values["participants"]
        )
        if participants is None and len(parsed.problems) == bad:
            parsed.add(number, header["participants"], _("Не указано число участников."))
        share = _value(
            parsed,
            number,
            header.get("lowest_share", ""),
            sheets.parse_number,
            values.get("lowest_share", ""),
        )
        if share is not None and not 0 <= share <= 100:
            parsed.add(
                number,
                header["lowest_share"],
                _("Доля — процент от 0 до 100, а не «%(v)s».") % {"v": values["lowest_share"]},
            )
        mean = _value(
            parsed, number, header.get("mean_score", ""), sheets.parse_number, values.get("mean_score", "")
        )
        if mean is not None and not 0 <= mean <= 100:
            parsed.add(
                number,
                header["mean_score"],
                _("Средний балл — число от 0 до 100, а не «%(v)s».") % {"v": values["mean_score"]},
            )
        doubtful = _value(
            parsed, number, header.get("doubtful", ""), sheets.parse_flag, values.get("doubtful", "")
        )
        if school is None or len(parsed.problems) != bad:
            continue
        key = (school.id, kind, sheets.fold(subject), grade)
        if key in seen:
            parsed.add(
                number,
                header["subject"],
                _("%(kind)s «%(subject)s»%(grade)s для этой школы уже есть в строке %(row)s.")
                % {
                    "kind": ASSESSMENT_NAMES[kind],
                    "subject": subject,
                    "grade": _(", %(n)s класс") % {"n": grade} if grade else "",
                    "row": seen[key],
                },
            )
            continue
        seen[key] = number
        parsed.records.append(
            {
                "row": number,
                "school_id": school.id,
                "school": school.label,
                "kind": kind,
                "kind_label": str(ASSESSMENT_NAMES[kind]),
                "subject": subject,
                "grade": grade,
                "participants": participants,
                "lowest_share": str(share.quantize(Decimal("0.1"))) if share is not None else None,
                "mean_score": str(mean.quantize(Decimal("0.01"))) if mean is not None else None,
                "doubtful": bool(doubtful),
            }
        )
    _warn_fractions(parsed)


def _warn_fractions(parsed: Parsed) -> None:
    """Shares typed as fractions (0,238 for 23,8 %) look like tiny percentages: say so."""
    shares = [Decimal(r["lowest_share"]) for r in parsed.records if r["lowest_share"] is not None]
    if len(shares) >= 3 and all(s <= 1 for s in shares) and any(s > 0 for s in shares):
        parsed.warnings.append(
            _(
                "Все доли «2» не больше 1 %. Если в файле доли от единицы (0,238 вместо 23,8 %), "
                "умножьте их на 100 и загрузите файл снова."
            )
        )


# --- Templates ----------------------------------------------------------------------------------

TEMPLATE_NOTE = gettext_lazy(
    "Диагностика и поддержка, не рейтинг школ и учителей. Строка заголовков — ниже; названия "
    "столбцов можно менять в пределах синонимов, лишние столбцы не загружаются."
)


def template_columns(kind: str) -> list[tuple[Any, float]]:
    school = [(_("Код школы"), 12), (_("Муниципалитет"), 24), (_("Школа"), 40)]
    if kind == SELF_DIAGNOSIS:
        return [
            *school,
            *[(_("%(name)s (баллы)") % {"name": t.name}, 14) for t in DIRECTIONS],
            (_("Баллы всего"), 12),
            (_("Уровень"), 16),
            (_("Невыполненные критические показатели"), 48),
        ]
    if kind == RISK_PROFILE:
        return [*school, *[(t.name, 22) for t in RISK_FACTORS]]
    return [
        *school,
        (_("Процедура"), 12),
        (_("Предмет"), 20),
        (_("Класс"), 8),
        (_("Участников"), 12),
        (_("Доля «2», %"), 12),
        (_("Средний балл"), 12),
        (_("Признаки необъективности"), 16),
    ]


def template_xlsx(kind: str, schools: Sequence[SchoolRef]) -> bytes:
    """The template of ``kind``: the heading, the columns, one row per school of the region
    (code, municipality, name filled in), or one example row when there are none."""
    columns = template_columns(kind)
    rest = len(columns) - 3
    if schools:
        rows = [[s.code, s.municipality, s.names[0], *([""] * rest)] for s in schools]
    else:
        example = {
            SELF_DIAGNOSIS: [
                "12",
                "10",
                "14",
                "8",
                "9",
                "11",
                "10",
                "7",
                "81",
                _("базовый"),
                _("нет школьного театра"),
            ],
            RISK_PROFILE: [_("высокий"), _("средний")] + [_("низкий")] * (len(RISK_FACTORS) - 2),
            ASSESSMENTS_KIND: [_("ВПР"), _("Математика"), "5", "42", "23,8", "3,1", _("нет")],
        }[kind]
        rows = [["700001", _("Город Примерный"), _("МАОУ СОШ № 5"), *example]]
    heading = [KIND_LABELS[kind], TEMPLATE_NOTE]
    return xlsx_bytes([Sheet(title=_("Данные"), columns=columns, rows=rows, heading=heading)])
