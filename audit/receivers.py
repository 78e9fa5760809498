"""What the audit log hears from below: logins (Django), lockouts (django-axes), memberships
and curator grants (model signals), stored files handed out (core.signals)."""

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from guardian.models import UserObjectPermission

from audit.services import Action, record
from core.signals import file_downloaded
from schools.models import Membership, Organization, User
from schools.signals import hierarchy_changed


def _home_region_id(user: User | None) -> int | None:
    if user is None:
        return None
    # Straight from the memberships: the scope cached on the user may be stale here.
    return (
        Membership.objects.filter(user=user)
        .order_by("region__code")
        .values_list("region_id", flat=True)
        .first()
    )


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(Action.LOGIN, request=request, user=user, region_id=_home_region_id(user))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or "")
    user = get_user_model()._default_manager.filter(username=username).first() if username else None
    record(
        Action.LOGIN_FAILED,
        request=request,
        user=user,
        username=username,
        # The attacked account's region: its coordinator sees who is trying.
        region_id=_home_region_id(user),
        details={"path": request.path if request is not None else "", "locked": _is_locked(request)},
    )


def _is_locked(request: HttpRequest) -> bool:
    return bool(getattr(request, "axes_locked_out", False))


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def on_lockout(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    # Axes repeats the signal for every attempt during a lockout; the log keeps the moment the
    # limit was reached (later attempts are «неудачный вход» with locked=true).
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None and failures > settings.AXES_FAILURE_LIMIT:
        return
    user = get_user_model()._default_manager.filter(username=username).first() if username else None
    record(
        Action.LOCKOUT,
        request=request,
        user=user,
        username=username or "",
        region_id=_home_region_id(user),
        details={"failures": failures, "minutes": settings.AXES_COOLOFF_TIME * 60},
    )


@receiver(post_save, sender=Membership, dispatch_uid="audit_membership_saved")
def on_membership_saved(
    sender: Any, instance: Membership, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    record(
        Action.MEMBERSHIP_ADDED if created else Action.MEMBERSHIP_CHANGED,
        obj=instance,
        details=_membership_details(instance),
    )


@receiver(post_delete, sender=Membership, dispatch_uid="audit_membership_deleted")
def on_membership_deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
    record(Action.MEMBERSHIP_REMOVED, obj=instance, details=_membership_details(instance))


def _membership_details(m: Membership) -> dict:
    return {
        "member": m.user.get_username() if m.user_id else "",
        "role": m.role,
        "organization": m.organization_id,
    }


def _curator_grant(instance: UserObjectPermission) -> Organization | None:
    if instance.permission.codename != "curate_school":
        return None
    return Organization.objects.filter(pk=instance.object_pk).first()


@receiver(post_save, sender=UserObjectPermission, dispatch_uid="audit_grant_saved")
def on_grant_saved(
    sender: Any, instance: UserObjectPermission, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    school = None if raw or not created else _curator_grant(instance)
    if school is not None:
        record(Action.CURATOR_GRANTED, obj=school, details={"curator": instance.user.get_username()})


@receiver(post_delete, sender=UserObjectPermission, dispatch_uid="audit_grant_deleted")
def on_grant_deleted(sender: Any, instance: UserObjectPermission, **kwargs: Any) -> None:
    school = _curator_grant(instance)
    if school is not None:
        record(Action.CURATOR_REVOKED, obj=school, details={"curator": instance.user.get_username()})


@receiver(file_downloaded, dispatch_uid="audit_download")
def on_file_downloaded(sender: Any, instance: models.Model, filename: str, **kwargs: Any) -> None:
    record(Action.DOWNLOAD, obj=instance, details={"filename": filename})


@receiver(hierarchy_changed, dispatch_uid="audit_hierarchy_changed")
def on_hierarchy_changed(
    sender: Any,
    action: str,
    obj: models.Model,
    actor: User | None = None,
    details: dict | None = None,
    **kwargs: Any,
) -> None:
    # A command run on the server has no actor: the event says so by its empty user.
    record(action, user=actor, obj=obj, details=details or {})
