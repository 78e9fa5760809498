"""The gate reads organizations and school statuses region first; the rows are those of the plain
rule (whatever the user reaches, by id, parent or municipality), per role and across regions."""

import pytest
from django.db.models import Q
from guardian.shortcuts import assign_perm

from schools import access
from schools.models import Membership, Municipality, Organization, Region, SchoolStatus, User

pytestmark = pytest.mark.django_db


def plain_statuses(user) -> set[int]:
    """The rule as it was written before the region came first."""
    scope = access.get_scope(user)
    ids = scope.school_ids | scope.curated_school_ids
    rule = (
        Q(region_id__in=scope.full_region_ids)
        | Q(school_id__in=ids)
        | Q(school__parent_id__in=ids)
        | Q(school__municipality_id__in=scope.municipality_ids)
    )
    return set(SchoolStatus.objects.filter(rule).values_list("pk", flat=True))


def plain_organizations(user) -> set[int]:
    scope = access.get_scope(user)
    return set(Organization.objects.filter(access.organizations_q(scope)).values_list("pk", flat=True))


def gated(model, user) -> set[int]:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def branch_status(db):
    """A status on a branch, so that «a director's school's branches» has a row to find."""
    branch = Organization.objects.get(region__code="70", parent__short_name="МБОУ «Чердатская СОШ»")
    return SchoolStatus.objects.create(region_id=branch.region_id, school=branch, year=2025, category="shnor")


@pytest.fixture
def two_regions_user(db):
    """A coordinator in Тамбовская область who also directs a school and curates one in Томская."""
    user = User.objects.create_user("two-regions")
    tambov_body = Organization.objects.filter(region__code="68", municipality__isnull=True).first()
    tomsk_school = Organization.objects.get(region__code="70", short_name="МБОУ «Чердатская СОШ»")
    Membership.objects.create(
        user=user, organization=tambov_body, role="coordinator", region=tambov_body.region
    )
    Membership.objects.create(
        user=user, organization=tomsk_school, role="director", region=tomsk_school.region
    )
    curated = (
        Organization.objects.filter(region__code="70", kind="school").exclude(pk=tomsk_school.pk).first()
    )
    Membership.objects.create(user=user, organization=curated, role="curator", region=curated.region)
    assign_perm("schools.curate_school", user, curated)
    return user


def test_it_shows_every_role_the_same_statuses_and_organizations_as_the_plain_rule(cast, branch_status):
    for username, user in cast.items():
        if user.is_superuser:
            continue
        assert gated(SchoolStatus, user) == plain_statuses(user), username
        assert gated(Organization, user) == plain_organizations(user), username
    assert branch_status.pk in gated(SchoolStatus, cast["cherdaty-director"])


def test_it_keeps_each_region_to_its_own_rule_for_a_user_of_two_regions(two_regions_user, branch_status):
    user = two_regions_user
    statuses, organizations = gated(SchoolStatus, user), gated(Organization, user)
    assert statuses == plain_statuses(user)
    assert branch_status.pk in statuses
    assert organizations == plain_organizations(user)
    # The whole of Тамбовская область, and in Томская only the schools reached by name.
    tambov, tomsk = Region.objects.get(code="68"), Region.objects.get(code="70")
    assert set(SchoolStatus.objects.filter(region=tambov).values_list("pk", flat=True)) <= statuses
    assert SchoolStatus.objects.filter(region=tomsk).exclude(pk__in=statuses).exists()
    assert Organization.objects.filter(region=tomsk).exclude(pk__in=organizations).exists()


def test_it_gives_a_reader_of_whole_regions_only_their_regions(cast):
    user = cast["tomsk-coordinator"]
    assert gated(Organization, user) == set(
        Organization.objects.filter(region__code="70").values_list("pk", flat=True)
    )


def plain_municipalities(user) -> set[int]:
    """The rule as it was before the region came first: whole regions, or the municipalities of
    the municipal official and of the schools reached one by one (read from those schools)."""
    scope = access.get_scope(user)
    schools = scope.school_ids | scope.curated_school_ids
    related = set(scope.municipality_ids) | {
        m for m in Organization.objects.filter(pk__in=schools).values_list("municipality_id", flat=True) if m
    }
    rule = Q(region_id__in=scope.full_region_ids) | Q(pk__in=related)
    return set(Municipality.objects.filter(rule).values_list("pk", flat=True))


def test_it_shows_every_role_the_same_municipalities_as_the_plain_rule(cast, two_regions_user):
    users = {**cast, "two-regions": two_regions_user}
    for username, user in users.items():
        if user.is_superuser:
            continue
        access.forget_scope(user)
        assert gated(Municipality, user) == plain_municipalities(user), username
    # Both branches are exercised: a whole region and, in another, a school's municipality only.
    mine = gated(Municipality, two_regions_user)
    assert set(Municipality.objects.filter(region__code="68").values_list("pk", flat=True)) <= mine
    assert 0 < len(mine & set(Municipality.objects.filter(region__code="70").values_list("pk", flat=True)))
    assert Municipality.objects.filter(region__code="70").exclude(pk__in=mine).exists()


def test_the_lists_read_statuses_and_municipalities_of_the_rows_own_regions(
    cast, two_regions_user, branch_status
):
    """The organizations page and API prefetch statuses and municipalities by the user's regions:
    the same ones as the plain relations, for every role and a user of two regions."""
    from schools import selectors

    users = {**cast, "two-regions": two_regions_user}
    for username, user in users.items():
        rows = list(selectors.with_statuses(Organization.objects.visible_to(user), user=user))
        assert rows, username
        for org in rows:
            plain = list(SchoolStatus.objects.filter(school=org).order_by("-year", "category"))
            assert org.shown_statuses == plain, (username, org)
            assert org.municipality == (
                Municipality.objects.get(pk=org.municipality_id) if org.municipality_id else None
            )
        year_rows = selectors.with_statuses(Organization.objects.visible_to(user), user=user, year=2025)
        for org in year_rows:
            assert org.shown_statuses == [s for s in org.statuses.all() if s.year == 2025], (username, org)


def test_the_api_lists_keep_their_rows_and_order(client, cast, two_regions_user):
    """Ordered by the region's code without joining it: the same rows in the same order as the
    plain ordering (region code, then name), inside a region, across two and for the federal
    viewer (every region)."""
    federal = User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})[0]
    users = {**cast, "two-regions": two_regions_user, "federal": federal}
    for username, user in users.items():
        client.force_login(user)
        for url, model, name in (
            ("/api/v1/municipalities/", Municipality, "name"),
            ("/api/v1/organizations/", Organization, "short_name"),
        ):
            got = []
            page = f"{url}?page_size=200"
            while page:
                body = client.get(page).json()
                got += [(row["id"], row["region"]) for row in body["results"]]
                page = body["next"]
            expected = list(
                model.objects.visible_to(user)
                .order_by("region__code", name)
                .values_list("pk", "region__code")
            )
            assert got == expected, (username, url)
            if username == "two-regions":  # really across two regions
                assert {code for _, code in got} == {"68", "70"}, url
