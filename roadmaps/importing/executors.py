"""Resolving the «Исполнители» cell to organizations and groups: pure, no database.

Cells mix abbreviations, full names and people: «ДОО ТО, ТОИПКРО», «Управление образования
(Н.Л.Полунина); ТОИПКРО», «Департамент образования Томской области ТОИПКРО» (no separator at
all), «Муниципальные органы, осуществляющие управление в сфере общего образования» (a comma
inside one name). So the region's known aliases are searched for in the whole cell first,
longest first; what is left is split on separators and reported as unresolved — never invented.
"""

import re
from dataclasses import asdict, dataclass

PERSON = re.compile(r"[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.?")
BRACKETS = re.compile(r"\(([^()]*)\)")
SEPARATORS = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class AliasTarget:
    alias: str
    organization_id: int | None = None
    organization: str = ""  # short name, for display
    group: str = ""


@dataclass
class Executor:
    text: str
    organization_id: int | None = None
    organization: str = ""
    group: str = ""
    persons: str = ""

    @property
    def resolved(self) -> bool:
        return bool(self.organization_id or self.group)

    def to_dict(self) -> dict:
        return asdict(self) | {"resolved": self.resolved}


def _fold(text: str) -> str:
    # Same length as the input, so match positions map back onto the original text.
    return text.lower().replace("ё", "е")


def _alias_pattern(alias: str) -> re.Pattern:
    words = [re.escape(w) for w in _fold(alias).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def _people(part: str) -> list[tuple[int, str]]:
    """«Иванов И.И. Петрова А.А.» or «Директор Иванов И.И. Заместитель директора Петрова А.А.»:
    several people in one fragment with no separator are split after each name."""
    ends = [m.end() for m in PERSON.finditer(part)]
    if len(ends) < 2:
        return [(0, part)]
    cuts = [0, *ends[:-1], len(part)]
    return [(a, part[a:b]) for a, b in zip(cuts, cuts[1:], strict=False) if part[a:b].strip()]


def resolve_executors(text: str, aliases: list[AliasTarget]) -> list[Executor]:
    if not text.strip():
        return []
    folded = _fold(text)
    taken = [False] * len(text)
    found: list[tuple[int, int, AliasTarget]] = []
    for target in sorted(aliases, key=lambda a: len(a.alias), reverse=True):
        for m in _alias_pattern(target.alias).finditer(folded):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append((m.start(), m.end(), target))
    # Brackets with people's names belong to the executor just before them.
    persons_at: list[tuple[int, int, str]] = []
    for m in BRACKETS.finditer(text):
        names = PERSON.findall(m.group(1))
        if names and not any(taken[m.start() : m.end()]):
            persons_at.append((m.start(), m.end(), ", ".join(n.strip() for n in names)))
            for i in range(m.start(), m.end()):
                taken[i] = True
    pieces: list[tuple[int, Executor]] = []
    for start, end, target in found:
        pieces.append(
            (
                start,
                Executor(
                    text=re.sub(r"\s+", " ", text[start:end]),
                    organization_id=target.organization_id,
                    organization=target.organization,
                    group=target.group,
                ),
            )
        )
    # What no alias covered: split on separators, keep fragments with letters.
    leftover = "".join(ch if not taken[i] else "\x00" for i, ch in enumerate(text))
    for m in re.finditer(r"[^\x00]+", leftover):
        offset = m.start()
        for part in SEPARATORS.split(m.group(0)):
            base = offset + max(m.group(0).find(part), 0)
            for at, person in _people(part):
                cleaned = re.sub(r"\s+", " ", person).strip(" ,;:–—-()")
                if not re.search(r"(?:^|[\s.])[А-ЯЁ]\.$", cleaned):  # keep the dot of an initial («А.А.»)
                    cleaned = cleaned.rstrip(".").strip()
                if re.search(r"[A-Za-zА-Яа-яЁё]{2,}", cleaned):
                    pieces.append((base + at, Executor(text=cleaned)))
    pieces.sort(key=lambda p: p[0])
    for start, _end, people in persons_at:
        before = [e for pos, e in pieces if pos < start]
        owner = before[-1] if before else (pieces[0][1] if pieces else None)
        if owner is None:
            pieces.append((start, Executor(text=people, persons=people)))
            continue
        owner.persons = ", ".join(filter(None, [owner.persons, people]))
    return [e for _pos, e in pieces]
