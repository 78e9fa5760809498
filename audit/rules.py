"""The audit log's place in the gate: the platform administrator reads everything (the gate lets
admins through), a regional coordinator reads the events of the regions they manage, nobody
else reads any."""

from django.db import models

from audit.models import AuditEvent
from schools import access
from schools.models import User


def may_read_log(user: User) -> bool:
    scope = access.get_scope(user)
    return scope.is_admin or bool(scope.manage_region_ids)


def scope_events(qs: models.QuerySet, scope: access.Scope) -> models.QuerySet:
    return qs.filter(region_id__in=scope.manage_region_ids)


def register() -> None:
    access.register(AuditEvent, scope_events)
