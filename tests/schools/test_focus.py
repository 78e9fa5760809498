"""Readers of the whole country (federal viewer, platform administrator) see one region at a time
on the list pages (schools/focus.py): the page then costs what it costs a department official of
that region, not the country's two million obligations."""

import pytest

from monitoring.models import Evidence, ExecutionReport, Obligation
from reporting.models import Report
from roadmaps.models import Roadmap
from schools.focus import SESSION_KEY
from schools.models import Organization, Region, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def federal(db) -> User:
    return User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})[0]


def regions_listed(response) -> set[str]:
    return {o.region.code for o in response.context["page"]}


@pytest.mark.parametrize("username", ["federal-viewer", "admin"])
def test_a_list_page_shows_the_first_region_then_the_chosen_one(client, federal, cast, username):
    client.force_login(User.objects.get(username=username))
    page = client.get("/execution/")
    assert page.status_code == 200
    first = Region.objects.order_by("code").first()
    assert page.context["region_focus"] == first
    assert regions_listed(page) == {first.code}
    # The filter lists only that region's roadmaps (the country's took megabytes).
    roadmap_ids = {int(v) for v, _ in page.context["form"].fields["roadmap"].widget.choices if v}
    assert roadmap_ids and set(
        Roadmap.objects.filter(pk__in=roadmap_ids).values_list("region__code", flat=True)
    ) == {first.code}
    text = page.content.decode()
    assert 'action="/focus/"' in text and 'name="region"' in text

    chosen = client.post("/focus/", {"region": "70", "next": "/execution/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/execution/"
    page = client.get("/execution/")
    assert page.context["region_focus"].code == "70"
    assert regions_listed(page) == {"70"}
    # Every focused page keeps the choice: the review queue, deadlines, roadmaps, the overview.
    for url in (
        "/roadmaps/",
        "/roadmaps/due/",
        "/execution/overview/",
        "/execution/matrix/",
        "/organizations/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["region_focus"].code == "70", url


def test_the_focus_only_narrows_reads(client, cast):
    """A write and an object's own page keep the administrator's full reach."""
    admin = cast["admin"]
    client.force_login(admin)
    client.post("/focus/", {"region": "68", "next": "/execution/"})
    tomsk = Obligation.objects.filter(region__code="70").order_by("pk").first()
    assert client.get(f"/obligations/{tomsk.pk}/").status_code == 200
    response = client.get("/execution/export.xlsx")
    assert response.status_code == 200


def test_a_wrong_choice_changes_nothing_and_an_outside_address_is_not_followed(client, federal):
    client.force_login(federal)
    client.post("/focus/", {"region": "70", "next": "/execution/"})
    response = client.post("/focus/", {"region": "99", "next": "/execution/"}, follow=True)
    assert "Такого региона нет" in response.content.decode()
    assert client.session[SESSION_KEY] == Region.objects.get(code="70").pk
    away = client.post("/focus/", {"region": "68", "next": "https://evil.example/"})
    assert away["Location"] == "/"


@pytest.mark.parametrize("username", ["tomsk-coordinator", "tambov-department", "tomsk-director"])
def test_region_members_have_no_choice_and_unchanged_pages(client, cast, username):
    client.force_login(cast[username])
    assert client.post("/focus/", {"region": "68", "next": "/"}).status_code == 403
    page = client.get("/execution/")
    assert page.context["region_focus"] is None
    assert 'action="/focus/"' not in page.content.decode()


def test_a_federal_member_starts_in_its_own_region(client, cast):
    coordinator = cast["tomsk-coordinator"]
    coordinator.federal_viewer = True
    coordinator.save()
    client.force_login(coordinator)
    page = client.get("/execution/")
    assert page.context["region_focus"].code == "70"
    assert regions_listed(page) == {"70"}


def test_the_report_form_lists_one_regions_schools_and_keeps_the_national_export(client, cast):
    client.force_login(cast["admin"])
    client.post("/focus/", {"region": "68", "next": "/reports/"})
    form = client.get("/reports/").context["form"]
    school_ids = {int(v) for v, _ in form.fields["school"].choices if v}
    assert school_ids == set(
        Organization.objects.filter(region__code="68", kind=Organization.Kind.SCHOOL).values_list(
            "pk", flat=True
        )
    )
    assert Report.Kind.NATIONAL in {k for k, _ in form.fields["kind"].choices}
    # A school of the other region is not a choice until that region is chosen.
    tomsk_school = Organization.objects.filter(region__code="70", kind=Organization.Kind.SCHOOL).first()
    refused = client.post("/reports/", {"kind": "school", "fmt": "xlsx", "school": tomsk_school.pk})
    assert refused.status_code == 200 and not Report.objects.filter(kind="school").exists()


@pytest.mark.parametrize("username", ["federal-viewer", "admin"])
def test_the_deep_api_lists_ask_a_reader_of_the_country_for_a_region(client, federal, username):
    client.force_login(User.objects.get(username=username))
    models = {
        "/api/v1/obligations/": Obligation,
        "/api/v1/execution-reports/": ExecutionReport,
        "/api/v1/evidence/": Evidence,
    }
    for url, model in models.items():
        refused = client.get(url)
        assert refused.status_code == 400, url
        body = refused.json()
        assert body["code"] == "invalid" and "region=70" in body["fields"]["region"][0]
        listed = client.get(url, {"region": "70"})
        assert listed.status_code == 200, url
        ids = [row["id"] for row in listed.json()["results"]]
        assert set(model._base_manager.filter(pk__in=ids).values_list("region__code", flat=True)) == {"70"}, (
            url
        )
        assert listed.json()["count"] > 0, url
    # A code the portal does not know lists nothing; a region member needs no parameter.
    assert client.get("/api/v1/obligations/", {"region": "99"}).json()["count"] == 0


def test_a_region_member_lists_without_naming_the_region_and_may_narrow_to_it(client, cast):
    client.force_login(cast["tomsk-coordinator"])
    everything = client.get("/api/v1/obligations/").json()["count"]
    assert everything > 0
    assert client.get("/api/v1/obligations/", {"region": "70"}).json()["count"] == everything
    # Another region's code shows none of its rows: the gate comes first.
    assert client.get("/api/v1/obligations/", {"region": "68"}).json()["count"] == 0


def test_the_administrators_home_still_calls_him_one(client, cast):
    client.force_login(cast["admin"])
    page = client.get("/").content.decode()
    assert "Администратор платформы: вам видны все регионы." in page
    assert "нет ни одной роли" not in page


@pytest.mark.parametrize(
    "url, model",
    [
        ("/api/v1/roadmap-items/", "roadmaps.Item"),
        ("/api/v1/assignments/", "questionnaires.Assignment"),
        ("/api/v1/rounds/", "monitoring.MonitoringRound"),
    ],
)
def test_every_regional_api_list_cuts_by_region_on_the_rows_own_region(client, federal, url, model):
    from django.apps import apps

    client.force_login(federal)
    assert client.get(url, {"region": "99"}).json()["count"] == 0, url
    tomsk = client.get(url, {"region": "70"}).json()
    assert tomsk["count"] > 0, url
    ids = [row["id"] for row in tomsk["results"]]
    codes = set(apps.get_model(model)._base_manager.filter(pk__in=ids).values_list("region__code", flat=True))
    assert codes == {"70"}, url


def _old_default_region(session, user) -> Region | None:
    """The rule the shared read of the regions replaced: a query per question."""
    from schools import access

    chosen = session.get(SESSION_KEY)
    if chosen is not None and Region.objects.filter(pk=chosen).exists():
        return Region.objects.get(pk=chosen)
    scope = access.get_scope(User.objects.get(pk=user.pk))
    own = [rid for rid, roles in scope.roles_by_region.items() if roles - {access.FEDERAL}]
    regions = Region.objects.order_by("code")
    return (regions.filter(pk__in=own).first() if own else None) or regions.first()


def _old_setup_region_code(user, region_focus) -> str:
    from schools import access, focus
    from schools.models import Membership

    scope = access.get_scope(User.objects.get(pk=user.pk))
    if region_focus is not None:  # the page's scope: cut to the region shown
        scope = focus.focused(scope, region_focus.pk)
    ids = [
        rid
        for rid, roles in scope.roles_by_region.items()
        if roles & {Membership.Role.COORDINATOR, Membership.Role.MUNICIPAL}
    ]
    return Region.objects.filter(pk__in=ids).order_by("code").values_list("code", flat=True).first() or ""


@pytest.mark.parametrize("choice", [None, "68"])
def test_the_regions_read_once_give_the_bar_menu_and_focus_of_the_old_queries(client, federal, choice):
    """The focus bar, its default region, the menu's «Подключение» region and the time zone come
    from one read of the regions per request: the same values as the queries they replaced, for
    every demo user, and the country's regions are read at most once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bar = list(Region.objects.order_by("code").values_list("code", "name"))
    for user in User.objects.order_by("username"):
        client.force_login(user)
        if choice and (user.is_superuser or user.federal_viewer):
            client.post("/focus/", {"region": choice, "next": "/"})
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/organizations/")
        assert page.status_code == 200, user.username
        reads = [q["sql"] for q in captured if 'FROM "schools_region"' in q["sql"]]
        assert len(reads) <= 1, (user.username, reads)
        if user.is_superuser or user.federal_viewer:
            assert page.context["region_focus"] == _old_default_region(client.session, user), user.username
            assert list(page.context["focus_regions"]) == bar, user.username
        else:
            assert page.context["region_focus"] is None
        assert str(page.context["setup_region_code"]) == _old_setup_region_code(
            user, page.context["region_focus"]
        ), user.username
