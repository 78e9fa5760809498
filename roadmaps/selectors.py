"""Reads for roadmap pages and exports. Every queryset starts from the access gate."""

from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Field,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from core.paging import attach
from core.periods import DateRange
from roadmaps.models import ControlDate, Item, ItemExecutor, Roadmap, Section
from schools import access
from schools.models import Organization, User

# Newest first; the id last, so that pages cut on ids never overlap.
LIST_ORDER = ("-period_start", "level", "title", "pk")


def count_items(roadmaps: list[Roadmap]) -> list[Roadmap]:
    """Set ``item_count`` and ``unknown_count`` (items whose dates were not understood) on a
    list page's roadmaps: one query over their items, grouped by roadmap.

    Only the page's rows are counted (over a whole region this read every roadmap's items), and
    apart from them: joined to the rows, the items were looked up roadmap by roadmap and read
    from the table (107 buffers for 25 roadmaps); ``COUNT(*)`` apart reads the index on
    (roadmap, schedule_understood) alone (51, at any size of the country)."""
    if not roadmaps:
        return roadmaps
    rows = (
        Item._base_manager.filter(roadmap_id__in=[r.pk for r in roadmaps])
        .order_by()
        .values("roadmap_id")
        .annotate(total=Count("*"), unknown=Count("schedule_understood", filter=Q(schedule_understood=False)))
    )
    counts = {row["roadmap_id"]: row for row in rows}
    for roadmap in roadmaps:
        row = counts.get(roadmap.pk, {})
        roadmap.item_count, roadmap.unknown_count = row.get("total", 0), row.get("unknown", 0)
    return roadmaps


def items_of(roadmap: Roadmap) -> QuerySet:
    """A roadmap's items (filtered by the page with ItemFilter)."""
    return with_dates(Item.objects.filter(roadmap=roadmap))


def with_dates(qs: QuerySet) -> QuerySet:
    """Items with their dates and executors prefetched: a flat number of queries.

    Plain managers for the parts, as in :func:`item_parts`: the items are alive, so are their
    parts, and the default managers joined every date to its item again (one lookup per date,
    4 buffers each at 85 regions) only to repeat the trash filter."""
    executors = ItemExecutor._base_manager.select_related("organization")
    return (
        qs.select_related("section", "parent", "added_by")
        .prefetch_related(
            Prefetch("control_dates", queryset=ControlDate._base_manager.order_by("due_date")),
            Prefetch("executors", queryset=executors.order_by("position")),
        )
        .order_by("position")
    )


def roadmap_executors(roadmap: Roadmap) -> list[ItemExecutor]:
    """Every executor of the roadmap's items, with its organization, in the items' order: read
    once for the roadmap's page, which takes its executor filter (:func:`executor_choices`) and
    its rows' executors (:func:`page_items`) from this list.

    Region first on both sides: PostgreSQL hashes the roadmap's items (by roadmap) against the
    region's executors, as it does at any size. By the items' ids the executors were looked up
    item by item — four pages each at 85 regions, and the page read them three times. The
    organizations are read once, within the region (``core.paging.attach``), not one by one."""
    executors = list(
        ItemExecutor._base_manager.filter(
            region_id=roadmap.region_id, item__region_id=roadmap.region_id, item__roadmap=roadmap
        ).order_by("item__position", "position", "pk")
    )
    attach(executors, {"organization": {}}, {roadmap.region_id})
    return executors


def executor_choices(executors: list[ItemExecutor]) -> list[tuple[str, str]]:
    """The executor filter's options from a roadmap's executors (:func:`roadmap_executors`): its
    organizations and groups, by name."""
    groups = dict(ItemExecutor._meta.get_field("group").choices)
    choices = {}
    for executor in executors:
        if executor.organization_id:
            choices[f"org:{executor.organization_id}"] = executor.organization.short_name
        elif executor.group:
            choices[f"group:{executor.group}"] = groups[executor.group]
    return sorted(choices.items(), key=lambda kv: kv[1].lower())


def page_items(qs: QuerySet, executors: list[ItemExecutor]) -> list[Item]:
    """A roadmap page's items (``qs``, the page's filter of its items) in order, with their
    dates, their sections (one query for the few the items name: joined, the section was looked
    up item by item) and their executors from the roadmap's list (:func:`roadmap_executors`)."""
    items = list(
        qs.select_related("parent", "added_by")
        .prefetch_related(
            Prefetch("section", queryset=Section._base_manager.all()),
            Prefetch("control_dates", queryset=ControlDate._base_manager.order_by("due_date")),
        )
        .order_by("position")
    )
    by_item: dict[int, list[ItemExecutor]] = {}
    for executor in executors:
        by_item.setdefault(executor.item_id, []).append(executor)
    item_field = ItemExecutor._meta.get_field("item")
    for item in items:
        rows = by_item.get(item.pk, [])
        for executor in rows:
            item_field.set_cached_value(executor, item)
        _set_prefetched(item, "executors", rows)
    return items


def _set_prefetched(instance: Any, name: str, rows: list) -> None:
    """``instance.<name>.all()`` gives ``rows`` without a query, as ``prefetch_related`` with a
    plain manager's queryset leaves it (Django's own steps: the relation's queryset with its
    result cache filled)."""
    manager = getattr(instance, name)
    qs = manager._apply_rel_filters(manager.model._base_manager.all())
    qs._result_cache, qs._prefetch_done = rows, True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = qs


def item_parts() -> list[Prefetch]:
    """Control dates and executors of items already read through the gate, each in its order
    within the item. Plain managers: the items' gate and trash filter already apply, and the
    default ones joined every date again to its item, roadmap and region to filter and sort
    (a page of 50 items at 85 regions: 1,780 buffers for its dates, looked up one by one)."""
    return [
        Prefetch("control_dates", queryset=ControlDate._base_manager.order_by("item_id", "due_date")),
        Prefetch("executors", queryset=ItemExecutor._base_manager.order_by("item_id", "position")),
    ]


def _owner_short_name() -> Subquery:
    owners = Organization.objects.filter(pk=OuterRef("item__roadmap__owner_id")).order_by()
    return Subquery(owners.values("short_name"))


def due_in(user: User, period: DateRange) -> QuerySet:
    """Control dates of approved roadmaps the user sees, due within ``period``, by due date, then
    roadmap title, then item position; each with ``owner_short_name`` (its roadmap's owner)."""
    scope = access.get_scope(user)
    if scope.is_admin or (scope.is_federal and len(scope.member_region_ids) > 1):
        return _due_in_the_country(user, period)
    return _due_of_roadmaps(user, period)


def _due_in_the_country(user: User, period: DateRange) -> QuerySet:
    """A reader of the whole country outside a region (the page itself shows them one region at a
    time, ``schools.focus``): the gate's dates joined to their roadmaps, not a list of the
    country's ten thousand roadmaps."""
    return (
        _due_dates(ControlDate.objects.visible_to(user), period)
        .filter(item__roadmap__status=Roadmap.Status.APPROVED)
        .select_related("item")
        # The owner's name as a subquery: PostgreSQL evaluates it after sorting and cutting the
        # page (50 lookups), where a join looked up the owner of every date of the period.
        .annotate(owner_short_name=_owner_short_name())
        .order_by("due_date", "item__roadmap__title", "item__position", "pk")
    )


def _due_of_roadmaps(user: User, period: DateRange) -> QuerySet:
    """The due list of a reader of regions, whole or in part.

    Their approved roadmaps (read through the gate: a region's hundreds, or a curator's tens) are
    read first, by region, with their titles and owners' names; the dates then get their roadmap's
    title rank and owner from that list by their item's roadmap id, joining no roadmap. A join did
    not scale: PostgreSQL took the region of the dates, of the items and of the roadmaps as
    unrelated and expected a few dozen of the region's thousands of items (1/60 at 85 regions),
    then looked the dates up item by item — 18k buffers for a quarter, twice (count and page).

    Whole regions: the region's items are compared with the list through the rank (no rank, not
    listed). PostgreSQL cannot estimate that expression, takes it as true for nearly every item,
    and hashes the region's items against the region's dates of the period (read from the index
    ``control_date_region_due``). An ``IN`` over the region's roadmap ids was estimated as if it
    were independent of the items' region again. Regions seen in part: the item's roadmap id in
    the list (tens of roadmaps; their items read by roadmap).

    Sorted on the due date plus nothing (on PostgreSQL; SQLite would add a number to a date's text): ordered by the date itself, PostgreSQL walked the index in
    date order and looked up each date's item (3 buffers a date) hoping to stop at the page's end,
    where a quarter's first days hold thousands of dates; now it hashes and sorts, whatever the
    page."""
    scope = access.get_scope(user)
    regions = scope.member_region_ids
    roadmaps = (
        Roadmap.objects.visible_to(user)
        # The owners by region (an owner is in its roadmap's region): looked up by primary key,
        # 171 owners cost 513 buffers at 85 regions; the region's organizations hashed, 30.
        .filter(status=Roadmap.Status.APPROVED, owner__region_id__in=regions)
        .order_by("title", "pk")
        .values_list("pk", "title", "owner__short_name")
    )
    rank, owner, ranks = {}, {}, 0
    previous = None
    for pk, title, short_name in roadmaps:
        if title != previous:  # equal titles share a rank: the items' positions decide, as before
            ranks, previous = ranks + 1, title
        rank[pk], owner[pk] = ranks, short_name
    if not rank:
        return ControlDate.objects.none()
    # The roadmaps were read through the gate, so the list is the gate of their dates: the dates'
    # own (``roadmaps.rules``) would compare the item's roadmap id with a second list, and
    # PostgreSQL, multiplying the two, expected one item and looked its dates up item by item.
    dates = _due_dates(ControlDate.objects.filter(region_id__in=regions), period).annotate(
        owner_short_name=_by_roadmap(owner, "text", CharField()),
        title_rank=_by_roadmap(rank, "integer", IntegerField()),
    )
    if scope.full_region_ids == regions:
        dates = dates.filter(item__region_id__in=regions, title_rank__isnull=False)
    else:
        dates = dates.filter(item__roadmap_id__in=rank)
    due: Any = "due_date"
    if connection.vendor == "postgresql":
        due = ExpressionWrapper(F("due_date") + Value(0), output_field=DateField())
    return dates.select_related("item").order_by(due, "title_rank", "item__position", "pk")


def _by_roadmap(values: dict, db_type: str, output_field: Field) -> Any:
    """A value per roadmap by the row's item's roadmap id: two arrays on PostgreSQL
    (:class:`_ByRoadmap`); a ``CASE`` elsewhere (the demo's SQLite has no arrays, and a demo
    region has a handful of roadmaps)."""
    if connection.vendor == "postgresql":
        return _ByRoadmap(values, db_type, output_field)
    whens = [When(item__roadmap_id=pk, then=Value(value)) for pk, value in values.items()]
    return Case(*whens, default=None, output_field=output_field)


class _ByRoadmap(Func):
    """A value per roadmap, chosen by the row's item's roadmap id (NULL for a roadmap not listed):
    ``values[array_position(ids, item.roadmap_id)]``. Two arrays, not a ``CASE`` of hundreds of
    ``WHEN``s: Django resolved and compiled each of those (50 ms a page for a region's 171
    roadmaps), and PostgreSQL compared them one by one."""

    def __init__(self, values: dict, db_type: str, output_field: Field) -> None:
        ids = list(values)
        super().__init__(
            Value([values[pk] for pk in ids]), Value(ids), F("item__roadmap_id"), output_field=output_field
        )
        self.db_type = db_type

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        (values, v), (ids, i), (roadmap, r) = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"(({values})::{self.db_type}[])[array_position(({ids})::bigint[], {roadmap})]"
        return sql, [*v, *i, *r]


def _due_dates(dates: QuerySet, period: DateRange) -> QuerySet:
    return dates.filter(due_date__gte=period.start, due_date__lte=period.end).prefetch_related(
        # The items are alive and seen (the dates were read through the gate), so are their
        # executors: the plain manager, which does not join each executor to its item again
        # for the trash filter. Ordered within an item only (the model's ordering joined the
        # items, roadmaps and regions just to sort one page's executors); the page shows the
        # executors' text only, so no organization is joined.
        Prefetch("item__executors", queryset=ItemExecutor._base_manager.order_by("item_id", "position"))
    )
