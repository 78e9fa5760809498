"""The school card: a school's diagnostics over the years beside the execution of its roadmaps, on
one page — statuses, risk profile, self-diagnosis, assessment results (with trends drawn on the
server), what changed since the school entered a programme, its roadmaps with their execution and
their coverage of its high risks.

Diagnosis for targeted support, not a rating of the school or its teachers. Everything is read
through the gate as the user asking; the card costs a fixed number of queries plus two per school
roadmap (its execution and its coverage check; a school has one or two).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import Series, line_chart
from diagnostics import coverage as coverage_check
from diagnostics import selectors
from diagnostics.models import AssessmentResult, RiskLevel, SelfDiagnosis
from diagnostics.vocabulary import ASSESSMENT_NAMES, DIRECTION_NAMES, RISK_FACTOR_NAMES, RISK_FACTORS
from monitoring.selectors import Figures
from roadmaps.models import Roadmap
from schools.access import Requester
from schools.models import Organization, SchoolStatus

LEVEL_ORDER = [c for c, _label in SchoolStatus.Level.choices]  # ниже базового → полный
RISK_ORDER = {RiskLevel.Level.LOW: 0, RiskLevel.Level.MEDIUM: 1, RiskLevel.Level.HIGH: 2}


@dataclass
class RoadmapBlock:
    roadmap: Roadmap
    figures: Figures
    overdue: int
    coverage: coverage_check.Coverage | None

    @property
    def needs(self) -> list[dict]:
        """Each deficit the roadmap should answer: its words, the items that do, or the catalogue's
        suggestions when none does."""
        if self.coverage is None:
            return []
        out = []
        for code in self.coverage.needs:
            is_risk = code in RISK_FACTOR_NAMES
            out.append(
                {
                    "code": code,
                    "name": str(RISK_FACTOR_NAMES.get(code) or DIRECTION_NAMES.get(code, code)),
                    "kind": _("фактор риска высокого уровня")
                    if is_risk
                    else _("слабое направление самодиагностики"),
                    "items": self.coverage.covered.get(code, []),
                    "suggestions": self.coverage.suggestions.get(code, []),
                }
            )
        return out


@dataclass
class AssessmentTable:
    kind: str
    name: str
    years: list[int]
    rows: list[tuple[str, list[AssessmentResult | None]]]  # (subject and grade, one cell per year)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (title, svg)


@dataclass
class Card:
    school: Organization
    statuses: list[tuple[int, list[SchoolStatus]]]  # latest year first
    risk_years: list[int]
    risk_rows: list[tuple[str, str, list[str | None]]]  # (code, name, level per year)
    high_by_year: list[int]
    diagnoses: list[SelfDiagnosis]  # oldest first
    direction_rows: list[tuple[str, str, list]]  # (code, name, DirectionScore or None per diagnosis)
    assessments: list[AssessmentTable]
    changes: list[str]
    first_year: int | None
    last_year: int | None
    execution: Figures
    overdue: int
    roadmaps: list[RoadmapBlock]


def _weighted(results: list[AssessmentResult], attr: str) -> float | None:
    total = weight = 0.0
    for r in results:
        value = getattr(r, attr)
        if value is not None and r.participants:
            total += float(value) * r.participants
            weight += r.participants
    return round(total / weight, 2) if weight else None


def _num(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _assessments(results: list[AssessmentResult]) -> list[AssessmentTable]:
    by_kind: dict[str, list[AssessmentResult]] = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
    tables = []
    for kind in ASSESSMENT_NAMES:
        rows_of_kind = by_kind.get(kind)
        if not rows_of_kind:
            continue
        years = sorted({r.year for r in rows_of_kind})
        cells: dict[tuple[str, int | None], dict[int, AssessmentResult]] = defaultdict(dict)
        for r in rows_of_kind:
            cells[(r.subject, r.grade)][r.year] = r
        keys = sorted(cells, key=lambda k: (k[0], k[1] or 0))
        label = {k: f"{k[0]}, {k[1]} кл." if k[1] and kind == "vpr" else k[0] for k in keys}
        table = AssessmentTable(
            kind=kind,
            name=str(ASSESSMENT_NAMES[kind]),
            years=years,
            rows=[(label[k], [cells[k].get(y) for y in years]) for k in keys],
        )
        lowest = [
            Series(
                label[k],
                [
                    (y, float(r.lowest_share) if r.lowest_share is not None else None)
                    for y, r in cells[k].items()
                ],
            )
            for k in keys[:6]
        ]
        mean = [
            Series(
                label[k],
                [(y, float(r.mean_score) if r.mean_score is not None else None) for y, r in cells[k].items()],
            )
            for k in keys[:6]
        ]
        name = table.name
        if any(v is not None for s in lowest for _y, v in s.points):
            title = _("%(kind)s: доля низшего результата по годам, %%") % {"kind": name}
            table.charts.append((title, line_chart(lowest, title=title, unit="%")))
        if any(v is not None for s in mean for _y, v in s.points):
            title = _("%(kind)s: средний балл по годам") % {"kind": name}
            table.charts.append((title, line_chart(mean, title=title)))
        if len(keys) > 6:
            table.charts = [
                (t + " " + _("(первые 6 предметов; все — в таблице)"), svg) for t, svg in table.charts
            ]
        tables.append(table)
    return tables


def _compare(first: float, last: float, *, unit: str, fewer_is: str, more_is: str, digits: int = 1) -> str:
    change = round(last - first, digits)
    if change == 0:
        return _("без изменений")
    words = fewer_is if change < 0 else more_is
    return f"{words} {_('на')} {_num(abs(change), digits)}{unit}"


def changes(
    *,
    first_year: int | None,
    diagnoses: list[SelfDiagnosis],
    high_by_year: dict[int, int],
    results: list[AssessmentResult],
) -> tuple[int | None, int | None, list[str]]:
    """«Что изменилось с начала участия в программе» in words: the first year of a status (or of
    any diagnostics) against the latest year with data. Facts side by side, not a verdict."""
    years = {d.year for d in diagnoses} | set(high_by_year) | {r.year for r in results}
    if not years:
        return first_year, None, []
    start = first_year if first_year is not None else min(years)
    last = max(years)
    lines: list[str] = []

    def at_or_after(candidates: list[int]) -> int | None:
        after = [y for y in candidates if y >= start]
        return min(after) if after else (max(candidates) if candidates else None)

    diag = {d.year: d for d in diagnoses}
    if diag:
        y0, y1 = at_or_after(sorted(diag)), max(diag)
        if y0 is not None and y0 != y1:
            a, b = diag[y0], diag[y1]
            move = LEVEL_ORDER.index(b.level) - LEVEL_ORDER.index(a.level)
            verdict = _("выше") if move > 0 else _("ниже") if move < 0 else _("тот же")
            lines.append(
                _("Уровень самодиагностики: %(y0)s — «%(a)s», %(y1)s — «%(b)s» (%(v)s).")
                % {"y0": y0, "a": a.get_level_display(), "y1": y1, "b": b.get_level_display(), "v": verdict}
            )
    if high_by_year:
        y0, y1 = at_or_after(sorted(high_by_year)), max(high_by_year)
        if y0 is not None and y0 != y1:
            a, b = high_by_year[y0], high_by_year[y1]
            move = _compare(a, b, unit="", fewer_is=_("меньше"), more_is=_("больше"), digits=0)
            lines.append(
                _("Факторов риска высокого уровня: %(y0)s — %(a)s, %(y1)s — %(b)s (%(m)s).")
                % {"y0": y0, "a": a, "y1": y1, "b": b, "m": move}
            )
    by_kind_year: dict[tuple[str, int], list[AssessmentResult]] = defaultdict(list)
    for r in results:
        by_kind_year[(r.kind, r.year)].append(r)
    for kind, name in ASSESSMENT_NAMES.items():
        kind_years = sorted(y for k, y in by_kind_year if k == kind)
        if len(kind_years) < 2:
            continue
        y0, y1 = at_or_after(kind_years), kind_years[-1]
        if y0 is None or y0 == y1:
            continue
        a = _weighted(by_kind_year[(kind, y0)], "lowest_share")
        b = _weighted(by_kind_year[(kind, y1)], "lowest_share")
        if a is not None and b is not None:
            move = _compare(a, b, unit=" " + _("п. п."), fewer_is=_("меньше"), more_is=_("больше"))
            lines.append(
                _(
                    "%(kind)s, доля низшего результата (по всем предметам): %(y0)s — %(a)s%%, %(y1)s — %(b)s%% (%(m)s)."
                )
                % {"kind": name, "y0": y0, "a": _num(a), "y1": y1, "b": _num(b), "m": move}
            )
        a = _weighted(by_kind_year[(kind, y0)], "mean_score")
        b = _weighted(by_kind_year[(kind, y1)], "mean_score")
        if a is not None and b is not None:
            move = _compare(a, b, unit="", fewer_is=_("ниже"), more_is=_("выше"), digits=2)
            lines.append(
                _("%(kind)s, средний балл (по всем предметам): %(y0)s — %(a)s, %(y1)s — %(b)s (%(m)s).")
                % {"kind": name, "y0": y0, "a": _num(a, 2), "y1": y1, "b": _num(b, 2), "m": move}
            )
    if not lines:
        lines.append(_("Данные есть только за один год — сравнивать пока не с чем."))
    return start, last, lines


def card(requester: Requester, school: Organization, *, today: dt.date | None = None) -> Card:
    today = today or timezone.localdate()
    statuses: dict[int, list[SchoolStatus]] = defaultdict(list)
    for status in (
        SchoolStatus.objects.visible_to(requester).filter(school=school).order_by("-year", "category")
    ):
        statuses[status.year].append(status)
    levels: dict[int, dict[str, str]] = defaultdict(dict)
    for year, factor, level in (
        RiskLevel.objects.visible_to(requester).filter(school=school).values_list("year", "factor", "level")
    ):
        levels[year][factor] = level
    risk_years = sorted(levels)
    factors = [t.code for t in RISK_FACTORS if any(t.code in levels[y] for y in risk_years)]
    # Factors high in the latest year first, then by the highest level they ever had.
    latest = levels[risk_years[-1]] if risk_years else {}
    factors.sort(
        key=lambda c: (
            -RISK_ORDER.get(latest.get(c), -1),
            -max(RISK_ORDER.get(levels[y].get(c), -1) for y in risk_years),
        )
    )
    risk_rows = [(c, str(RISK_FACTOR_NAMES[c]), [levels[y].get(c) for y in risk_years]) for c in factors]
    high_by_year = {y: sum(1 for v in levels[y].values() if v == RiskLevel.Level.HIGH) for y in risk_years}

    diagnoses = list(
        SelfDiagnosis.objects.visible_to(requester)
        .filter(school=school)
        .order_by("year")
        .prefetch_related("scores")
    )
    directions: dict[str, list] = {}
    for n, diagnosis in enumerate(diagnoses):
        for score in diagnosis.scores.all():
            directions.setdefault(score.direction, [None] * len(diagnoses))[n] = score
    direction_rows = [(c, str(DIRECTION_NAMES[c]), directions[c]) for c in DIRECTION_NAMES if c in directions]

    results = list(AssessmentResult.objects.visible_to(requester).filter(school=school))
    programme_years = list(statuses)
    first, last, lines = changes(
        first_year=min(programme_years) if programme_years else None,
        diagnoses=diagnoses,
        high_by_year=high_by_year,
        results=results,
    )
    school_roadmaps = list(
        Roadmap.objects.visible_to(requester)
        .filter(level=Roadmap.Level.SCHOOL, owner=school)
        .order_by("-period_end", "-pk")
    )
    ids = [r.pk for r in school_roadmaps]
    by_roadmap = selectors.execution_by_school(
        requester, [school.pk], today=today, roadmap_ids=ids, by="roadmap_id"
    )
    overdue_by_roadmap = selectors.overdue_by_school(
        requester, [school.pk], today, roadmap_ids=ids, by="roadmap_id"
    )
    roadmaps = [
        RoadmapBlock(
            roadmap=roadmap,
            figures=by_roadmap.get(roadmap.pk, Figures(0, 0, 0, 0, 0, 0)),
            overdue=overdue_by_roadmap.get(roadmap.pk, 0),
            coverage=coverage_check.coverage(requester, roadmap),
        )
        for roadmap in school_roadmaps
    ]
    execution = selectors.execution_by_school(requester, [school.pk], today=today).get(
        school.pk, Figures(0, 0, 0, 0, 0, 0)
    )
    return Card(
        school=school,
        statuses=sorted(statuses.items(), reverse=True),
        risk_years=risk_years,
        risk_rows=risk_rows,
        high_by_year=[high_by_year[y] for y in risk_years],
        diagnoses=diagnoses,
        direction_rows=direction_rows,
        assessments=_assessments(results),
        changes=lines,
        first_year=first,
        last_year=last,
        execution=execution,
        overdue=selectors.overdue_by_school(requester, [school.pk], today).get(school.pk, 0),
        roadmaps=roadmaps,
    )
