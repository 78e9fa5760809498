"""Shared pieces of report builders."""

from collections.abc import Callable
from typing import TypeAlias

from schools.access import Requester
from schools.models import Organization, Region

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
