"""Reads of the region's catalogue of measures by deficit, always through the gate: the deficits'
names and order, the catalogue grouped by deficit, roadmap items to take a measure from, and the
catalogue measures an item's text matches (proposed when its deficits are marked)."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from diagnostics.models import DIRECTION_CHOICES, RISK_FACTOR_CHOICES, ItemDeficit, Measure
from diagnostics.vocabulary import normalize
from roadmaps.models import Item
from schools.access import Requester
from schools.models import Region

# Risk factors first, then the self-diagnosis directions, each in the vocabulary's order.
DEFICIT_ORDER = [code for code, _name in RISK_FACTOR_CHOICES] + [code for code, _name in DIRECTION_CHOICES]
DEFICIT_NAMES = dict(RISK_FACTOR_CHOICES) | dict(DIRECTION_CHOICES)
RISK_CODES = frozenset(code for code, _name in RISK_FACTOR_CHOICES)


def deficit_name(code: str) -> str:
    return str(DEFICIT_NAMES.get(code, code))


def is_risk_factor(code: str) -> bool:
    return code in RISK_CODES


def measures(requester: Requester, *, search: str = "", deficit: str = "") -> QuerySet:
    """The catalogue as the requester reads it (their regions), filtered as the page asks."""
    qs = Measure.objects.visible_to(requester).select_related("region", "source_item__roadmap__owner")
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(description__icontains=search))
    if deficit:
        qs = qs.filter(deficit=deficit)
    return qs.order_by("title", "pk")


def grouped(rows: Iterable[Measure]) -> list[tuple[str, str, list[Measure]]]:
    """(code, name, measures) per deficit that has measures: risk factors, then directions."""
    by_code: dict[str, list[Measure]] = defaultdict(list)
    for measure in rows:
        by_code[measure.deficit].append(measure)
    order = {code: n for n, code in enumerate(DEFICIT_ORDER)}
    return [
        (code, deficit_name(code), by_code[code])
        for code in sorted(by_code, key=lambda c: (order.get(c, len(order)), c))
    ]


def pickable_items(requester: Requester, region: Region, search: str = "") -> QuerySet:
    """Items of the region's roadmaps a measure can be taken from (not removed), by text."""
    qs = (
        Item.objects.visible_to(requester)
        .filter(region=region, removed_at__isnull=True)
        .select_related("roadmap__owner")
        .order_by("roadmap__level", "roadmap_id", "position")
    )
    for word in search.split()[:8]:
        qs = qs.filter(text__icontains=word)
    return qs


def item_deficits(requester: Requester, item_ids: Iterable[int]) -> dict[int, list[str]]:
    """Deficit codes each item is marked with, in the catalogue's order."""
    found: dict[int, list[str]] = defaultdict(list)
    order = {code: n for n, code in enumerate(DEFICIT_ORDER)}
    rows = ItemDeficit.objects.visible_to(requester).filter(item_id__in=list(item_ids))
    for item_id, code in rows.values_list("item_id", "deficit"):
        found[item_id].append(code)
    return {pk: sorted(codes, key=lambda c: order.get(c, len(order))) for pk, codes in found.items()}


def proposals(requester: Requester, items: Iterable[Item]) -> dict[int, list[Measure]]:
    """Catalogue measures of the items' region proposed for tagging an item: taken from that very
    item, or titled as the item's text reads (compared after ``normalize``). One query."""
    items = list(items)
    if not items:
        return {}
    by_text: dict[str, list[int]] = defaultdict(list)
    for item in items:
        by_text[normalize(item.text)].append(item.pk)
    region_ids = {item.region_id for item in items}
    found: dict[int, list[Measure]] = defaultdict(list)
    ids = {item.pk for item in items}
    for measure in Measure.objects.visible_to(requester).filter(region_id__in=region_ids).order_by("deficit"):
        matched = set(by_text.get(normalize(measure.title), ()))
        if measure.source_item_id in ids:
            matched.add(measure.source_item_id)
        for pk in matched:
            found[pk].append(measure)
    return dict(found)
