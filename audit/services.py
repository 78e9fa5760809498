"""Writing audit events. One function, :func:`record`; it never breaks the action it records."""

import logging

from django.db import models, transaction
from django.http import HttpRequest

from audit.context import current_request
from audit.models import AuditEvent
from schools.models import Region, User

log = logging.getLogger(__name__)
Action = AuditEvent.Action


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # The same address django-axes counts lockouts by (it honours the proxy settings).
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def region_id_of(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Region):
        return obj.pk
    return getattr(obj, "region_id", None)


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    obj: models.Model | None = None,
    label: str = "",
    region_id: int | None = None,
    details: dict | None = None,
) -> AuditEvent | None:
    """Record one event. ``user`` defaults to the request's user, ``region_id`` to ``obj``'s region.

    Written in its own savepoint: a failure to write the log is logged, never shown to the user
    and never rolls back the action itself.
    """
    request = request if request is not None else current_request.get()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if region_id is None:
        region_id = region_id_of(obj)
    event = AuditEvent(
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        ip_address=client_ip(request),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=(label or (str(obj) if obj is not None else ""))[:300],
        region_id=region_id,
        details=details or {},
    )
    try:
        with transaction.atomic():
            event.save()
    except Exception:  # noqa: BLE001 - the audited action must go on
        log.exception("audit event %s not written", action)
        return None
    return event
