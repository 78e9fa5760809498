"""The access gate's rules for diagnostics (registered from DiagnosticsConfig.ready).

A school's diagnostics are seen by whoever reaches the school: the region's coordinators and
department officials, the municipal official of its municipality, its director, its curators.
Only coordinators import them and keep the region's catalogue of measures; the catalogue is read
by everyone in the region (it suggests measures when a roadmap is drafted). Which deficits an item
addresses is seen with the item and set by whoever may edit its roadmap.
"""

from django.db.models import Q, QuerySet

from roadmaps import rules as roadmap_rules
from schools import access
from schools.access import Scope

IMPORT_DIAGNOSTICS = "import_diagnostics"
MANAGE_MEASURES = "manage_measures"


def _school_q(scope: Scope, prefix: str = "") -> Q:
    schools = scope.school_ids | scope.curated_school_ids
    return (
        Q(**{f"{prefix}region_id__in": scope.full_region_ids})
        | Q(**{f"{prefix}region_id__in": scope.member_region_ids, f"{prefix}school_id__in": schools})
        | Q(**{f"{prefix}region_id__in": scope.member_region_ids, f"{prefix}school__parent_id__in": schools})
        | Q(
            **{
                f"{prefix}region_id__in": scope.member_region_ids,
                f"{prefix}school__municipality_id__in": scope.municipality_ids,
            }
        )
    )


def scope_school_rows(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_school_q(scope))


def scope_direction_scores(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_school_q(scope, prefix="diagnosis__"), region_id__in=scope.member_region_ids)


def scope_measures(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(region_id__in=scope.member_region_ids)


def register() -> None:
    from diagnostics.models import (
        AssessmentResult,
        DirectionScore,
        ItemDeficit,
        Measure,
        RiskLevel,
        SelfDiagnosis,
    )

    for model in (SelfDiagnosis, RiskLevel, AssessmentResult):
        access.register(model, scope_school_rows)
    access.register(DirectionScore, scope_direction_scores)
    access.register(Measure, scope_measures)
    access.register(ItemDeficit, roadmap_rules.scope_item_parts)
    manage = lambda scope, obj: scope.may_manage(access.region_id_of(obj))  # noqa: E731
    access.register_action(IMPORT_DIAGNOSTICS, manage)
    access.register_action(MANAGE_MEASURES, manage)
