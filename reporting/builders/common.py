"""Shared pieces of report builders."""

from collections.abc import Callable
from typing import TypeAlias

from django.utils import timezone

from schools.access import Requester
from schools.models import Membership, Organization, Region, User

# How a builder reports its progress: progress(percent, message="").
Progress: TypeAlias = Callable[..., None]


def department_name(region: Region, requester: Requester) -> str:
    """The regional education department's name, for report headers (public to the region)."""
    dept = (
        Organization.objects.visible_to(requester)
        .filter(region=region, kind=Organization.Kind.DEPARTMENT)
        .order_by("pk")
        .first()
    )
    return dept.name if dept else region.name


def signature(region: Region, requester: Requester) -> dict:
    """The signature block of an analytical note: who prepared it (the user who ordered it, with
    their position and organization), or the regional operator for a report built on schedule."""
    today = timezone.localtime(timezone=region.tzinfo).date()
    if isinstance(requester, User):
        membership = (
            Membership.objects.visible_to(requester)
            .filter(user=requester, region=region)
            .select_related("organization")
            .order_by("pk")
            .first()
        )
        return {
            "organization": membership.organization.name if membership else "",
            "position": requester.position or (membership.position if membership else ""),
            "name": requester.full_name or requester.get_username(),
            "date": today,
        }
    operator = (
        Organization.objects.visible_to(requester)
        .filter(region=region, kind=Organization.Kind.INSTITUTE)
        .order_by("pk")
        .first()
    )
    return {
        "organization": operator.name if operator else region.name,
        "position": "",
        "name": "",
        "date": today,
    }
