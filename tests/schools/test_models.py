import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from schools.models import ExecutorAlias, Membership, Municipality, Organization, Region, SchoolStatus, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomsk():
    return Region.objects.get(code="70")


def test_it_rejects_an_unknown_time_zone():
    region = Region(code="54", name="Новосибирская область", timezone="Asia/Novosib")
    with pytest.raises(ValidationError, match="часовой пояс"):
        region.full_clean()


def test_it_rejects_a_region_code_that_is_not_two_digits():
    with pytest.raises(ValidationError, match="Код субъекта"):
        Region(code="NSK", name="Новосибирская область", timezone="Asia/Novosibirsk").full_clean()


def test_it_requires_a_municipality_for_a_school(tomsk):
    school = Organization(region=tomsk, kind="school", short_name="СОШ без района", name="СОШ без района")
    with pytest.raises(ValidationError) as exc:
        school.full_clean()
    assert "municipality" in exc.value.message_dict
    with pytest.raises(IntegrityError):
        school.save()


def test_it_rejects_a_municipality_of_another_region(tomsk):
    tambov_city = Municipality.objects.get(name="Город Тамбов")
    school = Organization(region=tomsk, municipality=tambov_city, kind="school", short_name="X", name="X")
    with pytest.raises(ValidationError, match="другому региону"):
        school.full_clean()


def test_it_allows_a_branch_only_under_a_school(tomsk):
    dept = Organization.objects.get(region=tomsk, short_name="ДОО ТО")
    school = Organization.objects.get(region=tomsk, short_name="МБОУ «Чердатская СОШ»")
    branch = Organization(
        region=tomsk, municipality=school.municipality, kind="school", short_name="Ф", name="Ф", parent=dept
    )
    with pytest.raises(ValidationError, match="Филиалы"):
        branch.full_clean()
    branch.parent = school
    branch.full_clean()


def test_it_keeps_the_level_for_minpros_statuses_only(tomsk):
    school = Organization.objects.get(region=tomsk, short_name="МАОУ СОШ № 28 г. Томска")
    status = SchoolStatus(school=school, region=tomsk, year=2024, category="shnor", level="basic")
    with pytest.raises(ValidationError, match="Уровень"):
        status.full_clean()
    with pytest.raises(IntegrityError):
        status.save()


def test_it_takes_the_status_region_from_the_school(tomsk):
    school = Organization.objects.get(region=tomsk, short_name="МАОУ СОШ № 28 г. Томска")
    status = SchoolStatus.objects.create(
        school=school, region=Region.objects.get(code="68"), year=2024, category="risk"
    )
    assert status.region_id == tomsk.pk


def test_it_normalizes_executor_aliases_for_matching():
    assert ExecutorAlias.normalize("  Руководители  «ШНОР»; ") == "руководители шнор"
    assert ExecutorAlias.normalize("Объёдинение") == "объединение"


def test_it_keeps_the_same_alias_apart_in_two_regions():
    tomsk = ExecutorAlias.objects.get(region__code="70", alias="ТОИПКРО").organization
    tambov = ExecutorAlias.objects.get(region__code="68", alias="ТОИПКРО").organization
    assert tomsk != tambov
    assert "Томский" in tomsk.name and "Томский" not in tambov.name


def test_it_wants_either_an_organization_or_a_group_for_an_alias(tomsk):
    alias = ExecutorAlias(region=tomsk, alias="ЦИМО")
    with pytest.raises(ValidationError, match="одно из двух"):
        alias.full_clean()


def test_it_refuses_a_role_that_does_not_fit_the_organization(tomsk):
    user = User.objects.create_user("x")
    school = Organization.objects.get(region=tomsk, short_name="МАОУ СОШ № 28 г. Томска")
    membership = Membership(user=user, organization=school, role="coordinator", region=tomsk)
    with pytest.raises(ValidationError, match="нельзя назначить"):
        membership.full_clean()


def test_it_takes_the_membership_region_from_the_organization(tomsk):
    user = User.objects.create_user("x")
    school = Organization.objects.get(region=tomsk, short_name="МАОУ СОШ № 28 г. Томска")
    m = Membership.objects.create(
        user=user, organization=school, role="director", region=Region.objects.get(code="68")
    )
    assert m.region_id == tomsk.pk


def test_it_rejects_a_school_calendar_with_a_bad_date_naming_it(tomsk):
    tomsk.school_calendar = {"holidays": {"autumn": ["28.10", "35.11"]}}
    with pytest.raises(ValidationError, match="35.11"):
        tomsk.full_clean()


def test_a_region_school_calendar_moves_the_terms_its_plans_are_read_with(tomsk):
    from datetime import date

    from roadmaps.schedule import parse_schedule

    before = parse_schedule("1 четверть", date(2023, 9, 1), date(2024, 8, 31), school_calendar=tomsk.calendar)
    tomsk.school_calendar = {
        "terms": [["01.09", "03.11"], ["13.11", "29.12"], ["09.01", "22.03"], ["01.04", "24.05"]]
    }
    tomsk.full_clean()
    tomsk.save()
    after = parse_schedule(
        "1 четверть",
        date(2023, 9, 1),
        date(2024, 8, 31),
        school_calendar=Region.objects.get(pk=tomsk.pk).calendar,
    )
    assert before.due_dates == (date(2023, 10, 27),)  # the federal default
    assert after.due_dates == (date(2023, 11, 3),)
