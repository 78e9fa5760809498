"""Reads for the hierarchy pages. Every queryset starts from the access gate."""

from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from schools import access
from schools.models import Membership, Municipality, Organization, Region, SchoolStatus, User

School = Organization.Kind.SCHOOL


def status_years(user: User) -> list[int]:
    return sorted(
        set(SchoolStatus.objects.visible_to(user).values_list("year", flat=True).distinct()), reverse=True
    )


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
    return (
        Municipality.objects.visible_to(user)
        .filter(region=region)
        .annotate(**counts)
        .order_by("kind", "name")
    )


def _in_regions(qs: QuerySet, user: User) -> QuerySet:
    """``qs`` limited to the regions a user reaches (nothing for the administrator, who reaches all)."""
    scope = access.get_scope(user)
    return qs if scope.is_admin else qs.filter(region_id__in=scope.member_region_ids)


def statuses_of_regions(user: User, *, year: int | None = None, to_attr: str | None = None) -> Prefetch:
    """The statuses of a list's organizations, read by their own region first.

    A status is in its school's region, and every organization a user sees is in one of the
    user's regions, so the rows are those of the plain relation; but PostgreSQL reads them from
    the region's few index pages instead of descending the country's index once per school.
    """
    statuses = _in_regions(SchoolStatus.objects.order_by("-year", "category"), user)
    if year:
        statuses = statuses.filter(year=year)
    return Prefetch("statuses", queryset=statuses, to_attr=to_attr)


def with_statuses(
    qs: QuerySet, *, user: User, year: int | None = None, municipality: bool = True
) -> QuerySet:
    """Organizations for a list: their municipality and statuses (of ``year``, if given)
    prefetched, by name.

    Both by the region (an organization's municipality is in its region): a join read the
    municipality of each row by the country's primary key, or hashed all of the country's
    municipalities. ``municipality=False`` leaves the municipalities to
    :func:`attach_municipalities` (a page that has read them for its filter already).
    """
    lookups = [statuses_of_regions(user, year=year, to_attr="shown_statuses")]
    if municipality:
        lookups.insert(0, _municipalities_of_regions(user))
    return qs.prefetch_related(*lookups).order_by("short_name")


def _municipalities_of_regions(user: User) -> Prefetch:
    return Prefetch("municipality", queryset=_in_regions(Municipality.objects.all(), user))


def attach_municipalities(rows: list[Organization], *, user: User, known: Iterable[Municipality]) -> None:
    """Give each organization of ``rows`` its municipality from ``known`` (the municipalities a
    page has read for its filter), reading only those not among them, as :func:`with_statuses`
    reads them: the page then reads its region's municipalities once, not twice."""
    by_pk = {m.pk: m for m in known}
    field = Organization._meta.get_field("municipality")
    missing = []
    for row in rows:
        if row.municipality_id is None:
            field.set_cached_value(row, None)
        elif row.municipality_id in by_pk:
            field.set_cached_value(row, by_pk[row.municipality_id])
        else:
            missing.append(row)
    if missing:
        prefetch_related_objects(missing, _municipalities_of_regions(user))


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
