"""The gate's rules for reports: region-wide roles see the region's reports (including those built
automatically); everybody else sees the reports they asked for."""

from django.db.models import Q

from schools import access
from schools.access import Scope

REQUEST_REPORT = "request_report"


def scope_reports(qs, scope: Scope):
    return qs.filter(Q(region_id__in=scope.full_region_ids) | Q(requested_by_id=scope.user_id))


def register() -> None:
    from reporting.models import Report

    access.register(Report, scope_reports)
    # Any member of the region may ask for a report on what they can see; what they can see is
    # checked against the parameters by the service.
    access.register_action(REQUEST_REPORT, lambda scope, region: region.pk in scope.member_region_ids)
