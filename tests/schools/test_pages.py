"""The hierarchy pages as each role sees them."""

from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from guardian.shortcuts import get_perms

from schools.models import Municipality, Organization, SchoolStatus, User

pytestmark = pytest.mark.django_db


def tomsk_city():
    return Municipality.objects.get(name="Город Томск")


def test_it_sends_a_visitor_to_login_and_back(client):
    response = client.get("/municipalities/1/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_logs_in_with_the_demo_password_and_shows_the_dashboard(client):
    response = client.post(
        "/accounts/login/", {"username": "tomsk-municipal", "password": "demo-portal-2026"}, follow=True
    )
    body = response.content.decode()
    assert "Кузнецова Татьяна Николаевна" in body
    assert "Мои задачи" in body
    assert "специалист МОУО — МАУ ИМЦ" in body.replace("Специалист", "специалист")


def test_it_explains_a_wrong_password_in_russian(client):
    response = client.post("/accounts/login/", {"username": "tomsk-municipal", "password": "nope"})
    assert "Неверное имя пользователя или пароль" in response.content.decode()


@pytest.mark.parametrize(
    "username, sees, does_not_see",
    [
        ("tomsk-coordinator", ["Город Томск", "Зырянский район", "Шегарский район"], ["Город Тамбов"]),
        ("tomsk-municipal", ["Город Томск"], ["Зырянский район", "Город Тамбов"]),
        ("cherdaty-director", ["МБОУ «Чердатская СОШ»", "Зырянский район"], ["Город Томск"]),
        (
            "tomsk-curator",
            ["МБОУ «Уртамская СОШ»", "Кожевниковский район"],
            ["Город Томск", "Шегарский район"],
        ),
        ("tambov-coordinator", ["Город Тамбов"], ["Город Томск"]),
    ],
)
def test_it_shows_each_role_its_own_reach_on_the_dashboard(client_for, username, sees, does_not_see):
    body = client_for(username).get("/").content.decode()
    for text in sees:
        assert text in body, text
    for text in does_not_see:
        assert text not in body, text


def test_it_lists_the_regions_municipalities_with_programme_counts(client_for):
    body = client_for("tomsk-department").get("/regions/70/").content.decode()
    assert body.count('href="/municipalities/') == 20
    # The latest year with statuses: the living demo carries the current year's lists.
    latest = SchoolStatus.objects.filter(region__code="70").order_by("-year").first().year
    assert latest == timezone.localdate(timezone=ZoneInfo("Asia/Tomsk")).year
    assert f"статусы школ за {latest} год" in body


def test_it_filters_the_municipality_schools_by_category_and_year(client_for):
    client = client_for("tomsk-municipal")
    url = f"/municipalities/{tomsk_city().pk}/"
    response = client.get(url, {"category": "shnor", "year": "2023"})
    names = {s.short_name for s in response.context["page"]}
    assert names == {"МАОУ СОШ № 44 г. Томска", "МАОУ ООШ № 66 г. Томска"}
    response = client.get(url, {"category": "shnor", "year": "2020"})
    assert len(response.context["page"]) == 7


def test_it_searches_schools_by_name(client_for):
    response = client_for("tomsk-municipal").get(f"/municipalities/{tomsk_city().pk}/", {"search": "ерохина"})
    assert [s.short_name for s in response.context["page"]] == ["МАОУ СОШ № 5 им. А.К. Ерохина г. Томска"]


def test_it_ignores_a_filter_value_that_is_not_offered(client_for):
    response = client_for("tomsk-municipal").get(f"/municipalities/{tomsk_city().pk}/", {"year": "1899"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["page"].paginator.count == 9


def test_it_paginates_long_lists_with_a_flat_query_count(client_for, django_assert_max_num_queries):
    client = client_for("tomsk-coordinator")
    municipality = tomsk_city()
    client.get("/organizations/")
    with django_assert_max_num_queries(14) as few:
        client.get("/organizations/")
    region = municipality.region
    for n in range(60):
        school = Organization.objects.create(
            region=region,
            municipality=municipality,
            kind="school",
            short_name=f"МАОУ СОШ № {100 + n}",
            name=f"Школа {n}",
        )
        SchoolStatus.objects.create(school=school, region=region, year=2023, category="shnor")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/organizations/", {"page": 2})
    total = Organization.objects.filter(region=region).count()
    assert response.context["page"].paginator.num_pages == -(-total // 25)
    assert len(response.context["page"]) == 25


def test_it_shows_a_school_card_with_statuses_and_people(client_for):
    school = Organization.objects.get(short_name="МАОУ СОШ № 5 им. А.К. Ерохина г. Томска")
    body = client_for("tomsk-municipal").get(f"/organizations/{school.pk}/").content.decode()
    assert "Васильев Сергей Иванович" in body
    assert "Распоряжение департамента образования администрации Города Томска от 07.10.2020 № 740р" in body
    assert "Назначить куратора" not in body  # only coordinators assign curators


def test_it_lets_a_coordinator_assign_and_withdraw_a_curator(client_for, cast):
    school = Organization.objects.get(short_name="МАОУ СОШ № 28 г. Томска")
    curator = cast["tomsk-curator"]
    client = client_for("tomsk-coordinator")
    assert "Назначить куратора" in client.get(f"/organizations/{school.pk}/").content.decode()
    response = client.post(
        f"/organizations/{school.pk}/curators/", {"curator": curator.pk, "action": "assign"}, follow=True
    )
    assert "назначен(а) куратором" in response.content.decode()
    assert "curate_school" in get_perms(curator, school)
    client.post(f"/organizations/{school.pk}/curators/", {"curator": curator.pk, "action": "unassign"})
    assert "curate_school" not in get_perms(User.objects.get(pk=curator.pk), school)


def test_it_refuses_a_curator_from_outside_the_region(client_for, cast):
    school = Organization.objects.get(short_name="МАОУ СОШ № 28 г. Томска")
    response = client_for("tomsk-coordinator").post(
        f"/organizations/{school.pk}/curators/",
        {"curator": cast["tambov-curator"].pk, "action": "assign"},
        follow=True,
    )
    assert "Выберите куратора из списка" in response.content.decode()
    assert not get_perms(cast["tambov-curator"], school)


def test_it_saves_the_profile(client_for, cast):
    client = client_for("tomsk-director")
    response = client.post(
        "/profile/",
        {
            "full_name": "Васильев С. И.",
            "position": "Директор школы",
            "phone": "8 (3822) 90-20-31",
            "email": "d@example.ru",
        },
        follow=True,
    )
    assert "Профиль сохранён" in response.content.decode()
    user = User.objects.get(username="tomsk-director")
    assert (user.full_name, user.phone, user.email_reminders) == (
        "Васильев С. И.",
        "8 (3822) 90-20-31",
        False,
    )


def test_it_rejects_a_bad_phone_and_saves_nothing(client_for):
    client = client_for("tomsk-director")
    response = client.post("/profile/", {"full_name": "Другое имя", "phone": "позвоните мне"})
    assert "Телефон: цифры" in response.content.decode()
    assert User.objects.get(username="tomsk-director").full_name == "Васильев Сергей Иванович"


def test_it_mails_a_password_reset_link(client):
    User.objects.filter(username="tomsk-director").update(email="director@example.ru")
    client.post("/accounts/password_reset/", {"email": "director@example.ru"})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert "Восстановление пароля" in mail.outbox[0].subject


@pytest.mark.parametrize(
    "username, zone",
    [("tomsk-director", "время томское (UTC+7)"), ("tambov-director", "время московское (UTC+3)")],
)
def test_it_shows_times_in_the_users_region_time_zone(client_for, username, zone):
    """The zone is named as people say it, not «Asia/Tomsk»."""
    body = client_for(username).get("/").content.decode()
    assert f"Сроки и часы на портале: {zone}." in body
    assert "Asia/" not in body and "Europe/" not in body


def test_the_organization_list_shows_the_municipalities_the_prefetch_gave(client, cast):
    """The listed organizations take their municipalities from the filter's select (read once);
    the rows and the names are those of the prefetch it replaced, for every demo user, on every
    page of the list."""
    from django.db.models import Prefetch

    from schools import selectors

    User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})
    compared = 0
    for user in User.objects.order_by("username"):
        client.force_login(user)
        number, pages = 1, 1
        while number <= min(pages, 3):
            response = client.get("/organizations/", {"page": number})
            assert response.status_code == 200, user.username
            page = response.context["page"]
            pages = page.paginator.num_pages
            # The old rule, with the page's own (cut) scope: the municipality prefetched by region.
            reader = response.wsgi_request.user
            old = (
                Organization.objects.visible_to(reader)
                .prefetch_related(
                    Prefetch(
                        "municipality", queryset=selectors._in_regions(Municipality.objects.all(), reader)
                    )
                )
                .order_by("short_name")
            )
            expected = [
                (o.pk, o.municipality and o.municipality.name)
                for o in old[page.start_index() - 1 : page.end_index()]
            ]
            shown = [(o.pk, o.municipality and o.municipality.name) for o in page]
            assert shown == expected, (user.username, number)
            compared += len(shown)
            number += 1
    assert compared > 100
