"""«Результаты и исполнение»: the section the quarterly, municipal and school reports share — for
the schools in a report's scope, their programme status, high risks, self-diagnosis level,
execution of the roadmaps and the trend of the share of «2» in ВПР, per municipality and school.

Diagnosis for targeted support, not a rating of schools and teachers: schools are listed by
municipality, high risk and lagging execution first, never ordered by results. Reads go through
the gate as the report's requester (``diagnostics.selectors``).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max
from django.utils.translation import gettext as _

from diagnostics import selectors
from diagnostics.vocabulary import RISK_FACTOR_NAMES
from schools.access import Requester
from schools.models import Organization, SchoolStatus

YEARS = 3  # the years of the trend
# A change of the share of «2» by less than this many points is no change.
STEADY = 1.0
PDF_SCHOOLS = 15  # the PDF lists this many schools; the XLSX lists them all


def note() -> str:
    return _(
        "Диагностика для адресной поддержки, а не рейтинг школ и учителей: результаты оценочных "
        "процедур показывают, где нужна помощь, и не используются для оценки школ и педагогов."
    )


def section(
    requester: Requester,
    school_ids: Iterable[int],
    *,
    today: dt.date,
    execution: dict[int, dict] | None = None,
) -> dict | None:
    """The section's data, or None when no school in scope has diagnostics or a status.

    ``execution`` (school id → {expected, completeness, timeliness}) is the report's own tally
    when it has one (a round's rows); otherwise what each school had to report by ``today``.
    """
    ids = sorted(set(school_ids))
    if not ids:
        return None
    year = today.year
    schools = {
        s.pk: s
        for s in Organization.objects.visible_to(requester)
        .filter(pk__in=ids, kind=Organization.Kind.SCHOOL)
        .select_related("municipality")
        .only("pk", "short_name", "municipality__name")
    }
    ids = sorted(schools)
    profiles = selectors.risk_profiles(requester, ids, up_to_year=year)
    diagnoses = selectors.latest_self_diagnoses(requester, ids, up_to_year=year)
    statuses = _statuses(requester, ids, year)
    shares, years = _vpr_shares(requester, ids, year)
    if not (profiles or diagnoses or statuses or shares):
        return None
    if execution is None:
        execution = {
            pk: {"expected": f.expected, "completeness": f.reporting_rate, "timeliness": f.timeliness}
            for pk, f in selectors.execution_by_school(requester, ids, today=today).items()
        }
    rows = []
    for pk, school in schools.items():
        profile = profiles.get(pk)
        diagnosis = diagnoses.get(pk)
        if not (profile or diagnosis or statuses.get(pk) or shares.get(pk)):
            continue
        high = profile.high if profile else []
        done = execution.get(pk) or {"expected": 0, "completeness": None, "timeliness": None}
        trend = [shares.get(pk, {}).get(y) for y in years]
        rows.append(
            {
                "school": school.short_name,
                "municipality": school.municipality.name if school.municipality else "",
                "statuses": statuses.get(pk, ""),
                "risk_year": profile.year if profile else None,
                "high": len(high),
                "high_names": [str(RISK_FACTOR_NAMES.get(c, c)) for c in high],
                "medium": len(profile.medium) if profile else 0,
                "level": diagnosis.get_level_display() if diagnosis else "",
                "level_year": diagnosis.year if diagnosis else None,
                "expected": done["expected"],
                "completeness": done["completeness"] if done["expected"] else None,
                "timeliness": done["timeliness"] if done["expected"] else None,
                "shares": trend,
                "trend": _trend_word(trend),
            }
        )
    # High risk and lagging first within each municipality: where support is needed, not a rating.
    rows.sort(key=lambda r: (r["municipality"], -r["high"], _lag(r["completeness"]), r["school"]))
    return {
        "note": note(),
        "years": years,
        "as_of": today,
        "schools": rows,
        "pdf_schools": _pdf_rows(rows),
        "more": max(0, len(rows) - PDF_SCHOOLS),
        "municipalities": _by_municipality(rows),
    }


def _lag(completeness: float | None) -> float:
    return completeness if completeness is not None else 101.0


def _pdf_rows(rows: list[dict]) -> list[dict]:
    """The schools the PDF shows: those with high risks or lagging first (the XLSX has all)."""
    needing = sorted(
        rows, key=lambda r: (-r["high"], _lag(r["completeness"]), r["municipality"], r["school"])
    )
    return needing[:PDF_SCHOOLS]


def _statuses(requester: Requester, ids: list[int], year: int) -> dict[int, str]:
    """Each school's programme statuses of its latest status year (up to ``year``), in words."""
    qs = SchoolStatus.objects.visible_to(requester).filter(school_id__in=ids, year__lte=year)
    latest = dict(qs.values_list("school_id").annotate(y=Max("year")).values_list("school_id", "y"))
    words: dict[int, list[str]] = defaultdict(list)
    for s in qs.order_by("school_id", "category"):
        if s.year == latest.get(s.school_id):
            label = s.get_category_display()
            words[s.school_id].append(f"{label} ({s.get_level_display()})" if s.level else str(label))
    return {pk: ", ".join(w) for pk, w in words.items()}


def _vpr_shares(requester: Requester, ids: list[int], year: int) -> tuple[dict[int, dict], list[int]]:
    """The share of «2» in ВПР per school and year (``selectors.lowest_shares``) over the last
    ``YEARS`` years that have results, up to ``year``."""
    shares = {
        pk: dict(by_year) for pk, by_year in selectors.lowest_shares(requester, ids, up_to_year=year).items()
    }
    years = sorted({y for by_year in shares.values() for y in by_year})[-YEARS:]
    return shares, years


def _trend_word(shares: list[float | None]) -> str:
    known = [s for s in shares if s is not None]
    if len(known) < 2:
        return ""
    change = known[-1] - known[0]
    if change <= -STEADY:
        return _("снижается")
    if change >= STEADY:
        return _("растёт")
    return _("без изменений")


def _by_municipality(rows: list[dict]) -> list[dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["municipality"]].append(r)
    out = []
    for name, members in sorted(groups.items()):
        reported = [r for r in members if r["expected"]]
        weights = sum(r["expected"] for r in reported)
        completeness = (
            round(sum(r["completeness"] * r["expected"] for r in reported) / weights, 1) if weights else None
        )
        out.append(
            {
                "name": name or _("Без муниципалитета"),
                "schools": len(members),
                "with_high": sum(1 for r in members if r["high"]),
                "high": sum(r["high"] for r in members),
                "completeness": completeness,
                "improving": sum(1 for r in members if r["trend"] == _("снижается")),
                "worsening": sum(1 for r in members if r["trend"] == _("растёт")),
            }
        )
    return out
