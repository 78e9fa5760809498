"""Matching school names as an order writes them to the organizations of a region. Pure.

Orders name schools their own way: «МАОУ СОШ № 5 им. А.К. Ерохина» for the registry's
«МАОУ СОШ № 5», «МБОУ "Чердатская СОШ"» with straight quotes, «№5» without a space. An exact
match (after folding case, «ё», quotes, spaces and punctuation) is taken; anything else is only
*suggested*, never matched silently. A suggestion must carry the same numbers as the name —
«СОШ № 5» is never offered for «СОШ № 55» or «СОШ № 15».
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from schools.vocabulary import fold_letters

MIN_SCORE = 0.6
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Candidate:
    id: int
    names: tuple[str, ...]  # full and short name (and whatever else it is known by)
    label: str


@dataclass(frozen=True)
class Suggestion:
    id: int
    label: str
    score: float


def fold(text: str) -> str:
    text = fold_letters(text)
    text = re.sub(r"[«»\"'“”„]", " ", text)
    text = re.sub(r"№\s*", "№ ", text)
    text = re.sub(r"[^\w№ ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def numbers(text: str) -> tuple[str, ...]:
    return tuple(sorted(re.findall(r"\d+", text)))


class Matcher:
    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        self.exact: dict[str, set[int]] = {}
        self.by_id = {c.id: c for c in self.candidates}
        for c in self.candidates:
            for name in c.names:
                if name:
                    self.exact.setdefault(fold(name), set()).add(c.id)

    def match(self, name: str) -> Candidate | None:
        """The one candidate called exactly ``name``; None if none or several are."""
        ids = self.exact.get(fold(name), set())
        return self.by_id[next(iter(ids))] if len(ids) == 1 else None

    def suggest(self, name: str, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
        folded = fold(name)
        wanted = numbers(folded)
        scored: list[Suggestion] = []
        for c in self.candidates:
            best = 0.0
            for other in c.names:
                other_f = fold(other)
                if not other_f or numbers(other_f) != wanted:
                    continue
                best = max(best, _score(folded, other_f))
            if best >= MIN_SCORE:
                scored.append(Suggestion(id=c.id, label=c.label, score=round(best, 2)))
        scored.sort(key=lambda s: (-s.score, s.label))
        return scored[:limit]


def _score(a: str, b: str) -> float:
    short, long = sorted((a, b), key=len)
    # One name is the other with something added after it («… № 5» + « им. А.К. Ерохина»).
    if long.startswith(short + " "):
        return 0.9 + 0.1 * len(short) / len(long)
    ratio = SequenceMatcher(None, a, b).ratio()
    words_a, words_b = set(a.split()), set(b.split())
    overlap = len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))
    return max(ratio, 0.85 * overlap) if overlap >= 0.75 else ratio
