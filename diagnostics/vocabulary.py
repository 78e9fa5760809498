"""The words of school diagnostics: directions of the «Школа Минпросвещения России» model, the
risk factors of a school's risk profile, assessment procedures — with the spellings met in the
regions' spreadsheets, so importers can map a column or a cell to one code.

Pure data and lookups, no database.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    synonyms: tuple[str, ...] = ()


# Магистральные направления and ключевые условия of the model (self-diagnosis points per each).
DIRECTIONS: tuple[Term, ...] = (
    Term("knowledge", _("Знание"), ("знание", "знания")),
    Term("upbringing", _("Воспитание"), ("воспитание",)),
    Term("health", _("Здоровье"), ("здоровье",)),
    Term("creativity", _("Творчество"), ("творчество",)),
    Term("career", _("Профориентация"), ("профориентация",)),
    Term(
        "teacher", _("Учитель. Школьная команда"), ("учитель", "школьная команда", "учитель школьная команда")
    ),
    Term("climate", _("Школьный климат"), ("школьный климат", "климат")),
    Term("environment", _("Образовательная среда"), ("образовательная среда", "среда")),
)

# Risk factors of a school's risk profile (the federal methodology's list, plus the social
# context a ШНСУ status rests on).
RISK_FACTORS: tuple[Term, ...] = (
    Term(
        "material_base",
        _("Низкий уровень оснащения школы"),
        ("оснащение", "материальная база", "низкая материальная база", "оснащенность"),
    ),
    Term(
        "staff_shortage",
        _("Дефицит педагогических кадров"),
        ("дефицит кадров", "нехватка учителей", "кадровый дефицит", "дефицит педагогов"),
    ),
    Term(
        "teacher_competence",
        _("Недостаточная предметная и методическая компетентность педагогов"),
        ("компетентность педагогов", "предметная компетентность", "методическая компетентность"),
    ),
    Term(
        "grading",
        _("Риски низкой адекватности бальной оценки"),
        ("адекватность оценки", "бальная оценка", "балльная оценка", "объективность оценивания"),
    ),
    Term(
        "training_system",
        _("Несформированность внутришкольной системы повышения квалификации"),
        ("повышение квалификации", "внутришкольная система повышения квалификации"),
    ),
    Term(
        "learning_difficulties",
        _("Высокая доля обучающихся с рисками учебной неуспешности"),
        ("учебная неуспешность", "трудности в обучении", "риски учебной неуспешности", "учебные трудности"),
    ),
    Term(
        "language_barriers",
        _("Низкое качество преодоления языковых и культурных барьеров"),
        ("языковые барьеры", "культурные барьеры", "языковые и культурные барьеры"),
    ),
    Term(
        "school_environment",
        _("Пониженный уровень качества школьной образовательной и воспитательной среды"),
        ("воспитательная среда", "качество среды", "образовательная и воспитательная среда"),
    ),
    Term(
        "parents",
        _("Низкий уровень вовлечённости родителей"),
        ("вовлеченность родителей", "вовлечённость родителей", "родители"),
    ),
    Term(
        "special_needs",
        _("Высокая доля обучающихся с ОВЗ"),
        ("овз", "обучающиеся с овз", "доля обучающихся с овз"),
    ),
    Term(
        "motivation",
        _("Низкая учебная мотивация обучающихся"),
        ("мотивация", "учебная мотивация", "низкая мотивация"),
    ),
    Term("discipline", _("Низкий уровень дисциплины в классе"), ("дисциплина", "дисциплина в классе")),
    Term(
        "social_conditions",
        _("Неблагоприятные социальные условия"),
        ("социальные условия", "неблагоприятные социальные условия", "социальный контекст"),
    ),
)

ASSESSMENTS: tuple[Term, ...] = (
    Term("vpr", _("ВПР"), ("впр", "всероссийские проверочные работы")),
    Term("oge", _("ОГЭ"), ("огэ", "гиа-9", "гиа 9")),
    Term("ege", _("ЕГЭ"), ("егэ", "гиа-11", "гиа 11")),
)

DIRECTION_NAMES = {t.code: t.name for t in DIRECTIONS}
RISK_FACTOR_NAMES = {t.code: t.name for t in RISK_FACTORS}
ASSESSMENT_NAMES = {t.code: t.name for t in ASSESSMENTS}


def normalize(text: object) -> str:
    """Lower case, ё → е, punctuation and repeated spaces gone: how spellings are compared."""
    value = str(text or "").lower().replace("ё", "е")
    value = re.sub(r"[«»\"'().,;:№]+", " ", value)
    return re.sub(r"\s+", " ", value).strip()


def _index(terms: tuple[Term, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for term in terms:
        for spelling in (term.code, str(term.name), *term.synonyms):
            index[normalize(spelling)] = term.code
    return index


def lookup(terms: tuple[Term, ...], text: object) -> str | None:
    """The code a cell or a column header names, or None (never a guess between two)."""
    key = normalize(text)
    if not key:
        return None
    index = _index(terms)
    if key in index:
        return index[key]
    # A longer header that contains exactly one known spelling («Знание (баллы)»).
    found = {code for spelling, code in index.items() if len(spelling) > 3 and spelling in key}
    return found.pop() if len(found) == 1 else None
