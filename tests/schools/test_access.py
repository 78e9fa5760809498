"""The access gate: what each role reaches, computed from memberships and curator grants."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from guardian.shortcuts import assign_perm

from schools import access
from schools.models import GatedQuerySet, Membership, Municipality, Organization, Region, SchoolStatus, User

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:
    return set(qs.values_list("short_name", flat=True))


def visible(model, user):
    return model.objects.visible_to(user)


def test_it_gives_a_coordinator_the_whole_region_and_nothing_else(cast):
    user = cast["tomsk-coordinator"]
    orgs = visible(Organization, user)
    assert set(orgs.values_list("region__code", flat=True)) == {"70"}
    assert orgs.count() == Organization.objects.filter(region__code="70").count()
    assert set(visible(Region, user).values_list("code", flat=True)) == {"70"}
    assert visible(Municipality, user).count() == 20


def test_it_lets_a_department_official_see_the_region_but_not_change_it(cast):
    user = cast["tomsk-department"]
    region = Region.objects.get(code="70")
    assert visible(Organization, user).count() == Organization.objects.filter(region=region).count()
    assert not access.can(user, access.Action.MANAGE_REGION, region)
    with pytest.raises(PermissionDenied, match="только для просмотра"):
        access.require(user, access.Action.MANAGE_REGION, region)


def test_it_limits_a_municipal_official_to_their_municipality(cast):
    user = cast["zyryanka-municipal"]
    schools = visible(Organization, user).filter(kind="school")
    assert set(schools.values_list("municipality__name", flat=True)) == {"Зырянский район"}
    assert "МБОУ «Чердатская СОШ»" in names(schools)
    assert set(visible(Municipality, user).values_list("name", flat=True)) == {"Зырянский район"}
    # Regional bodies are public to members of the region.
    assert {"ДОО ТО", "ТОИПКРО"} <= names(visible(Organization, user))
    assert "МАОУ СОШ № 44 г. Томска" not in names(visible(Organization, user))


def test_it_shows_a_director_their_school_and_its_branches_only(cast):
    user = cast["cherdaty-director"]
    schools = names(visible(Organization, user).filter(kind="school"))
    assert schools == {"МБОУ «Чердатская СОШ»", "Филиал МБОУ «Чердатская СОШ» в с. Высокий Яр"}
    statuses = visible(SchoolStatus, user)
    assert set(statuses.values_list("school__short_name", flat=True)) == {"МБОУ «Чердатская СОШ»"}
    # Their own municipal authority is visible, other municipalities' are not.
    assert "УО Зырянского района" in names(visible(Organization, user))
    assert "УО Томского района" not in names(visible(Organization, user))


def test_it_shows_a_curator_only_the_schools_granted_to_them(cast):
    user = cast["tomsk-curator"]
    schools = names(visible(Organization, user).filter(kind="school", parent__isnull=True))
    assert schools == {"МБОУ «Чердатская СОШ»", "МБОУ «Михайловская СОШ»", "МБОУ «Уртамская СОШ»"}


def test_it_ignores_a_curator_grant_on_another_regions_school(cast):
    user = cast["tomsk-curator"]
    foreign = Organization.objects.get(region__code="68", short_name="МБОУ «Платоновская СОШ»")
    assign_perm("schools.curate_school", user, foreign)
    access.forget_scope(user)
    assert not visible(Organization, user).filter(pk=foreign.pk).exists()


def test_it_gives_a_platform_administrator_everything(cast):
    user = cast["admin"]
    assert visible(Organization, user).count() == Organization.objects.count()
    assert access.can(user, access.Action.MANAGE_REGION, Region.objects.get(code="68"))


def test_it_shows_nothing_to_a_user_without_memberships():
    user = User.objects.create_user("nobody", password="x")
    for model in (Region, Municipality, Organization, SchoolStatus, Membership):
        assert not visible(model, user).exists()


def test_it_shows_nothing_to_an_inactive_user(cast):
    user = cast["tomsk-coordinator"]
    user.is_active = False
    assert not visible(Organization, user).exists()


def test_it_refuses_to_scope_a_model_it_does_not_know(cast):
    from django.contrib.sessions.models import Session

    with pytest.raises(ImproperlyConfigured):
        GatedQuerySet(model=Session).visible_to(cast["tomsk-coordinator"])


def test_it_computes_the_scope_once_per_user_object(cast, django_assert_num_queries):
    user = User.objects.get(username="tomsk-coordinator")
    access.get_scope(user)
    with django_assert_num_queries(0):
        access.get_scope(user)
