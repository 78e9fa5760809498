"""Read the target number out of a «Показатель реализации».

Roadmaps state indicators as Russian sentences: «Проведено 17 экспертиз муниципальных программ»,
«Размещено не менее 2 новостей в месяц», «более 20% педагогов». Monitoring compares a school's
reported figure with the target, so the target has to be data: a value, a unit, a comparator and
a period («в месяц»).

Pure (standard library only) for the same reasons as ``roadmaps.schedule``. It never raises.

Decisions worth knowing (each one is pinned by a test):

* The first quantity in the sentence is the target: «Проведено по 3 выезда в 17 муниципалитетов»
  gives 3 «выезда» (three per municipality); the note says that there were several numbers.
* Numbers that are not quantities are skipped: years («ВПР-2023», «в 2023 году»), dates, document
  numbers («№ 352»), grades («4-8 классов») and numbers in a reference («справка по итогам 17
  экспертиз» — the deliverable is one report, not 17).
* A sentence without a number is a qualitative indicator («Проведен вебинар»): ``value`` is None
  and ``understood`` False, but that is a normal outcome (the coordinator marks it done or not),
  not an error, and the note says so.
* «до 10%» reads as "at most 10%" (``<=``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["IndicatorParse", "parse_indicator"]

QUALITATIVE_NOTE = "Качественный показатель: числа нет — отмечается факт выполнения"


@dataclass(frozen=True)
class IndicatorParse:
    text: str
    value: Decimal | None
    unit: str = ""
    comparator: str = "="  # one of "=", ">=", ">", "<=", "<"
    per: str = ""  # "", "month", "quarter", "half_year", "year"
    understood: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        # The value travels as a string: a float would turn 12.5 into 12.499999… in some clients.
        return {
            "text": self.text,
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "comparator": self.comparator,
            "per": self.per,
            "understood": self.understood,
            "note": self.note,
        }


_NUMBER = re.compile(
    r"(?<![\w.,/№\-])"
    r"(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)"  # «1 000» as well as «17»
    r"(?:[.,](?P<frac>\d+))?(?!\d)"
)
_NUMBER_WORDS = {
    "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
}  # fmt: skip  # «один/одна» is left out: «одна из школ» is not a target
_NUMBER_WORD = re.compile(r"(?<![а-я])(?P<word>" + "|".join(_NUMBER_WORDS) + r")(?![а-я])")
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}")

# Comparators as written right before the number; longer phrases first so «не более» wins over «более».
_COMPARATORS = [
    ("не менее чем", ">="), ("не меньше чем", ">="), ("не менее", ">="), ("не меньше", ">="),
    ("не ниже", ">="), ("как минимум", ">="), ("минимум", ">="), ("от", ">="), ("≥", ">="), (">=", ">="),
    ("не более чем", "<="), ("не больше чем", "<="), ("не более", "<="), ("не больше", "<="),
    ("не выше", "<="), ("не свыше", "<="), ("не превышает", "<="), ("максимум", "<="), ("до", "<="),
    ("≤", "<="), ("<=", "<="),
    ("более чем", ">"), ("более", ">"), ("больше", ">"), ("свыше", ">"), ("выше", ">"), (">", ">"),
    ("менее чем", "<"), ("менее", "<"), ("меньше", "<"), ("ниже", "<"), ("<", "<"),
]  # fmt: skip

# A number right after these words points at something else (a report «по итогам 17 экспертиз»,
# an order «№ 5», «приложение 2»), so it is not the indicator's target.
_REFERENCE_BEFORE = re.compile(
    r"(?:по\s+итогам|по\s+результатам|на\s+основании|согласно|приложени[а-я]*|пункт[а-я]*|п\.|пп\.|№)\s*$"
)
_AFTER_NOT_QUANTITY = re.compile(r"\s*(?:-\s*\d+\s*)?(?:класс|кл\.)")  # «4-8 классов» are grades

_PER = [
    (re.compile(r"(?<![а-я])(?:в|за)\s+(?:каждый\s+)?месяц(?![а-я])|ежемесячн"), "month"),
    (re.compile(r"(?<![а-я])(?:в|за)\s+(?:каждый\s+)?квартал(?![а-я])|ежекварталь"), "quarter"),
    (
        re.compile(r"(?<![а-я])(?:в|за)\s+(?:каждое\s+)?полугодие(?![а-я])|в\s+полгода|раз\s+в\s+полугодие"),
        "half_year",
    ),
    (re.compile(r"(?<![а-я])(?:в|за)\s+(?:каждый\s+)?год(?![а-я])|ежегодн"), "year"),
]

_UNIT_WORD = re.compile(r"\s*(?P<word>[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)?)")
_PERCENT = re.compile(r"\s*(?:%|процент[а-я]*|проц\.?)")
_ADJECTIVE_ENDINGS = (
    "ых", "их", "ого", "его", "ому", "ему", "ой", "ый", "ий", "ая", "яя",
    "ое", "ее", "ые", "ие", "ую", "юю", "ым", "им", "ыми", "ими",
)  # fmt: skip
# Nouns that happen to end like adjectives: «мероприятий», «заседаний», «мероприятие».
_NOUN_ENDINGS = ("ний", "тий", "рий", "зий", "дий", "ние", "тие")
_STOP_WORDS = {
    "в", "во", "на", "по", "для", "с", "со", "из", "от", "до", "к", "ко", "о", "об", "при", "за",
    "у", "или", "а", "не", "как", "чем", "что", "среди", "между", "через",
}  # fmt: skip


def parse_indicator(text: str) -> IndicatorParse:
    """Parse a «Показатель реализации» into a target. Never raises."""
    original = text if isinstance(text, str) else ""
    try:
        return _parse(original)
    except (InvalidOperation, ValueError, IndexError):  # pragma: no cover - defensive net
        return IndicatorParse(text=original, value=None, note="Не удалось разобрать показатель")


def _parse(original: str) -> IndicatorParse:
    text = re.sub(r"\s+", " ", original).strip()
    # Same length as ``text``, so positions found in one apply to the other.
    low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text).replace("ё", "е")
    per = next((name for pattern, name in _PER if pattern.search(low)), "")

    if not text:
        return IndicatorParse(text=original, value=None, note="Показатель не указан")
    candidates = _quantities(text, low)
    if not candidates:
        return IndicatorParse(text=original, value=None, per=per, note=QUALITATIVE_NOTE)

    start, end, value = candidates[0]
    comparator, distributive = _comparator(low[:start])
    unit = _unit(text, low, end)
    notes: list[str] = []
    if distributive:
        notes.append(f"«по {_plain(value)}» — на каждого; взято первое число")
    elif len(candidates) > 1:
        notes.append("в тексте несколько чисел; взято первое")
    return IndicatorParse(
        text=original,
        value=value,
        unit=unit,
        comparator=comparator,
        per=per,
        understood=True,
        note="; ".join(notes),
    )


def _plain(value: Decimal) -> str:
    return format(value, "f")


def _quantities(text: str, low: str) -> list[tuple[int, int, Decimal]]:
    """Numbers that can be a target, in the order they appear: (start, end, value)."""
    dates = [m.span() for m in _DATE.finditer(low)]
    found: list[tuple[int, int, Decimal]] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if any(a <= start < b for a, b in dates):
            continue
        digits = re.sub(r"\D", "", match.group("int"))
        frac = match.group("frac")
        is_year = not frac and len(match.group("int")) == 4 and 1900 <= int(digits) <= 2100
        if is_year and not low[end:].lstrip().startswith("%"):
            continue
        if _REFERENCE_BEFORE.search(low[:start]) or _AFTER_NOT_QUANTITY.match(low, end):
            continue
        found.append((start, end, Decimal(f"{digits}.{frac}" if frac else digits)))
    for match in _NUMBER_WORD.finditer(low):
        start, end = match.span()
        if not _REFERENCE_BEFORE.search(low[:start]):
            found.append((start, end, Decimal(_NUMBER_WORDS[match.group("word")])))
    return sorted(found, key=lambda item: item[0])


def _comparator(before: str) -> tuple[str, bool]:
    before = before.rstrip()
    if re.search(r"(?<![а-я])по$", before):
        return "=", True  # «по 3 выезда»: a number per each, not a bound
    for phrase, comparator in _COMPARATORS:
        if before.endswith(phrase):
            head = before[: -len(phrase)]
            if not phrase[0].isalpha() or not head or not head[-1].isalpha():
                return comparator, False
    return "=", False


def _unit(text: str, low: str, end: int) -> str:
    """«68 школьных программ» → «школьных программ»; «17 экспертиз муниципальных …» → «экспертиз»."""
    if _PERCENT.match(low, end):
        return "%"
    words: list[str] = []
    pending_and = False
    pos = end
    while len(words) < 6:
        match = _UNIT_WORD.match(text, pos)
        if not match:
            break
        word = match.group("word")
        lowered = word.lower()
        if lowered == "и" and words and _is_adjective(words[-1]):
            pending_and = True  # «педагогических и управленческих команд»
            pos = match.end()
            continue
        if lowered in _STOP_WORDS or lowered == "и":
            break
        if pending_and:
            words.append("и")
            pending_and = False
        words.append(word)
        pos = match.end()
        if not _is_adjective(word):
            break  # the noun ends the unit; what follows is its complement
    while words and words[-1] == "и":  # pragma: no cover - «и» is only kept between words
        words.pop()
    return " ".join(words)


def _is_adjective(word: str) -> bool:
    if word.isupper() or len(word) <= 3:  # «МОУО», «ОО» are nouns
        return False
    lowered = word.lower()
    if lowered.endswith(_NOUN_ENDINGS):
        return False
    return lowered.endswith(_ADJECTIVE_ENDINGS)
