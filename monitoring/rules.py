"""The access gate's rules for execution tracking (registered from MonitoringConfig.ready).

Seeing: coordinators and department officials the whole region; a municipal official the
obligations of their municipality's bodies and schools; a director their school's (and its
branches'); a curator their schools' and those of the organization they belong to.
Filing: the executor's own people (never a read-only department official); coordinators file for
the region's own bodies. Reviewing: the school's curator, or a coordinator for anybody.
"""

from django.db.models import Q

from schools import access
from schools.access import Scope
from schools.models import Membership, Organization

FILE_REPORT = "file_report"
REVIEW_REPORT = "review_report"
REOPEN_REPORT = "reopen_report"

FILING_ROLES = {
    Membership.Role.COORDINATOR,
    Membership.Role.CURATOR,
    Membership.Role.MUNICIPAL,
    Membership.Role.DIRECTOR,
}


def executor_q(scope: Scope, prefix: str = "executor__") -> Q:
    """Obligations whose executor the user reaches (beyond the region-wide roles)."""
    schools = scope.school_ids | scope.curated_school_ids
    return (
        Q(**{f"{prefix}pk__in": schools | scope.organization_ids})
        | Q(**{f"{prefix}parent_id__in": schools})
        | Q(**{f"{prefix}municipality_id__in": scope.municipality_ids})
    )


def visible_obligations_q(scope: Scope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}region_id__in": scope.full_region_ids}) | executor_q(
        scope, prefix=f"{prefix}executor__"
    )


def fileable_q(scope: Scope, prefix: str = "") -> Q:
    """Obligations the user may file: the filter behind «Мои задачи»."""
    e = f"{prefix}executor__"
    q = (
        Q(**{f"{e}pk__in": scope.school_ids})
        | Q(**{f"{e}parent_id__in": scope.school_ids})
        | (
            Q(**{f"{e}municipality_id__in": scope.municipality_ids})
            & ~Q(**{f"{e}kind": Organization.Kind.SCHOOL})
        )
        | Q(**{f"{prefix}region_id__in": scope.manage_region_ids, f"{e}municipality__isnull": True})
    )
    # Members of a regional body other than read-only department staff file for it (a curator
    # of ТОИПКРО files ТОИПКРО's items).
    filing_orgs = {org for org, roles in scope.roles_by_org.items() if roles & FILING_ROLES}
    if filing_orgs:
        q |= Q(**{f"{e}pk__in": filing_orgs})
    return q


def reviewable_q(scope: Scope, prefix: str = "") -> Q:
    e = f"{prefix}executor__"
    return (
        Q(**{f"{prefix}region_id__in": scope.manage_region_ids})
        | Q(**{f"{e}pk__in": scope.curated_school_ids})
        | Q(**{f"{e}parent_id__in": scope.curated_school_ids})
    )


def _obligation_of(obj):
    from monitoring.models import Evidence, ExecutionReport, Obligation

    if isinstance(obj, Obligation):
        return obj
    if isinstance(obj, ExecutionReport):
        return obj.obligation
    if isinstance(obj, Evidence):
        return obj.report.obligation
    raise TypeError(type(obj))


def _matches(q: Q, obligation) -> bool:
    from monitoring.models import Obligation

    return Obligation.objects.filter(q, pk=obligation.pk).exists()


def may_file(scope: Scope, obj) -> bool:
    return _matches(fileable_q(scope), _obligation_of(obj))


def may_review(scope: Scope, obj) -> bool:
    return _matches(reviewable_q(scope), _obligation_of(obj))


def may_reopen(scope: Scope, obj) -> bool:
    return scope.may_manage(_obligation_of(obj).region_id)


def register() -> None:
    from monitoring.models import (
        Evidence,
        ExecutionReport,
        MonitoringRound,
        Obligation,
        ReportEvent,
        RoundEntry,
    )
    from monitoring.rounds import OPEN_ROUND
    from roadmaps.rules import scope_roadmap_parts

    access.register(Obligation, lambda qs, scope: qs.filter(visible_obligations_q(scope)))
    access.register(
        ExecutionReport, lambda qs, scope: qs.filter(visible_obligations_q(scope, prefix="obligation__"))
    )
    for model in (Evidence, ReportEvent):
        access.register(
            model, lambda qs, scope: qs.filter(visible_obligations_q(scope, prefix="report__obligation__"))
        )
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
