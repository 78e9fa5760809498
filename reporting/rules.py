"""The gate's rules for reports.

Seeing: region-wide roles see the region's reports (including those built automatically);
everybody else sees the reports they asked for.

Ordering: :data:`ORDERABLE` is the one table of which report each role may order and about what.
A subject the table allows is still only the starting point: every builder reads through the gate
with the requester, so the file holds only rows the requester may see.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from schools import access
from schools.access import FEDERAL, Scope
from schools.models import Membership

REQUEST_REPORT = "request_report"
# Ordering a roadmap's XLSX/PDF built by a worker: whoever sees the roadmap (POST on the roadmap).
EXPORT_ROADMAP = "export_roadmap"
Role = Membership.Role

# Report kinds (values of reporting.models.Report.Kind; spelt out here so the gate's rules need
# no model import at start-up).
QUARTERLY, MUNICIPAL, SCHOOL, QUESTIONNAIRE = "quarterly", "municipal", "school", "questionnaire"
ROADMAP = "roadmap"
# Every obligation of the country in one XLSX: it belongs to no region, so it is not in ORDERABLE
# (whose rules are per region) — see :func:`may_order_national`.
NATIONAL = "national"


def _anything_in_region(scope: Scope, subject: Any) -> bool:
    return True  # the role is held in the subject's region (checked by may_order)


def _own_municipality(scope: Scope, municipality: Any) -> bool:
    return municipality.pk in scope.municipality_ids


def _school_of_own_municipality(scope: Scope, school: Any) -> bool:
    return school.municipality_id in scope.municipality_ids


def _curated_school(scope: Scope, school: Any) -> bool:
    return bool({school.pk, school.parent_id} & scope.curated_school_ids)


def _own_school(scope: Scope, school: Any) -> bool:
    return bool({school.pk, school.parent_id} & scope.school_ids)


# role → report kind → whether the role may order that report about that subject. A role held in
# another region never counts. Questionnaire reports are counted over the requester's own
# schools, so a municipality or a curator may order them for any questionnaire they see.
ORDERABLE: dict[str, dict[str, Callable[[Scope, object], bool]]] = {
    Role.COORDINATOR: {
        QUARTERLY: _anything_in_region,
        MUNICIPAL: _anything_in_region,
        SCHOOL: _anything_in_region,
        QUESTIONNAIRE: _anything_in_region,
        ROADMAP: _anything_in_region,
    },
    Role.DEPARTMENT: {
        QUARTERLY: _anything_in_region,
        MUNICIPAL: _anything_in_region,
        SCHOOL: _anything_in_region,
        QUESTIONNAIRE: _anything_in_region,
        ROADMAP: _anything_in_region,
    },
    Role.MUNICIPAL: {
        MUNICIPAL: _own_municipality,
        SCHOOL: _school_of_own_municipality,
        QUESTIONNAIRE: _anything_in_region,
        ROADMAP: _anything_in_region,
    },
    Role.CURATOR: {
        SCHOOL: _curated_school,
        QUESTIONNAIRE: _anything_in_region,
        ROADMAP: _anything_in_region,
    },
    Role.DIRECTOR: {
        SCHOOL: _own_school,
        ROADMAP: _anything_in_region,
    },
    # The federal viewer orders the national export (below) and a roadmap's file from its page;
    # the region reports stay with the regions (their forms would list the country's schools).
    FEDERAL: {
        ROADMAP: _anything_in_region,
    },
}
# A roadmap export is the roadmap as its reader sees it: anyone the gate shows it to may order it
# (``_subject`` has already read it through the gate as the requester).

# What a refusal tells the user: who may order the kind, read off the table above.
REFUSALS = {
    QUARTERLY: _("Квартальный отчёт по региону доступен координатору и департаменту."),
    MUNICIPAL: _(
        "Сводную информацию по муниципалитету заказывают координатор и департамент (любой "
        "муниципалитет региона) и специалист МОУО (только свой муниципалитет)."
    ),
    SCHOOL: _(
        "Карточку школы заказывают: руководитель — своей школы, куратор — курируемых школ, "
        "специалист МОУО — школ своего муниципалитета, координатор и департамент — любой школы региона."
    ),
    QUESTIONNAIRE: _(
        "Аналитическую справку по анкетированию заказывают координатор, департамент, специалист МОУО и куратор."
    ),
    ROADMAP: _("Выгрузку дорожной карты заказывает тот, кто её видит."),
    NATIONAL: _(
        "Выгрузку всех обязательств по стране заказывают только администратор платформы и федеральный "
        "наблюдатель: в ней данные всех регионов."
    ),
}


def orderable_kinds(scope: Scope) -> set[str]:
    """Report kinds the user may order about something (to offer in forms)."""
    if scope.is_admin:
        return {QUARTERLY, MUNICIPAL, SCHOOL, QUESTIONNAIRE, NATIONAL}
    kinds = {kind for role in scope.roles for kind in ORDERABLE.get(role, {})}
    return kinds | {NATIONAL} if may_order_national(scope) else kinds


def may_order_national(scope: Scope) -> bool:
    """The national export holds every region's rows: the platform administrator and the
    federal viewer only (a region's coordinator or department is refused)."""
    return scope.reads_every_region


def may_order(scope: Scope, kind: str, subject: Model) -> bool:
    """Whether the user may order a ``kind`` report about ``subject`` (already seen through the gate)."""
    if scope.is_admin:
        return True
    roles = scope.roles_by_region.get(access.region_id_of(subject), frozenset())
    return any(
        (rule := ORDERABLE.get(role, {}).get(kind)) is not None and rule(scope, subject) for role in roles
    )


def scope_reports(qs: QuerySet, scope: Scope) -> QuerySet:
    q = Q(region_id__in=scope.full_region_ids) | Q(requested_by_id=scope.user_id)
    if scope.is_federal:
        q |= Q(region__isnull=True)  # national exports: shared among federal viewers
    return qs.filter(q)


def register() -> None:
    from reporting.models import Report

    access.register(Report, scope_reports)
    # Any member of the region may ask for a report; what about is decided by ORDERABLE.
    access.register_action(REQUEST_REPORT, lambda scope, region: region.pk in scope.member_region_ids)
    access.register_action(
        EXPORT_ROADMAP, lambda scope, roadmap: roadmap.region_id in scope.member_region_ids
    )
