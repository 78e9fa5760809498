"""Does a school roadmap answer its school's deficits? Each high risk factor (and each weak
direction of the self-diagnosis) should have at least one item addressing it (an
:class:`~diagnostics.models.ItemDeficit`); the rest are gaps, with the region's catalogue's
measures suggested for them.
"""

from dataclasses import dataclass, field

from diagnostics import selectors
from diagnostics.models import ItemDeficit, Measure
from roadmaps.models import Item, Roadmap
from schools.access import Requester


@dataclass
class Coverage:
    roadmap: Roadmap
    year: int | None  # the year of the risk profile the check used
    needs: list[str] = field(default_factory=list)  # deficit codes: high risks, then weak directions
    covered: dict[str, list[Item]] = field(default_factory=dict)
    suggestions: dict[str, list[Measure]] = field(default_factory=dict)  # for gaps only

    @property
    def gaps(self) -> list[str]:
        return [code for code in self.needs if not self.covered.get(code)]

    @property
    def is_complete(self) -> bool:
        return not self.gaps


def coverage(requester: Requester, roadmap: Roadmap) -> Coverage | None:
    """The check for a school roadmap (None for regional and municipal ones)."""
    if roadmap.level != Roadmap.Level.SCHOOL:
        return None
    school_id = roadmap.owner_id
    up_to = roadmap.period_end.year
    profile = selectors.risk_profiles(requester, [school_id], up_to_year=up_to).get(school_id)
    diagnosis = selectors.latest_self_diagnoses(requester, [school_id], up_to_year=up_to).get(school_id)
    needs = (profile.high if profile else []) + selectors.weak_directions(diagnosis)
    result = Coverage(roadmap=roadmap, year=profile.year if profile else None, needs=needs)
    links = (
        ItemDeficit.objects.visible_to(requester)
        .filter(item__roadmap=roadmap, item__removed_at__isnull=True, deficit__in=needs)
        .select_related("item")
        .order_by("item__position")
    )
    for link in links:
        result.covered.setdefault(link.deficit, []).append(link.item)
    gaps = result.gaps
    if gaps:
        for measure in Measure.objects.visible_to(requester).filter(
            region_id=roadmap.region_id, deficit__in=gaps
        ):
            result.suggestions.setdefault(measure.deficit, []).append(measure)
    return result
