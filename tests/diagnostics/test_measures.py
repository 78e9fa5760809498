"""Deficits → measures: the region's catalogue (coordinators write, the region reads), marking the
deficits of roadmap items (whoever may edit the roadmap), the coverage of a school roadmap with
the catalogue's suggestions, and adding a suggestion to a draft (item + link, atomically)."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from audit.models import AuditEvent
from diagnostics import services
from diagnostics.models import ItemDeficit, Measure
from roadmaps import services as roadmap_services
from roadmaps.importing.analysis import analyse
from roadmaps.models import Item, Roadmap
from schools.access import get_scope
from schools.models import Membership, Organization, Region, User
from tests.diagnostics_factories import make_diagnostics
from tests.factories import parsed_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_catalogue():
    """These tests start from an empty catalogue: the living demo seeds one (diagnostics/demo.py)."""
    ItemDeficit.objects.all().delete()
    Measure.objects.all().delete()


READERS = ["tomsk-department", "tomsk-curator", "tomsk-municipal", "tomsk-director"]


def user(username: str) -> User:
    return User.objects.get(username=username)


def org_of(username: str) -> Organization:
    return (
        Membership.objects.filter(user__username=username).select_related("organization").first().organization
    )


def school_roadmap(school: Organization, *, status: str = "draft", items=None) -> Roadmap:
    region = school.region
    items = items or [
        ("1.", "Привлечение молодых педагогов в школу", "Март 2023г.", "", "", ""),
        ("2.", "Проведение родительских собраний", "Апрель 2023г.", "", "", ""),
    ]
    analysis = analyse(
        parsed_plan(items, title=f"Дорожная карта {school.short_name}"),
        period=(dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        aliases=roadmap_services.region_aliases(region),
    )
    return roadmap_services.create_roadmap(
        actor=None, region=region, analysis=analysis, level="school", owner=school, status=status
    )


def another_school(school: Organization) -> Organization:
    return (
        Organization.objects.filter(region=school.region, kind=Organization.Kind.SCHOOL, parent__isnull=True)
        .exclude(pk=school.pk)
        .exclude(municipality_id=school.municipality_id)
        .order_by("pk")
        .first()
    )


def measure(
    region_code: str = "70", deficit: str = "motivation", title: str = "Клуб «Учимся учиться»"
) -> Measure:
    return services.do_create_measure(
        actor=user(f"{'tomsk' if region_code == '70' else 'tambov'}-coordinator"),
        region=Region.objects.get(code=region_code),
        deficit=deficit,
        title=title,
    )


# --- The catalogue ------------------------------------------------------------------------------


def test_the_region_reads_its_catalogue_grouped_by_deficit_and_no_other_regions(client_for):
    own = measure(deficit="motivation", title="Клуб «Учимся учиться»")
    measure(deficit="knowledge", title="Методический десант по математике")
    foreign = measure("68", title="Тамбовский интенсив для учителей")
    for username in ["tomsk-coordinator", *READERS]:
        page = client_for(username).get("/diagnostics/measures/").content.decode()
        assert "Учимся учиться" in page and "Методический десант" in page, username
        assert foreign.title not in page, username
        # Risk factors come before self-diagnosis directions.
        assert page.index("Низкая учебная мотивация") < page.index("Методический десант"), username
        assert "не рейтинг школ" in page
    page = (
        client_for("tomsk-coordinator").get("/diagnostics/measures/", {"search": "десант"}).content.decode()
    )
    assert "Методический десант" in page and own.title not in page
    page = (
        client_for("tomsk-coordinator")
        .get("/diagnostics/measures/", {"deficit": "motivation"})
        .content.decode()
    )
    assert own.title in page and "Методический десант" not in page


@pytest.mark.parametrize("username", READERS)
def test_only_the_coordinator_writes_the_catalogue(client_for, username):
    m = measure()
    client = client_for(username)
    assert client.get("/diagnostics/regions/70/measures/new/").status_code == 403
    assert (
        client.post(
            "/diagnostics/regions/70/measures/new/", {"deficit": "motivation", "title": "x"}
        ).status_code
        == 403
    )
    assert client.get("/diagnostics/regions/70/measures/from-roadmap/").status_code == 403
    assert client.get(f"/diagnostics/measures/{m.pk}/edit/").status_code == 403
    assert client.post(f"/diagnostics/measures/{m.pk}/delete/").status_code == 403
    assert (
        "/diagnostics/regions/70/measures/new/" not in client.get("/diagnostics/measures/").content.decode()
    )
    assert Measure.objects.filter(region__code="70").count() == 1
    with pytest.raises(PermissionDenied):
        services.do_create_measure(actor=user(username), region=m.region, deficit="motivation", title="x")


def test_another_regions_coordinator_gets_404(client_for):
    m = measure()
    client = client_for("tambov-coordinator")
    assert client.get("/diagnostics/regions/70/measures/new/").status_code == 404
    assert (
        client.post(
            "/diagnostics/regions/70/measures/new/", {"deficit": "motivation", "title": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/diagnostics/measures/{m.pk}/edit/").status_code == 404
    assert client.post(f"/diagnostics/measures/{m.pk}/delete/").status_code == 404
    assert Measure.objects.filter(pk=m.pk).exists()


def test_the_coordinator_writes_edits_and_deletes_a_measure(client_for):
    client = client_for("tomsk-coordinator")
    response = client.post("/diagnostics/regions/70/measures/new/", {"deficit": "", "title": " "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Выберите дефицит: фактор риска или направление самодиагностики." in page
    assert "Напишите мероприятие или возьмите его из дорожной карты." in page
    assert not Measure.objects.filter(region__code="70").exists()

    response = client.post(
        "/diagnostics/regions/70/measures/new/",
        {"deficit": "staff_shortage", "title": "Наставничество  для молодых учителей", "description": "Пары"},
    )
    assert response.status_code == 302
    m = Measure.objects.get(region__code="70")
    assert (m.deficit, m.title, m.created_by.username) == (
        "staff_shortage",
        "Наставничество для молодых учителей",
        "tomsk-coordinator",
    )
    assert AuditEvent.objects.filter(action="measure_saved", object_id=str(m.pk)).exists()

    response = client.post(
        f"/diagnostics/measures/{m.pk}/edit/", {"deficit": "teacher", "title": "Наставничество"}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.deficit, m.title) == ("teacher", "Наставничество")

    assert client.get(f"/diagnostics/measures/{m.pk}/delete/").status_code == 200
    assert client.post(f"/diagnostics/measures/{m.pk}/delete/").status_code == 302
    assert not Measure.objects.filter(pk=m.pk).exists()
    assert AuditEvent.objects.filter(action="measure_deleted", object_id=str(m.pk)).exists()


def test_a_measure_is_taken_from_a_roadmap_item_of_the_region(client_for):
    client = client_for("tomsk-coordinator")
    item = Item.objects.filter(region__code="70", removed_at__isnull=True).order_by("pk").first()
    word = max(item.text.split(), key=len)
    page = client.get("/diagnostics/regions/70/measures/from-roadmap/", {"q": word}).content.decode()
    assert f"?item={item.pk}" in page
    form = client.get("/diagnostics/regions/70/measures/new/", {"item": item.pk}).content.decode()
    assert "Взято из дорожной карты" in form and f'value="{item.pk}"' in form
    client.post(
        "/diagnostics/regions/70/measures/new/",
        {"deficit": "motivation", "title": item.text[:500], "source_item": item.pk},
    )
    taken = Measure.objects.get(region__code="70")
    assert taken.source_item == item
    # An existing measure takes another item's text the same way.
    page = client.get("/diagnostics/regions/70/measures/from-roadmap/", {"q": word, "measure": taken.pk})
    assert f"/diagnostics/measures/{taken.pk}/edit/?item={item.pk}" in page.content.decode()
    assert "Взято из дорожной карты" in client.get(f"/diagnostics/measures/{taken.pk}/edit/").content.decode()
    # Another region's item is never taken, whatever the form says.
    foreign = Item.objects.filter(region__code="68").first()
    assert (
        "Взято из"
        not in client.get("/diagnostics/regions/70/measures/new/", {"item": foreign.pk}).content.decode()
    )
    client.post(
        "/diagnostics/regions/70/measures/new/",
        {"deficit": "motivation", "title": "x", "source_item": foreign.pk},
    )
    assert Measure.objects.get(region__code="70", title="x").source_item is None
    with pytest.raises(ValidationError):
        services.do_create_measure(
            actor=user("tomsk-coordinator"),
            region=item.region,
            deficit="motivation",
            title="y",
            source_item=foreign,
        )


def test_the_item_search_is_paginated(client_for):
    page = (
        client_for("tomsk-coordinator").get("/diagnostics/regions/70/measures/from-roadmap/").content.decode()
    )
    assert "Страница 1 из" in page


def test_the_catalogue_exports_as_xlsx(client_for):
    measure(title="Клуб «Учимся учиться»")
    measure("68", title="Тамбовский интенсив")
    response = client_for("tomsk-department").get("/diagnostics/measures/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "Клуб «Учимся учиться»" in text and "Низкая учебная мотивация" in text
    assert "Тамбовский" not in text and "не рейтинг" in text


# --- Marking items' deficits --------------------------------------------------------------------


def test_the_director_marks_deficits_of_own_school_roadmap_items_not_another_schools(client_for):
    school = org_of("tomsk-director")
    own = school_roadmap(school).items.order_by("position").first()
    other = school_roadmap(another_school(school)).items.order_by("position").first()
    client = client_for("tomsk-director")
    assert client.get(f"/diagnostics/items/{own.pk}/deficits/").status_code == 200
    response = client.post(
        f"/diagnostics/items/{own.pk}/deficits/", {"deficits": ["staff_shortage", "knowledge"]}
    )
    assert response.status_code == 302
    assert set(ItemDeficit.objects.filter(item=own).values_list("deficit", flat=True)) == {
        "staff_shortage",
        "knowledge",
    }
    client.post(f"/diagnostics/items/{own.pk}/deficits/", {"deficits": ["knowledge"]})
    assert list(ItemDeficit.objects.filter(item=own).values_list("deficit", flat=True)) == ["knowledge"]
    assert AuditEvent.objects.filter(action="item_deficits_saved", object_id=str(own.pk)).count() == 2

    assert client.get(f"/diagnostics/items/{other.pk}/deficits/").status_code in (403, 404)
    assert client.post(
        f"/diagnostics/items/{other.pk}/deficits/", {"deficits": ["knowledge"]}
    ).status_code in (403, 404)
    assert client_for("tambov-director").get(f"/diagnostics/items/{own.pk}/deficits/").status_code == 404
    assert (
        client_for("tomsk-department")
        .post(f"/diagnostics/items/{own.pk}/deficits/", {"deficits": ["knowledge"]})
        .status_code
        == 403
    )
    assert not ItemDeficit.objects.filter(item=other).exists()
    client = client_for("tomsk-director")  # the test client is one: log the director back in
    response = client.post(f"/diagnostics/items/{own.pk}/deficits/", {"deficits": ["no_such_thing"]})
    assert "Выберите дефициты из списка." in response.content.decode()


def test_an_item_whose_text_matches_a_catalogue_title_is_proposed_for_tagging(client_for):
    school = org_of("tomsk-director")
    item = (
        school_roadmap(school).items.order_by("position").first()
    )  # «Привлечение молодых педагогов в школу»
    measure(deficit="staff_shortage", title="привлечение молодых педагогов, в школу")
    page = client_for("tomsk-director").get(f"/diagnostics/items/{item.pk}/deficits/").content.decode()
    assert "Предложено по каталогу региона" in page
    assert re.search(r'<input[^>]*value="staff_shortage"[^>]*checked', page)
    client_for("tomsk-director").post(
        f"/diagnostics/items/{item.pk}/deficits/", {"deficits": ["staff_shortage"]}
    )
    link = ItemDeficit.objects.get(item=item)
    assert link.measure is not None and link.measure.deficit == "staff_shortage"
    # The item's edit page shows the panel with its deficits.
    edit = client_for("tomsk-director").get(f"/roadmaps/items/{item.pk}/edit/").content.decode()
    assert "Дефициты, на которые направлено мероприятие" in edit and "Дефицит педагогических кадров" in edit


# --- Coverage and suggestions -------------------------------------------------------------------


def _covered_setup(status: str = "draft"):
    school = org_of("tomsk-director")
    make_diagnostics(school, 2023, high=("staff_shortage", "motivation"))
    roadmap = school_roadmap(school, status=status)
    first = roadmap.items.order_by("position").first()
    ItemDeficit.objects.create(region=roadmap.region, item=first, deficit="staff_shortage")
    suggestion = measure(deficit="motivation", title="Клуб «Учимся учиться»")
    return roadmap, first, suggestion


@pytest.mark.parametrize(
    "username", ["tomsk-director", "tomsk-coordinator", "tomsk-municipal", "tomsk-department"]
)
def test_the_coverage_page_shows_gaps_and_the_catalogues_suggestions(client_for, username):
    roadmap, first, suggestion = _covered_setup()
    response = client_for(username).get(f"/diagnostics/roadmaps/{roadmap.pk}/coverage/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Дефицит педагогических кадров" in page and "учтён" in page  # covered by item 1
    assert "Низкая учебная мотивация обучающихся" in page and "не учтён ни одним мероприятием" in page
    assert suggestion.title.replace("«", "&laquo;") in page or "Учимся учиться" in page
    # Direction «Знание» scored 10 of 30: a weak direction, with no item either.
    assert "Знание" in page and "меньше половины баллов" in page
    may_edit = username in ("tomsk-director", "tomsk-coordinator", "tomsk-municipal")
    assert ("Добавить в дорожную карту" in page) == may_edit
    detail = client_for(username).get(f"/roadmaps/{roadmap.pk}/").content.decode()
    assert "Дефициты школы в дорожной карте" in detail and "2 дефицита не учтено" in detail


def test_coverage_across_regions_and_schools(client_for):
    roadmap, _, _ = _covered_setup()
    assert (
        client_for("tambov-coordinator").get(f"/diagnostics/roadmaps/{roadmap.pk}/coverage/").status_code
        == 404
    )
    other = school_roadmap(another_school(roadmap.owner))
    assert client_for("tomsk-director").get(f"/diagnostics/roadmaps/{other.pk}/coverage/").status_code == 404
    assert (
        client_for("tomsk-director").post(f"/diagnostics/roadmaps/{other.pk}/coverage/add/", {}).status_code
        == 404
    )


def test_a_regional_roadmap_has_no_deficits_to_check(client_for):
    regional = Roadmap.objects.filter(region__code="70", level="regional").first()
    page = (
        client_for("tomsk-coordinator").get(f"/diagnostics/roadmaps/{regional.pk}/coverage/").content.decode()
    )
    assert "Проверка дефицитов делается для дорожных карт школ" in page
    detail = client_for("tomsk-coordinator").get(f"/roadmaps/{regional.pk}/").content.decode()
    assert "Дефициты школы в дорожной карте" not in detail


def test_adding_a_suggestion_to_a_draft_creates_the_item_and_its_link(client_for):
    roadmap, _, suggestion = _covered_setup()
    before = roadmap.items.count()
    response = client_for("tomsk-director").post(
        f"/diagnostics/roadmaps/{roadmap.pk}/coverage/add/", {"measure": suggestion.pk}
    )
    item = roadmap.items.order_by("-position").first()
    assert response.status_code == 302 and response["Location"] == f"/roadmaps/items/{item.pk}/edit/"
    assert roadmap.items.count() == before + 1 and item.text == suggestion.title
    link = ItemDeficit.objects.get(item=item)
    assert (link.deficit, link.measure) == ("motivation", suggestion)
    page = client_for("tomsk-director").get(f"/diagnostics/roadmaps/{roadmap.pk}/coverage/").content.decode()
    assert "1 дефицит не учтён" in page  # «Знание» is left
    # Twice is refused, with a message in Russian.
    response = client_for("tomsk-director").post(
        f"/diagnostics/roadmaps/{roadmap.pk}/coverage/add/", {"measure": suggestion.pk}, follow=True
    )
    assert "уже добавлено в эту дорожную карту" in response.content.decode()
    assert roadmap.items.count() == before + 1


def test_adding_is_all_or_nothing(monkeypatch):
    roadmap, _, suggestion = _covered_setup()
    before = roadmap.items.count()

    def broken(*args, **kwargs):
        raise RuntimeError("link failed")

    monkeypatch.setattr(ItemDeficit.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.do_add_suggested_measure(actor=user("tomsk-director"), roadmap=roadmap, measure=suggestion)
    assert roadmap.items.count() == before


def test_adding_to_an_approved_roadmap_is_refused_in_russian(client_for):
    roadmap, _, suggestion = _covered_setup(status="approved")
    before = roadmap.items.count()
    page = (
        client_for("tomsk-coordinator").get(f"/diagnostics/roadmaps/{roadmap.pk}/coverage/").content.decode()
    )
    assert "Добавить в дорожную карту" not in page and "Карта утверждена" in page
    response = client_for("tomsk-coordinator").post(
        f"/diagnostics/roadmaps/{roadmap.pk}/coverage/add/", {"measure": suggestion.pk}, follow=True
    )
    assert "Дорожная карта уже утверждена: мероприятия из каталога добавляются только в черновик." in (
        response.content.decode()
    )
    assert roadmap.items.count() == before
    assert (
        client_for("tomsk-department")
        .post(f"/diagnostics/roadmaps/{roadmap.pk}/coverage/add/", {"measure": suggestion.pk})
        .status_code
        == 403
    )


# --- Query counts -------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_catalogue_page_reads_in_a_flat_number_of_queries(client_for):
    client = client_for("tomsk-coordinator")
    item = Item.objects.filter(region__code="70").first()
    for n in range(3):
        Measure.objects.create(region=item.region, deficit="motivation", title=f"М{n}", source_item=item)
    small = _count(client, "/diagnostics/measures/")
    items = list(Item.objects.filter(region__code="70")[:30])
    for n, it in enumerate(items):
        Measure.objects.create(
            region=item.region,
            deficit=["knowledge", "parents", "discipline"][n % 3],
            title=f"Б{n}",
            source_item=it,
        )
    assert _count(client, "/diagnostics/measures/") == small
    assert small <= 12


def test_the_coverage_page_reads_in_a_flat_number_of_queries(client_for):
    roadmap, _, _ = _covered_setup()
    client = client_for("tomsk-director")
    small = _count(client, f"/diagnostics/roadmaps/{roadmap.pk}/coverage/")
    for n in range(20):
        item = roadmap_services.do_create_item(
            actor=user("tomsk-coordinator"), roadmap=roadmap, text=f"Пункт {n}"
        )
        ItemDeficit.objects.create(region=roadmap.region, item=item, deficit=["motivation", "parents"][n % 2])
        Measure.objects.create(region=roadmap.region, deficit="knowledge", title=f"Мера {n}")
    assert _count(client, f"/diagnostics/roadmaps/{roadmap.pk}/coverage/") == small
    assert small <= 20


def test_within_the_region_the_municipality_and_the_curator_reach_only_their_schools(client_for):
    roadmap, first, suggestion = _covered_setup()  # the director's school, in МАУ ИМЦ's municipality
    elsewhere = school_roadmap(another_school(roadmap.owner))
    item = elsewhere.items.order_by("position").first()
    municipal = client_for("tomsk-municipal")
    assert municipal.get(f"/diagnostics/items/{first.pk}/deficits/").status_code == 200
    assert municipal.get(f"/diagnostics/items/{item.pk}/deficits/").status_code == 404
    assert municipal.get(f"/diagnostics/roadmaps/{elsewhere.pk}/coverage/").status_code == 404

    # A curator reads the coverage of a granted school's roadmap, and changes nothing in it.
    curator = user("tomsk-curator")
    granted = Organization.objects.get(pk=min(get_scope(curator).curated_school_ids))
    curated = school_roadmap(granted)
    curated_item = curated.items.order_by("position").first()
    client = client_for("tomsk-curator")
    page = client.get(f"/diagnostics/roadmaps/{curated.pk}/coverage/").content.decode()
    assert "Дефициты школы в дорожной карте" in page and "отметить дефициты" not in page
    assert client.get(f"/diagnostics/items/{curated_item.pk}/deficits/").status_code == 403
    assert (
        client.post(
            f"/diagnostics/roadmaps/{curated.pk}/coverage/add/", {"measure": suggestion.pk}
        ).status_code
        == 403
    )
    assert client.get(f"/diagnostics/roadmaps/{roadmap.pk}/coverage/").status_code == 404
    assert curated.items.count() == 2 and not ItemDeficit.objects.filter(item__roadmap=curated).exists()


def test_the_regions_one_may_keep_a_catalogue_in_are_those_of_the_visible_regions(client):
    """The page takes the regions from the request's one read of them (access.readable_regions):
    the same as the regions the gate shows and the user may manage, for every demo user."""
    from diagnostics.rules import MANAGE_MEASURES
    from schools import access

    User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})
    for user in User.objects.order_by("username"):
        client.force_login(user)
        response = client.get("/diagnostics/measures/")
        assert response.status_code == 200, user.username
        reader = response.wsgi_request.user  # its scope as the page cut it
        fresh = User.objects.get(pk=user.pk)
        fresh._access_scope = access.get_scope(reader)
        old = [r for r in Region.objects.visible_to(fresh) if access.can(fresh, MANAGE_MEASURES, r)]
        assert response.context["manage_regions"] == old, user.username
        assert list(Region.objects.visible_to(fresh)) == access.readable_regions(reader), user.username
