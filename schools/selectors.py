"""Reads for the hierarchy pages. Every queryset starts from the access gate."""

from django.db.models import Count, Prefetch, Q, QuerySet

from schools import access
from schools.models import Membership, Municipality, Organization, Region, SchoolStatus, User

School = Organization.Kind.SCHOOL


def status_years(user: User) -> list[int]:
    return sorted(set(SchoolStatus.objects.visible_to(user).values_list("year", flat=True).distinct()), reverse=True)


def municipalities_with_counts(*, user: User, region: Region, year: int | None) -> QuerySet:
    """The region's municipalities the user sees, with school and programme counts (one query)."""
    schools = Organization.objects.visible_to(user).filter(kind=School).values("pk")
    counts = {
        "school_count": Count("organizations", filter=Q(organizations__in=schools), distinct=True),
    }
    if year:
        for category in (SchoolStatus.Category.SHNOR, SchoolStatus.Category.SHNSU):
            counts[f"{category}_count"] = Count(
                "organizations",
                filter=Q(
                    organizations__in=schools,
                    organizations__statuses__year=year,
                    organizations__statuses__category=category,
                ),
                distinct=True,
            )
    return Municipality.objects.visible_to(user).filter(region=region).annotate(**counts).order_by("kind", "name")


def with_statuses(qs: QuerySet, *, year: int | None = None) -> QuerySet:
    """Organizations for a list: their statuses (of ``year``, if given) prefetched, by name."""
    statuses = SchoolStatus.objects.order_by("-year", "category")
    if year:
        statuses = statuses.filter(year=year)
    return (
        qs.select_related("municipality", "region")
        .prefetch_related(Prefetch("statuses", queryset=statuses, to_attr="shown_statuses"))
        .order_by("short_name")
    )


def people_of(*, user: User, organization: Organization) -> QuerySet:
    return (
        Membership.objects.visible_to(user)
        .filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def curators_of(school: Organization) -> list:
    from guardian.shortcuts import get_users_with_perms

    users = get_users_with_perms(school, only_with_perms_in=["curate_school"], with_superusers=False)
    return sorted(users, key=lambda u: str(u))


def curator_candidates(*, region: Region) -> QuerySet:
    from schools.models import User

    return (
        User.objects.filter(
            memberships__region=region, memberships__role=Membership.Role.CURATOR, is_active=True
        )
        .distinct()
        .order_by("full_name", "username")
    )


def schools_for_dashboard(*, user: User, limit: int = 10) -> QuerySet:
    scope = access.get_scope(user)
    ids = scope.school_ids | scope.curated_school_ids
    return (
        Organization.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("municipality")
        .order_by("short_name")[:limit]
    )
