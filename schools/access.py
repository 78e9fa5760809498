"""The one access gate.

Who may see or change what is decided here and nowhere else. A user's reach is computed once
per request from memberships (role × organization) plus django-guardian object grants (curator ↔
school) and cached on the user object:

- regional coordinator — the whole region, may change it;
- department official — the whole region, read-only;
- municipal official — their municipality and its schools;
- school director — their school and its branches;
- curator — the schools granted to them;
- federal viewer (``User.federal_viewer``) — every region, read-only: a department official of
  each region, holding the pseudo-role :data:`FEDERAL` there (no membership, no organization);
- platform administrator (superuser) — everything.

Every queryset in views, API, exports, reports and tasks goes through
``Model.objects.visible_to(user)`` (implemented by :func:`_scope_queryset`, the only road); an
object outside it answers 404, so «missing» and «not yours» look the same. A write by a role that may only read answers 403 (:func:`require`).
Apps add their own models with :func:`register`.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from schools.models import (
    ExecutorAlias,
    Membership,
    Municipality,
    Organization,
    Region,
    SchoolStatus,
    User,
)

CURATE_PERMISSION = "schools.curate_school"
Role = Membership.Role
# The federal viewer's role in every region. Not a ``Membership.Role``: nobody can be invited to
# it or given it in a region; only the platform administrator sets ``User.federal_viewer``. No
# action rule names it, so every action is refused (like a department official's).
FEDERAL = "federal"


class Action(StrEnum):
    VIEW = "view"
    # Change the region's structure and roadmaps: coordinators only.
    MANAGE_REGION = "manage_region"
    # Grant or withdraw a curator's object permission on a school.
    ASSIGN_CURATORS = "assign_curators"
    # Invite people and change their roles: coordinators (anyone in the region) and municipal
    # officials (directors of their own schools; ``schools.people`` checks whom).
    INVITE_PEOPLE = "invite_people"


@dataclass(frozen=True)
class Scope:
    """What one user reaches; ids only, so it is cheap to build and to combine into filters."""

    is_admin: bool = False
    user_id: int | None = None
    member_region_ids: frozenset[int] = frozenset()
    full_region_ids: frozenset[int] = frozenset()  # coordinator or department: the whole region
    manage_region_ids: frozenset[int] = frozenset()  # coordinator: may change the region
    municipality_ids: frozenset[int] = frozenset()  # municipal official
    school_ids: frozenset[int] = frozenset()  # director: own schools (branches come with them)
    curated_school_ids: frozenset[int] = frozenset()  # curator: guardian grants
    organization_ids: frozenset[int] = frozenset()  # organizations the user is a member of
    # The municipal official's municipalities and those of the schools reached one by one (own,
    # curated): their authorities and methodical centres are visible too.
    related_municipality_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()
    roles_by_region: dict[int, frozenset[str]] = field(default_factory=dict)
    roles_by_org: dict[int, frozenset[str]] = field(default_factory=dict)
    is_federal: bool = False  # the federal viewer: every region read-only, the national export

    @property
    def is_anonymous(self) -> bool:
        return not (self.is_admin or self.member_region_ids)

    @property
    def reads_every_region(self) -> bool:
        """The platform administrator and the federal viewer: the whole country at once."""
        return self.is_admin or self.is_federal

    def reaches_region_fully(self, region_id: int) -> bool:
        return self.is_admin or region_id in self.full_region_ids

    def may_manage(self, region_id: int) -> bool:
        return self.is_admin or region_id in self.manage_region_ids

    def is_read_only_in(self, region_id: int) -> bool:
        """A department official or the federal viewer (and nobody else there) may only look."""
        if self.is_admin:
            return False
        roles = self.roles_by_region.get(region_id, frozenset())
        return not roles or roles <= {Role.DEPARTMENT, FEDERAL}


EMPTY_SCOPE = Scope()


@dataclass(frozen=True)
class SystemRequester:
    """The portal itself reading one region for work nobody asked for by hand (the quarterly
    reports queued when a round closes, a round's frozen snapshot).

    It reaches the whole of its one region, like a department official, and nothing else; it
    belongs to no organization and may change nothing. Pass it wherever a user goes:
    ``Model.objects.visible_to(SystemRequester(region_id=…))``.
    """

    region_id: int
    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None

    @property
    def scope(self) -> Scope:
        region = frozenset({self.region_id})
        return Scope(member_region_ids=region, full_region_ids=region)


# Whom a queryset is read for: a signed-in user, an anonymous visitor (who reaches nothing), or
# the portal itself for one region.
Requester: TypeAlias = User | AnonymousUser | SystemRequester


def get_scope(user: Requester | None) -> Scope:
    if isinstance(user, SystemRequester):
        return user.scope
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_access_scope", None)
    if cached is not None:
        return cached
    scope = _build_scope(user)
    user._access_scope = scope
    return scope


def seen_through(user: User, scope: Scope) -> User:
    """``user`` read through ``scope``, a scope cut from their own (it may only take away), for
    ``visible_to``: a copy of the user, so the request's own scope stays as it was. The region
    focus does the same to the request's user in place (``schools.focus``)."""
    narrowed = copy.copy(user)
    narrowed._access_scope = scope
    return narrowed


def forget_scope(user: User) -> None:
    """Call after changing a user's memberships or grants within the same request."""
    if hasattr(user, "_access_scope"):
        del user._access_scope


def _build_scope(user: User) -> Scope:
    if user.is_superuser:
        return Scope(is_admin=True, user_id=user.pk)
    rows = list(
        Membership.objects.filter(user=user)
        .order_by()  # a set: the model's ordering joined the regions table twice
        .values_list("role", "region_id", "organization_id", "organization__municipality_id")
    )
    member_regions, full, manage, municipalities, schools, orgs = set(), set(), set(), set(), set(), set()
    related: set[int] = set()
    roles_by_region: dict[int, set[str]] = {}
    roles_by_org: dict[int, set[str]] = {}
    for role, region_id, org_id, municipality_id in rows:
        roles_by_org.setdefault(org_id, set()).add(role)
        member_regions.add(region_id)
        orgs.add(org_id)
        roles_by_region.setdefault(region_id, set()).add(role)
        if role in (Role.COORDINATOR, Role.DEPARTMENT):
            full.add(region_id)
        if role == Role.COORDINATOR:
            manage.add(region_id)
        if role == Role.MUNICIPAL and municipality_id:
            municipalities.add(municipality_id)
        if role == Role.DIRECTOR:
            schools.add(org_id)
            if municipality_id:
                related.add(municipality_id)
    related |= municipalities
    curated: set[int] = set()
    if Role.CURATOR in {r for r, *_ in rows}:
        curator_regions = {rid for r, rid, *_ in rows if r == Role.CURATOR}
        curated_schools = _curated_schools(user, curator_regions=curator_regions)
        curated = set(curated_schools)
        related |= {m for m in curated_schools.values() if m}
    roles = {r for r, *_ in rows}
    every: list[Region] | None = None
    if user.federal_viewer:
        # Reads every region in full, as a department official would there; memberships the
        # user also holds keep their own rights in their regions. The rows, not only their ids:
        # the time zone, the focus bar and the default region are then read from them.
        every = list(Region.objects.order_by("code"))
        all_regions = {region.pk for region in every}
        member_regions |= all_regions
        full |= all_regions
        roles.add(FEDERAL)
        for region_id in all_regions:
            roles_by_region.setdefault(region_id, set()).add(FEDERAL)
    scope = Scope(
        user_id=user.pk,
        member_region_ids=frozenset(member_regions),
        full_region_ids=frozenset(full),
        manage_region_ids=frozenset(manage),
        municipality_ids=frozenset(municipalities),
        school_ids=frozenset(schools),
        curated_school_ids=frozenset(curated),
        organization_ids=frozenset(orgs),
        related_municipality_ids=frozenset(related),
        roles=frozenset(roles),
        roles_by_region={k: frozenset(v) for k, v in roles_by_region.items()},
        roles_by_org={k: frozenset(v) for k, v in roles_by_org.items()},
        is_federal=user.federal_viewer,
    )
    if every is not None:
        memo(scope, "every_region", lambda: every)
    return scope


def _curated_school_ids(user: User, *, curator_regions: set[int]) -> set[int]:
    return set(_curated_schools(user, curator_regions=curator_regions))


def _curated_schools(user: User, *, curator_regions: set[int]) -> dict[int, int | None]:
    """The curated schools' ids with their municipalities (read with the ids, not again later)."""
    # Grants are read straight from guardian's table; a grant in a region where the user is no
    # longer a curator does not count.
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    # The organization's content type from Django's per-process cache, not joined by name: the
    # two joins to django_content_type were re-read for every grant (19 of a curator's 27
    # buffers of identity on every request).
    organization_type = ContentType.objects.get_for_model(Organization).pk
    ids = UserObjectPermission.objects.filter(
        user=user,
        content_type_id=organization_type,
        permission__codename="curate_school",
        permission__content_type_id=organization_type,
    ).values_list("object_pk", flat=True)
    return dict(
        Organization.objects.filter(
            pk__in=[int(pk) for pk in ids], region_id__in=curator_regions, kind=Organization.Kind.SCHOOL
        )
        .order_by()  # a set: the model's ordering joined the regions table for every row
        .values_list("pk", "municipality_id")
    )


# --- Querysets --------------------------------------------------------------------------------


def _reached_school_q(scope: Scope, prefix: str = "") -> Q:
    """Schools a user reaches individually (director, curator, municipal official), not region-wide."""
    ids = scope.school_ids | scope.curated_school_ids
    return (
        Q(**{f"{prefix}pk__in": ids})
        | Q(**{f"{prefix}parent_id__in": ids})
        | Q(**{f"{prefix}municipality_id__in": scope.municipality_ids})
    )


def _organizations_q(scope: Scope) -> Q:
    related_municipalities = scope.related_municipality_ids
    return (
        Q(region_id__in=scope.full_region_ids)
        # Regional bodies (department, institute, assessment centre) are public to the region.
        | Q(region_id__in=scope.member_region_ids, municipality__isnull=True)
        | Q(pk__in=scope.organization_ids)
        | _reached_school_q(scope)
        # The municipal authority and methodical centre of a school one reaches.
        | Q(
            municipality_id__in=related_municipalities,
            kind__in=[Organization.Kind.MUNICIPAL_AUTHORITY, Organization.Kind.METHODICAL_CENTRE],
        )
    )


def _scope_regions(qs: models.QuerySet, scope: Scope) -> models.QuerySet:
    return qs.filter(pk__in=scope.member_region_ids)


def _scope_municipalities(qs: models.QuerySet, scope: Scope) -> models.QuerySet:
    if scope.full_region_ids >= scope.member_region_ids:
        return qs.filter(region_id__in=scope.full_region_ids)
    # The row's own region first (a related municipality is in its school's region): the few ids
    # are then a filter on one region's rows, not a descent of the country's primary key each.
    return qs.filter(region_id__in=scope.member_region_ids).filter(
        Q(region_id__in=scope.full_region_ids) | Q(pk__in=scope.related_municipality_ids)
    )


def _scope_organizations(qs: models.QuerySet, scope: Scope) -> models.QuerySet:
    if scope.full_region_ids >= scope.member_region_ids:
        # Whole regions only: one index condition. The id lists of the full filter would add
        # nothing here but make the planner expect a few rows and join them one by one.
        return qs.filter(region_id__in=scope.full_region_ids)
    # The row's own region first: every organization a scope reaches is in one of its regions
    # (memberships, grants, branches and municipalities never cross a region), so the OR of id
    # lists below reads one region's rows instead of the country's indexes, one descent per id.
    return qs.filter(region_id__in=scope.member_region_ids).filter(_organizations_q(scope))


def _scope_statuses(qs: models.QuerySet, scope: Scope) -> models.QuerySet:
    # The status's own region first (a status is in its school's region), then the schools
    # reached individually as a semi-join on their ids: testing «its own id, its parent's or its
    # municipality» on a join made PostgreSQL hash every school in the country (1,481 buffers
    # for one director at 85 regions).
    reached = Organization.objects.filter(_reached_school_q(scope)).values("pk")
    return qs.filter(region_id__in=scope.member_region_ids).filter(
        Q(region_id__in=scope.full_region_ids) | Q(school_id__in=reached)
    )


def _scope_memberships(qs: models.QuerySet, scope: Scope) -> models.QuerySet:
    visible = Organization.objects.filter(_organizations_q(scope)).values("pk")
    return qs.filter(organization_id__in=visible)


def _scope_aliases(qs: models.QuerySet, scope: Scope) -> models.QuerySet:
    return qs.filter(region_id__in=scope.full_region_ids)


_SCOPERS: dict[type[models.Model], Callable[[models.QuerySet, Scope], models.QuerySet]] = {
    Region: _scope_regions,
    Municipality: _scope_municipalities,
    Organization: _scope_organizations,
    SchoolStatus: _scope_statuses,
    Membership: _scope_memberships,
    ExecutorAlias: _scope_aliases,
}


def register(model: type[models.Model], scoper: Callable[[models.QuerySet, Scope], models.QuerySet]) -> None:
    """Let another app teach the gate how to scope its model (called from its AppConfig.ready)."""
    _SCOPERS[model] = scoper


def _scope_queryset(qs: models.QuerySet, user: Requester) -> models.QuerySet:
    """Behind ``GatedQuerySet.visible_to``; nothing else calls it."""
    scoper = _SCOPERS.get(qs.model)
    if scoper is None:
        # Failing loudly is the point: a model the gate does not know cannot be listed at all.
        raise ImproperlyConfigured(f"The access gate has no rule for {qs.model.__name__}")
    scope = get_scope(user)
    if scope.is_admin:
        return qs
    if scope.is_anonymous:
        return qs.none()
    return scoper(qs, scope)


# --- Actions ----------------------------------------------------------------------------------


def region_id_of(obj: models.Model) -> int:
    if isinstance(obj, Region):
        return obj.pk
    return obj.region_id


_ACTION_RULES: dict[str, Callable[[Scope, models.Model], bool]] = {
    Action.MANAGE_REGION: lambda scope, obj: scope.may_manage(region_id_of(obj)),
    Action.ASSIGN_CURATORS: lambda scope, obj: scope.may_manage(region_id_of(obj)),
    Action.INVITE_PEOPLE: lambda scope, obj: (
        scope.may_manage(region_id_of(obj))
        or Role.MUNICIPAL in scope.roles_by_region.get(region_id_of(obj), frozenset())
    ),
}


def register_action(action: str, rule: Callable[[Scope, models.Model], bool]) -> None:
    """Let another app define who may take one of its actions (called from AppConfig.ready)."""
    _ACTION_RULES[action] = rule


def can(user: Requester, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may take ``action`` on ``obj``. The caller has already scoped ``obj``."""
    scope = get_scope(user)
    if action == Action.VIEW:
        return type(obj).objects.filter(pk=obj.pk).visible_to(user).exists()
    rule = _ACTION_RULES.get(action)
    if rule is None:
        raise ImproperlyConfigured(f"Unknown action {action!r}")
    if scope.is_admin:
        return True
    if scope.is_anonymous:
        return False
    return rule(scope, obj)


def organizations_q(scope: Scope) -> Q:
    """Organizations a scope reaches, as a filter other apps can build on."""
    return _organizations_q(scope)


def require(user: Requester, action: str, obj: models.Model) -> None:
    if not can(user, action, obj):
        if get_scope(user).is_read_only_in(region_id_of(obj)):
            raise PermissionDenied(_("У вашей роли доступ только для просмотра."))
        raise PermissionDenied(_("Это действие вам недоступно."))


def member_regions(user: Requester) -> list[Region]:
    """The user's regions, by code; read once per scope (one request)."""
    scope = get_scope(user)
    if not scope.member_region_ids:
        return []

    def read() -> list[Region]:
        every = memoized(scope, "every_region")
        if every is not None:  # a reader of every region has them all already
            return [region for region in every if region.pk in scope.member_region_ids]
        return list(Region.objects.filter(pk__in=scope.member_region_ids).order_by("code"))

    # The middleware, an API view, a list's ordering (region_order) and the menu all ask for them.
    return memo(scope, "member_regions", read)


def readable_regions(user: Requester) -> list[Region]:
    """``Region.objects.visible_to(user)``, by code, read once per request: every region for the
    administrator, else the user's regions (every one for the federal viewer, the one shown on a
    page cut to one region)."""
    return every_region(user) if get_scope(user).is_admin else member_regions(user)


def every_region(user: Requester) -> list[Region]:
    """Every region of the country, by code, read once per scope (one request): the region bar
    and the default region of a reader of the whole country (schools/focus.py). The federal
    viewer's scope is built with them; the region a page is cut to keeps them
    (``focus.focused``)."""
    scope = get_scope(user)
    if scope is EMPTY_SCOPE:  # shared by every anonymous request: nothing is kept on it
        return list(Region.objects.order_by("code"))
    return memo(scope, "every_region", lambda: list(Region.objects.order_by("code")))


def primary_region(user: User) -> Region | None:
    """The region whose time zone and home page a user sees first."""
    regions = member_regions(user)
    return regions[0] if regions else None


def region_order(user: Requester, field: str = "region_id") -> list:
    """Terms to put a list of a user's rows in the order of their regions' codes, without
    joining the regions table to every row (which PostgreSQL did with a scan of the table per
    row once the filters made it expect one row).

    Every row a user sees is in one of the user's regions: with one region there is nothing to
    order by; with several, their ranks by code (from :func:`member_regions`). The administrator
    and the federal viewer reach every region: the join stays (a hash of the 87 regions, not a
    CASE of 87 branches on every row of the country).
    """
    scope = get_scope(user)
    if scope.reads_every_region:
        return [field.removesuffix("_id") + "__code"]
    regions = member_regions(user)
    if len(regions) <= 1:
        return []
    from django.db.models import Case, IntegerField, Value, When

    ranks = [When(**{field: region.pk}, then=Value(rank)) for rank, region in enumerate(regions)]
    return [Case(*ranks, default=Value(len(regions)), output_field=IntegerField())]


T = TypeVar("T")


def memo(scope: Scope, key: str, compute: Callable[[], T]) -> T:
    """What is derived from a scope (id sets of executors and roadmap owners, the primary
    region), computed once per scope.

    A scope lives as long as its user object (one request), so the sets are as fresh as the scope
    itself; filters then compare plain ids instead of joining organizations on every row.
    """
    cache = scope.__dict__.setdefault("_memo", {})  # a frozen dataclass still has a writable __dict__
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def memoized(scope: Scope, key: str) -> Any:
    """What :func:`memo` holds for ``key`` on this scope, or ``None`` if nothing computed it."""
    return scope.__dict__.get("_memo", {}).get(key)
