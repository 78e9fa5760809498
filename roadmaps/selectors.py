"""Reads for roadmap pages and exports. Every queryset starts from the access gate."""

from django.db.models import Count, Prefetch, Q, QuerySet

from core.periods import DateRange
from roadmaps.models import ControlDate, Item, ItemExecutor, Roadmap


def with_counts(qs: QuerySet) -> QuerySet:
    """Roadmaps for a list: owner and region joined, item counts annotated, newest first."""
    return (
        qs.select_related("owner", "region", "parent")
        .annotate(
            item_count=Count("items", distinct=True),
            unknown_count=Count("items", filter=Q(items__schedule_understood=False), distinct=True),
        )
        .order_by("-period_start", "level", "title")
    )


def items_of(
    roadmap: Roadmap, *, executor: str = "", period: DateRange | None = None, unknown: bool = False
) -> QuerySet:
    """A roadmap's items with their dates and executors prefetched: a flat number of queries."""
    qs = Item.objects.filter(roadmap=roadmap)
    if executor.startswith("org:") and executor[4:].isdigit():
        qs = qs.filter(executors__organization_id=int(executor[4:]))
    elif executor.startswith("group:"):
        qs = qs.filter(executors__group=executor[6:])
    if period is not None:
        qs = qs.filter(control_dates__due_date__gte=period.start, control_dates__window_start__lte=period.end)
    if unknown:
        qs = qs.filter(schedule_understood=False)
    return (
        qs.distinct()
        .select_related("section", "parent", "added_by")
        .prefetch_related(
            Prefetch("control_dates", queryset=ControlDate.objects.order_by("due_date")),
            Prefetch(
                "executors", queryset=ItemExecutor.objects.select_related("organization").order_by("position")
            ),
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


def due_in(user, period: DateRange) -> QuerySet:
    """Control dates of approved roadmaps the user sees, due within ``period``."""
    # Gated on the control date's own region (the same rule as its roadmap's), so PostgreSQL
    # reads the region's dates of the period by index instead of the country's.
    return (
        ControlDate.objects.visible_to(user)
        .filter(
            item__roadmap__status=Roadmap.Status.APPROVED,
            due_date__gte=period.start,
            due_date__lte=period.end,
        )
        .select_related("item", "item__roadmap", "item__roadmap__owner")
        .prefetch_related(
            Prefetch("item__executors", queryset=ItemExecutor.objects.select_related("organization"))
        )
        .order_by("due_date", "item__roadmap__title", "item__position")
    )
