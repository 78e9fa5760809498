"""The access gate's rules for roadmaps (registered from RoadmapsConfig.ready).

Everyone in a region sees its regional roadmaps; a municipal or school roadmap is seen by whoever
sees its owner organization (so a director sees their municipality's roadmap and their school's,
a curator their schools'). Coordinators change everything in their region; a municipality or a
school may edit its own roadmap.
"""

from django.db.models import Model, Q, QuerySet

from schools import access
from schools.access import Scope
from schools.models import Organization

IMPORT_ROADMAP = "import_roadmap"
EDIT_ROADMAP = "edit_roadmap"
APPROVE_ROADMAP = "approve_roadmap"
DELETE_ROADMAP = "delete_roadmap"
# Taking anything out of the trash (roadmaps here; reports and evidence in monitoring).
RESTORE_FROM_TRASH = "restore_from_trash"


def _visible_roadmaps(scope: Scope) -> frozenset[tuple[int, int, bool]]:
    """(id, owner id, is regional) of the roadmaps the user sees in the regions reached only in
    part: regional ones and those of visible owners. One query per scope; the two sets below
    are read from it."""

    def compute() -> frozenset[tuple[int, int, bool]]:
        from roadmaps.models import Roadmap

        partial = scope.member_region_ids - scope.full_region_ids
        if not partial:
            return frozenset()
        owners = Organization.objects.filter(access.organizations_q(scope), region_id__in=partial)
        visible = Q(level=Roadmap.Level.REGIONAL) | Q(owner_id__in=owners.order_by().values("pk"))
        # The base manager: visibility does not depend on the trash, which managers filter apart.
        rows = Roadmap._base_manager.filter(visible, region_id__in=partial).order_by()
        return frozenset(
            (pk, owner_id, level == Roadmap.Level.REGIONAL)
            for pk, owner_id, level in rows.values_list("pk", "owner_id", "level")
        )

    return access.memo(scope, "roadmaps.visible", compute)


def roadmap_ids(scope: Scope) -> frozenset[int]:
    """The visible roadmaps of partly reached regions. Their parts are filtered by their own
    ``roadmap_id`` (or their item's): an OR over the joined roadmap's level and owner was
    estimated at two roadmaps of one item each, and PostgreSQL then looked the control dates up
    item by item instead of reading the region's dates by index."""
    return frozenset(pk for pk, _owner, _regional in _visible_roadmaps(scope))


def owner_ids(scope: Scope) -> frozenset[int]:
    """Owners of the visible municipal and school roadmaps of partly reached regions. Roadmaps
    themselves are filtered by level and owner: read through the region's index, which a list of
    roadmap ids is not (PostgreSQL looks each id up by primary key)."""
    return frozenset(owner for _pk, owner, regional in _visible_roadmaps(scope) if not regional)


def _roadmap_q(scope: Scope, prefix: str = "") -> Q:
    """Every branch starts from the row's own region (items, sections, dates carry it), so
    PostgreSQL reads one region through an index instead of joining the country's roadmaps."""
    q = Q(region_id__in=scope.full_region_ids)
    partial = scope.member_region_ids - scope.full_region_ids
    if not partial:
        return q
    if not prefix:
        return (
            q
            | Q(region_id__in=partial, level="regional")
            | Q(region_id__in=partial, owner_id__in=owner_ids(scope))
        )
    # A part compares its roadmap id (its own column, or its item's), joining no roadmap.
    return q | Q(region_id__in=partial, **{f"{prefix.removesuffix('__')}_id__in": roadmap_ids(scope)})


def scope_roadmaps(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_roadmap_q(scope))


def scope_roadmap_parts(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_roadmap_q(scope, prefix="roadmap__"))


def scope_item_parts(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_roadmap_q(scope, prefix="item__roadmap__"))


def scope_drafts(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(region_id__in=scope.manage_region_ids)


def scope_trash(qs: QuerySet, scope: Scope) -> QuerySet:
    """The trash (README «Корзина») is the coordinators' own: their regions, nobody else's."""
    return qs.filter(region_id__in=scope.manage_region_ids)


def _roadmap_of(obj: Model) -> Model:
    from roadmaps.models import Item, Roadmap

    if isinstance(obj, Roadmap):
        return obj
    if isinstance(obj, Item):
        return obj.roadmap
    return obj.roadmap


def may_edit(scope: Scope, obj: Model) -> bool:
    roadmap = _roadmap_of(obj)
    if scope.may_manage(roadmap.region_id):
        return True
    owner = roadmap.owner
    if roadmap.level == "municipal":
        return owner.municipality_id in scope.municipality_ids
    if roadmap.level == "school":
        return owner.pk in scope.school_ids or owner.municipality_id in scope.municipality_ids
    return False


def may_approve(scope: Scope, obj: Model) -> bool:
    roadmap = _roadmap_of(obj)
    if scope.may_manage(roadmap.region_id):
        return True
    # A municipality approves its schools' roadmaps and its own, as municipal orders do.
    return (
        roadmap.level in ("municipal", "school") and roadmap.owner.municipality_id in scope.municipality_ids
    )


def register() -> None:
    from roadmaps.models import (
        ControlDate,
        ImportDraft,
        Item,
        ItemExecutor,
        ItemHistory,
        Revision,
        Roadmap,
        Section,
        TrashedRoadmap,
    )

    access.register(Roadmap, scope_roadmaps)
    for model in (Revision, Section, Item):
        access.register(model, scope_roadmap_parts)
    for model in (ControlDate, ItemExecutor, ItemHistory):
        access.register(model, scope_item_parts)
    access.register(ImportDraft, scope_drafts)
    access.register(TrashedRoadmap, scope_trash)
    manage = lambda scope, obj: scope.may_manage(access.region_id_of(obj))  # noqa: E731
    access.register_action(DELETE_ROADMAP, manage)
    access.register_action(RESTORE_FROM_TRASH, manage)
    access.register_action(IMPORT_ROADMAP, lambda scope, obj: scope.may_manage(access.region_id_of(obj)))
    access.register_action(EDIT_ROADMAP, may_edit)
    access.register_action(APPROVE_ROADMAP, may_approve)
