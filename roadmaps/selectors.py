"""Reads for roadmap pages and exports. Every queryset starts from the access gate."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from core.periods import DateRange
from roadmaps.models import ControlDate, Item, ItemExecutor, Roadmap
from schools import access
from schools.models import Organization, User

# Newest first; the id last, so that pages cut on ids never overlap.
LIST_ORDER = ("-period_start", "level", "title", "pk")


def with_counts(qs: QuerySet) -> QuerySet:
    """Roadmaps for a list: owner and region joined, item counts annotated, newest first.

    A list page gives it only its own rows (``core.paging.DeferredJoinPaginator(load=…)``): over
    a whole region the item counts and the parent join read every roadmap's items."""
    return (
        qs.select_related("owner", "region", "parent")
        .annotate(
            item_count=Count("items", distinct=True),
            unknown_count=Count("items", filter=Q(items__schedule_understood=False), distinct=True),
        )
        .order_by(*LIST_ORDER)
    )


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


def executor_choices(roadmap: Roadmap) -> list[tuple[str, str]]:
    rows = (
        ItemExecutor.objects.filter(item__roadmap=roadmap)
        .values("organization_id", "organization__short_name", "group")
        .distinct()
    )
    choices = {}
    for r in rows:
        if r["organization_id"]:
            choices[f"org:{r['organization_id']}"] = r["organization__short_name"]
        elif r["group"]:
            choices[f"group:{r['group']}"] = dict(ItemExecutor._meta.get_field("group").choices)[r["group"]]
    return sorted(choices.items(), key=lambda kv: kv[1].lower())


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
    """Control dates of approved roadmaps the user sees, due within ``period``."""
    # Gated on the control date's own region (the same rule as its roadmap's), so PostgreSQL
    # reads the region's dates of the period by index instead of the country's.
    approved = Q(item__roadmap__status=Roadmap.Status.APPROVED)
    scope = access.get_scope(user)
    if not scope.is_admin and scope.full_region_ids == scope.member_region_ids:
        # The joined items and roadmaps are read by region too: without it the page count
        # hashed the country's items to learn their roadmaps' status. Not where a region is
        # reached in part: there the gate compares the items' roadmap ids (roadmaps.rules), and a
        # region on top of them made PostgreSQL expect one item per roadmap and look the dates up
        # item by item.
        regions = scope.member_region_ids
        approved &= Q(item__region_id__in=regions, item__roadmap__region_id__in=regions)
    return (
        ControlDate.objects.visible_to(user)
        .filter(approved, due_date__gte=period.start, due_date__lte=period.end)
        .select_related("item", "item__roadmap")
        # The owner's name as a subquery: PostgreSQL evaluates it after sorting and cutting the
        # page (50 lookups), where a join looked up the owner of every date of the period.
        .annotate(owner_short_name=_owner_short_name())
        .prefetch_related(
            # Ordered within an item only: the model's ordering ("item" → the items' own) joined
            # the items, roadmaps and regions just to sort one page's executors.
            Prefetch(
                "item__executors",
                queryset=ItemExecutor.objects.select_related("organization").order_by("item_id", "position"),
            )
        )
        .order_by("due_date", "item__roadmap__title", "item__position")
    )
