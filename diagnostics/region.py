"""«Результаты и исполнение» for a region: the schools a user reaches with a programme status in a
year, each placed by its risk profile and by the execution of what it had to report, so support
goes first where risk is high and execution lags.

This is diagnosis for targeted support, not a rating: the order is by risk and by execution lag,
never by assessment results (the results' trend is shown beside, it does not sort anything).

Every figure comes from a fixed number of grouped queries over what the gate lets the reader see
(statuses, risk profiles, self-diagnoses, obligations, school roadmaps with their items' deficits,
assessment aggregates), so the page costs the same for a region of ten schools or of a thousand;
rows are then placed and cut into pages in memory.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.filters import ALL, id_filter, year_filter
from diagnostics import selectors
from diagnostics.models import ItemDeficit, SelfDiagnosis
from diagnostics.vocabulary import RISK_FACTOR_NAMES
from monitoring.models import ExecutionReport
from monitoring.selectors import Figures
from roadmaps.models import Roadmap
from schools.access import Requester
from schools.models import Organization, SchoolStatus

Review = ExecutionReport.Review

# The four places of a school, in the order the list shows them.
HIGH_LAGGING, HIGH_ON_TRACK, LAGGING, ON_TRACK = 1, 2, 3, 4
PRIORITIES = [
    (HIGH_LAGGING, _("высокий риск и отставание")),
    (HIGH_ON_TRACK, _("высокий риск, исполнение без отставания")),
    (LAGGING, _("без высоких рисков, отставание")),
    (ON_TRACK, _("без высоких рисков, без отставания")),
]
PRIORITY_NAMES = dict(PRIORITIES)

RISK_CHOICES = [
    ("high", _("есть высокие факторы риска")),
    ("medium", _("высоких нет, есть средние")),
    ("low", _("только низкие")),
    ("none", _("рисковый профиль не загружен")),
]


class RegionViewFilter(filters.FilterSet):
    """The page's filters (and its export's): year, programme, municipality, risk, place, name."""

    year = year_filter(field_name="year", label=_("Год"))
    programme = filters.ChoiceFilter(
        field_name="category", choices=SchoolStatus.Category.choices, label=_("Программа"), empty_label=ALL
    )
    municipality = id_filter(field_name="school__municipality_id", label=_("Муниципалитет"))
    risk = filters.ChoiceFilter(choices=RISK_CHOICES, method="keep", label=_("Риски"), empty_label=ALL)
    priority = filters.ChoiceFilter(choices=PRIORITIES, method="keep", label=_("Положение"), empty_label=ALL)
    q = filters.CharFilter(method="filter_name", label=_("Школа (часть названия)"))

    class Meta:
        model = SchoolStatus
        fields: list[str] = []

    def keep(self, qs: QuerySet, name: str, value: object) -> QuerySet:
        return qs  # computed per school: applied to the rows by :func:`rows`

    def filter_name(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(school__short_name__icontains=value) | Q(school__name__icontains=value))


@dataclass
class SchoolPlace:
    school: Organization
    statuses: list[SchoolStatus] = field(default_factory=list)
    profile: selectors.RiskProfile | None = None
    diagnosis: SelfDiagnosis | None = None
    figures: Figures = field(default_factory=lambda: Figures(0, 0, 0, 0, 0, 0))
    overdue: int = 0
    roadmap: Roadmap | None = None  # the school's current school roadmap
    gaps: list[str] = field(default_factory=list)  # high risks its roadmap has no item for
    lowest: list[tuple[int, float]] = field(default_factory=list)  # (year, share of «2» ВПР, %)

    @property
    def high(self) -> list[str]:
        return self.profile.high if self.profile else []

    @property
    def high_names(self) -> str:
        return "; ".join(str(RISK_FACTOR_NAMES[code]) for code in self.high)

    @property
    def risk(self) -> str:
        if self.profile is None:
            return "none"
        return "high" if self.profile.high else "medium" if self.profile.medium else "low"

    @property
    def lag(self) -> int:
        return self.overdue + self.figures.returned

    @property
    def lagging(self) -> bool:
        """Behind: reports overdue or returned for rework (as «Сводка по региону» counts it)."""
        return self.lag > 0

    @property
    def priority(self) -> int:
        if self.high:
            return HIGH_LAGGING if self.lagging else HIGH_ON_TRACK
        return LAGGING if self.lagging else ON_TRACK

    @property
    def priority_label(self) -> str:
        return str(PRIORITY_NAMES[self.priority])

    @property
    def lowest_first(self) -> tuple[int, float] | None:
        return self.lowest[0] if len(self.lowest) > 1 else None

    @property
    def lowest_last(self) -> tuple[int, float] | None:
        return self.lowest[-1] if self.lowest else None

    @property
    def lowest_change(self) -> float | None:
        """Points the share of «2» moved from the first year to the last (negative: fewer «2»)."""
        if len(self.lowest) < 2:
            return None
        return round(self.lowest[-1][1] - self.lowest[0][1], 1)

    @property
    def trend(self) -> str:
        """``fewer`` / ``more`` / ``same`` «2» than in the first year, or ``none`` (one year or none)."""
        change = self.lowest_change
        if change is None:
            return "none"
        return "fewer" if change < 0 else "more" if change > 0 else "same"

    def sort_key(self) -> tuple:
        return (
            self.priority,
            -len(self.high),
            -self.lag,
            self.figures.timeliness,
            self.school.municipality.name if self.school.municipality else "",
            self.school.short_name,
        )


def years(requester: Requester) -> list[int]:
    """Years with programme statuses the user sees, latest first."""
    return sorted(
        SchoolStatus.objects.visible_to(requester).order_by().values_list("year", flat=True).distinct(),
        reverse=True,
    )


def default_year(available: list[int], today: dt.date | None = None) -> int:
    """The current year if it has statuses, else the latest earlier one, else the latest."""
    today = today or timezone.localdate()
    earlier = [y for y in available if y <= today.year]
    return earlier[0] if earlier else (available[0] if available else today.year)


def _current_roadmaps(requester: Requester, school_ids: list[int], year: int) -> dict[int, Roadmap]:
    """Each school's approved school roadmap for the year (covering it, else the latest before)."""
    found: dict[int, Roadmap] = {}
    roadmaps = (
        Roadmap.objects.visible_to(requester)
        .filter(level=Roadmap.Level.SCHOOL, status=Roadmap.Status.APPROVED, owner_id__in=school_ids)
        .order_by("owner_id", "-period_end", "-pk")
    )
    for roadmap in roadmaps:
        covering = roadmap.period_start.year <= year <= roadmap.period_end.year
        current = found.get(roadmap.owner_id)
        if current is None or (covering and not current.period_start.year <= year <= current.period_end.year):
            found[roadmap.owner_id] = roadmap
    return found


def rows(requester: Requester, statuses: QuerySet, *, year: int, filters: dict) -> list[SchoolPlace]:
    """The schools of ``statuses`` (the gated, filtered statuses of ``year``), placed and ordered:
    high risk and lagging first."""
    today = timezone.localdate()
    places: dict[int, SchoolPlace] = {}
    for status in statuses.select_related("school", "school__municipality").order_by("school_id", "category"):
        place = places.setdefault(status.school_id, SchoolPlace(school=status.school))
        place.statuses.append(status)
    ids = list(places)
    if not ids:
        return []
    profiles = selectors.risk_profiles(requester, ids, up_to_year=year)
    diagnoses = selectors.latest_self_diagnoses(requester, ids, up_to_year=year)
    execution = selectors.execution_by_school(requester, ids, today=today)
    overdue = selectors.overdue_by_school(requester, ids, today)
    roadmaps = _current_roadmaps(requester, ids, year)
    shares = selectors.lowest_shares(requester, ids, up_to_year=year)
    needs: dict[int, list[str]] = {}
    for pk, place in places.items():
        place.profile = profiles.get(pk)
        place.diagnosis = diagnoses.get(pk)
        place.figures = execution.get(pk, place.figures)
        place.overdue = overdue.get(pk, 0)
        place.roadmap = roadmaps.get(pk)
        place.lowest = shares.get(pk, [])
        if place.roadmap is not None:
            needs[place.roadmap.pk] = place.high + selectors.weak_directions(place.diagnosis)
    covered: dict[int, set[str]] = defaultdict(set)
    wanted = {code for codes in needs.values() for code in codes}
    if needs and wanted:
        links = (
            ItemDeficit.objects.visible_to(requester)
            .filter(item__roadmap_id__in=list(needs), item__removed_at__isnull=True, deficit__in=wanted)
            .order_by()
            .values_list("item__roadmap_id", "deficit")
            .distinct()
        )
        for roadmap_id, deficit in links:
            covered[roadmap_id].add(deficit)
    for place in places.values():
        if place.roadmap is not None:
            place.gaps = [c for c in needs[place.roadmap.pk] if c not in covered[place.roadmap.pk]]
    found = list(places.values())
    if filters.get("risk"):
        found = [p for p in found if p.risk == filters["risk"]]
    if filters.get("priority"):
        found = [p for p in found if p.priority == int(filters["priority"])]
    found.sort(key=SchoolPlace.sort_key)
    return found


def counts(places: list[SchoolPlace]) -> list[tuple[int, str, int]]:
    """How many schools are in each place: (priority, words, count)."""
    tally = defaultdict(int)
    for place in places:
        tally[place.priority] += 1
    return [(key, str(words), tally[key]) for key, words in PRIORITIES]
