"""Counts of expected, submitted, accepted and on-time reports over a list of rows (round entries or
flattened obligations): one arithmetic for the round pages and for every report. Pure, no database."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Tally:
    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    extra: dict = field(default_factory=dict)

    def add(self, *, review_state: str, submitted: bool, is_late: bool) -> None:
        self.expected += 1
        if submitted:
            self.submitted += 1
            if is_late:
                self.late += 1
            else:
                self.on_time += 1
        else:
            self.missing += 1
        if review_state == "accepted":
            self.accepted += 1
        elif review_state == "returned":
            self.returned += 1

    def pct(self, part: int) -> float:
        return round(100 * part / self.expected, 1) if self.expected else 0.0

    @property
    def completeness(self) -> float:
        return self.pct(self.submitted)

    @property
    def timeliness(self) -> float:
        return self.pct(self.on_time)

    @property
    def acceptance(self) -> float:
        return self.pct(self.accepted)

    def as_dict(self) -> dict:
        return {
            "expected": self.expected,
            "submitted": self.submitted,
            "accepted": self.accepted,
            "returned": self.returned,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "completeness": self.completeness,
            "timeliness": self.timeliness,
            "acceptance": self.acceptance,
        }


def tally_by(rows: Iterable[Any], key: Callable[[Any], Any]) -> dict:
    groups: dict = defaultdict(Tally)
    for r in rows:
        groups[key(r)].add(
            review_state=r.review_state, submitted=r.submitted_at is not None, is_late=r.is_late
        )
    return groups


def total(rows: Iterable[Any]) -> Tally:
    t = Tally()
    for r in rows:
        t.add(review_state=r.review_state, submitted=r.submitted_at is not None, is_late=r.is_late)
    return t
