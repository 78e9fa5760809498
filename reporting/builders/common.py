"""Shared pieces of report builders."""

from schools.models import Organization, Region, User


def department_name(region: Region, requester: User) -> str:
    """The regional education department's name, for report headers (public to the region)."""
    dept = (
        Organization.objects.visible_to(requester)
        .filter(region=region, kind=Organization.Kind.DEPARTMENT)
        .order_by("pk")
        .first()
    )
    return dept.name if dept else region.name
