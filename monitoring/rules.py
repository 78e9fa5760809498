"""The access gate's rules for execution tracking (registered from MonitoringConfig.ready).

Seeing: coordinators and department officials the whole region; a municipal official the
obligations of their municipality's bodies and schools; a director their school's (and its
branches'); a curator their schools' and those of the organization they belong to.
Filing: the executor's own people (never a read-only department official); coordinators file for
the region's own bodies. Reviewing: the school's curator, or a coordinator for anybody.
"""

import dataclasses
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Model, Q

from schools import access
from schools.access import Scope
from schools.models import Membership, Organization

FILE_REPORT = "file_report"
REVIEW_REPORT = "review_report"
REOPEN_REPORT = "reopen_report"
DELETE_REPORT = "delete_report"

FILING_ROLES = {
    Membership.Role.COORDINATOR,
    Membership.Role.CURATOR,
    Membership.Role.MUNICIPAL,
    Membership.Role.DIRECTOR,
}


def _executor_sets(scope: Scope) -> dict[str, frozenset[int]]:
    """The organizations whose obligations the user sees, files and reviews beyond region-wide
    roles, as id sets: one small query per scope instead of a join on every obligation row."""
    return _executors(scope)[0]


def visible_executor_municipalities(scope: Scope) -> dict[int, int | None]:
    """The municipality (None: a regional body) of each executor seen in regions seen in part;
    read by the same query as the executor ids, once per scope. The overview groups these
    executors by municipality with it instead of joining the country's organizations again."""
    return {pk: executor.municipality_id for pk, executor in _executors(scope)[1].items()}


class VisibleExecutor(NamedTuple):
    municipality_id: int | None
    kind: str
    region_id: int


def _executors(scope: Scope) -> tuple[dict[str, frozenset[int]], dict[int, VisibleExecutor]]:
    def compute() -> tuple[dict[str, frozenset[int]], dict[int, VisibleExecutor]]:
        schools = scope.school_ids | scope.curated_school_ids
        filing_orgs = {org for org, roles in scope.roles_by_org.items() if roles & FILING_ROLES}
        wanted = (
            Q(pk__in=schools | scope.organization_ids)
            | Q(parent_id__in=schools)
            | Q(municipality_id__in=scope.municipality_ids)
            | Q(region_id__in=scope.manage_region_ids, municipality__isnull=True)
        )
        # A set, unordered: the model's ordering joined the regions table for every row.
        rows = (
            Organization.objects.filter(wanted, region_id__in=scope.member_region_ids)
            .order_by()
            .values_list("pk", "parent_id", "municipality_id", "kind", "region_id")
        )
        sets: dict[str, set[int]] = {"visible": set(), "fileable": set(), "reviewable": set()}
        known: dict[int, VisibleExecutor] = {}
        for pk, parent, municipality, kind, region in rows:
            known[pk] = VisibleExecutor(municipality, kind, region)
            if pk in schools or pk in scope.organization_ids or parent in schools:
                sets["visible"].add(pk)
            if municipality in scope.municipality_ids:
                sets["visible"].add(pk)
            if (
                pk in scope.school_ids
                or parent in scope.school_ids
                or (municipality in scope.municipality_ids and kind != Organization.Kind.SCHOOL)
                or (region in scope.manage_region_ids and municipality is None)
                # Members of a regional body other than read-only department staff file for it
                # (a curator of ТОИПКРО files ТОИПКРО's items).
                or pk in filing_orgs
            ):
                sets["fileable"].add(pk)
            if pk in scope.curated_school_ids or parent in scope.curated_school_ids:
                sets["reviewable"].add(pk)
        visible = {pk: known[pk] for pk in sets["visible"]}
        return {name: frozenset(ids) for name, ids in sets.items()}, visible

    return access.memo(scope, "monitoring.executors", compute)


def municipality_schools_q(scope: Scope, municipality_id: int) -> Q:
    """The obligations of a municipality's schools among those the gate shows (the municipal
    official's «отстают» panel), as one list of executor ids per region.

    The official's municipality is always among the gate's executors, with each one's kind, so
    its schools are known without a query. Filtered as «a school of the municipality» by a join
    on top of the gate's own executor list, the two lists made PostgreSQL multiply their
    selectivities, expect 2 obligations where there are 1,575 and look up each one's report by
    index (5,900 buffers at 85 regions, 4,300 at 1); so, as for the review queue, a region seen in
    part keeps the gate's list and drops the visible executors that are not those schools, and a
    region seen whole names the schools (the gate has no list there).
    """
    visible = _executors(scope)[1]
    schools = {
        pk
        for pk, executor in visible.items()
        if executor.municipality_id == municipality_id and executor.kind == Organization.Kind.SCHOOL
    }
    others = set(visible) - schools
    q = Q(pk__in=[])
    for region in {visible[pk].region_id for pk in schools}:  # an executor is in its obligations' region
        if scope.reaches_region_fully(region):
            q |= Q(
                region_id=region, executor_id__in={pk for pk in schools if visible[pk].region_id == region}
            )
        else:
            q |= Q(region_id=region) & ~Q(executor_id__in=others) if others else Q(region_id=region)
    return q


def _paths(prefix: str, region: str | None) -> tuple[str, str]:
    """(the row's own region column, the obligation's executor column) for a model's path to its
    obligation: ``prefix`` leads to the obligation, ``region`` names the row's own region column."""
    return region or f"{prefix}region_id", f"{prefix}executor_id"


def joined_regions(prefix: str, regions: Iterable[int]) -> dict[str, object]:
    """The same region filter on every table joined on the way (report, obligation, roadmap):
    without it PostgreSQL scans the joined table country-wide before it can match ids."""
    steps = prefix.split("__")[:-1]
    return {"__".join(steps[: n + 1]) + "__region_id__in": regions for n in range(len(steps))}


def visible_obligations_q(scope: Scope, prefix: str = "", region: str | None = None) -> Q:
    """Every branch starts from the row's own region, so PostgreSQL reads one region's rows
    through a region index instead of scanning the country's obligations. Executor ids are only
    needed in regions the user does not see whole (none at all for a coordinator)."""
    region, executor = _paths(prefix, region)
    q = Q(**{f"{region}__in": scope.full_region_ids})
    partial = scope.member_region_ids - scope.full_region_ids
    if partial:
        q |= Q(
            **{f"{region}__in": partial, f"{executor}__in": _executor_sets(scope)["visible"]},
            **joined_regions(prefix, partial),
        )
    return q


def visible_report_parts_q(scope: Scope) -> Q:
    """Evidence and events of the reports the user sees: by the row's own region, and in regions
    seen only in part, by a semi-join on the visible reports (reports × obligations of those
    regions, hashed once). Joining every file of the region to its report and obligation instead,
    PostgreSQL estimated that join from the country's key counts and looked up the obligation of
    each file one by one (a municipal official's /api/v1/evidence/: 68,542 buffers at 85 regions).
    """
    from monitoring.models import ExecutionReport

    q = Q(region_id__in=scope.full_region_ids)
    partial = scope.member_region_ids - scope.full_region_ids
    if partial:
        reports = ExecutionReport._base_manager.filter(
            region_id__in=partial,
            obligation__region_id__in=partial,
            obligation__executor_id__in=_executor_sets(scope)["visible"],
        )
        q |= Q(region_id__in=partial, report_id__in=reports.values("pk"))
    return q


def filing_scope(scope: Scope) -> Scope:
    """``scope`` cut to the executors the user files for: in regions seen in part the gate's
    executors are the visible ones the user may file for, one list. «Мои задачи» read the gate
    and then narrowed it by a second list of executors (``fileable_q``); PostgreSQL multiplied
    the two selectivities, expected one obligation of a municipal authority's 90 and chose its
    joins for one row (the authority looked up again for every obligation). Regions seen whole
    have no executor list in the gate: :func:`fileable_in_whole_regions_q` narrows them."""
    sets, visible = _executors(scope)
    narrowed = dataclasses.replace(scope)  # a new scope: its own, empty memo
    filing = sets["visible"] & sets["fileable"]
    access.memo(
        narrowed,
        "monitoring.executors",
        lambda: ({**sets, "visible": filing}, {pk: visible[pk] for pk in filing}),
    )
    return narrowed


def fileable_in_whole_regions_q(scope: Scope) -> Q:
    """What :func:`filing_scope`'s gate leaves to narrow: in regions seen whole, the executors
    the user files for (in regions seen in part the gate has already kept only those)."""
    q = Q(region_id__in=scope.member_region_ids - scope.full_region_ids)
    if scope.full_region_ids:
        q |= Q(region_id__in=scope.full_region_ids, executor_id__in=_executor_sets(scope)["fileable"])
    return q


def fileable_q(scope: Scope, prefix: str = "", region: str | None = None) -> Q:
    """Obligations the user may file: the filter behind «Мои задачи»."""
    region, executor = _paths(prefix, region)
    return Q(
        **{f"{region}__in": scope.member_region_ids, f"{executor}__in": _executor_sets(scope)["fileable"]}
    )


def reviewable_q(scope: Scope, prefix: str = "", region: str | None = None) -> Q:
    region, executor = _paths(prefix, region)
    q = Q(**{f"{region}__in": scope.manage_region_ids})
    partial = scope.member_region_ids - scope.manage_region_ids
    if partial:
        q |= Q(**{f"{region}__in": partial, f"{executor}__in": _executor_sets(scope)["reviewable"]})
    return q


def _obligation_of(obj: Model) -> Model:
    from monitoring.models import Evidence, ExecutionReport, Obligation

    if isinstance(obj, Obligation):
        return obj
    if isinstance(obj, ExecutionReport):
        return obj.obligation
    if isinstance(obj, Evidence):
        return obj.report.obligation
    raise TypeError(type(obj))


def _matches(q: Q, obligation: Model) -> bool:
    from monitoring.models import Obligation

    return Obligation.objects.filter(q, pk=obligation.pk).exists()


def may_file(scope: Scope, obj: Model) -> bool:
    return _matches(fileable_q(scope), _obligation_of(obj))


def may_review(scope: Scope, obj: Model) -> bool:
    return _matches(reviewable_q(scope), _obligation_of(obj))


def may_reopen(scope: Scope, obj: Model) -> bool:
    return scope.may_manage(_obligation_of(obj).region_id)


def register() -> None:
    from monitoring.models import (
        Evidence,
        ExecutionReport,
        MonitoringRound,
        Obligation,
        ReportEvent,
        RoundEntry,
        TrashedEvidence,
        TrashedExecutionReport,
    )
    from monitoring.rounds import OPEN_ROUND
    from roadmaps.rules import scope_roadmap_parts, scope_trash

    # Reports, evidence and events are filtered on their own region column (the tenant key is
    # on every row), so a region-wide role's list needs no join at all.
    access.register(Obligation, lambda qs, scope: qs.filter(visible_obligations_q(scope)))
    access.register(
        ExecutionReport,
        lambda qs, scope: qs.filter(visible_obligations_q(scope, prefix="obligation__", region="region_id")),
    )
    for model in (Evidence, ReportEvent):
        access.register(model, lambda qs, scope: qs.filter(visible_report_parts_q(scope)))
    access.register(MonitoringRound, scope_roadmap_parts)
    # A frozen row is seen like the obligation it froze (by its region and executor): seeing the
    # round is not seeing every executor's execution in it.
    access.register(
        RoundEntry,
        lambda qs, scope: qs.filter(
            visible_obligations_q(scope), round__in=scope_roadmap_parts(MonitoringRound.objects.all(), scope)
        ),
    )
    access.register_action(OPEN_ROUND, lambda scope, obj: scope.may_manage(access.region_id_of(obj)))
    access.register_action(FILE_REPORT, may_file)
    access.register_action(REVIEW_REPORT, may_review)
    access.register_action(REOPEN_REPORT, may_reopen)
    for model in (TrashedExecutionReport, TrashedEvidence):
        access.register(model, scope_trash)
    # Deleting a filed report is a coordinator's correction, like reopening one.
    access.register_action(DELETE_REPORT, may_reopen)
