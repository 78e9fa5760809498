"""«Результаты и исполнение»: the school card and the region view (order, filters, export, reach,
query counts)."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from diagnostics.models import AssessmentResult, ItemDeficit, Measure, RiskLevel, SelfDiagnosis
from roadmaps.models import Item, Roadmap
from schools.models import Organization, SchoolStatus
from tests.diagnostics_factories import make_diagnostics

pytestmark = pytest.mark.django_db

NOTICE = "не рейтинг школ и учителей"
YEAR = 2026  # the demo's statuses of the current year


def school(short_name_part: str) -> Organization:
    return Organization.objects.get(region__code="70", kind="school", short_name__contains=short_name_part)


@pytest.fixture(autouse=True)
def clean_slate():
    """Start from no diagnostics in the demo regions (the living demo may bring its own)."""
    for model in (ItemDeficit, Measure, RiskLevel, AssessmentResult, SelfDiagnosis):
        model.objects.all().delete()


@pytest.fixture
def cherdaty() -> Organization:
    """A ШНОР school with a school roadmap for 2026–2027, curated by tomsk-curator; three years of
    diagnostics: two high risks falling to one, the level rising, fewer «2» in ВПР."""
    s = Organization.objects.get(region__code="70", kind="school", short_name="МБОУ «Чердатская СОШ»")
    make_diagnostics(s, 2024, level="below_basic")
    make_diagnostics(s, 2025, level="below_basic")
    make_diagnostics(s, YEAR, high=("staff_shortage",), level="basic")
    AssessmentResult.objects.filter(school=s, year=YEAR).update(
        lowest_share=Decimal("15.0"), mean_score=Decimal("3.40")
    )
    return s


def school_roadmap(s: Organization) -> Roadmap:
    return Roadmap.objects.filter(level="school", owner=s, status="approved").order_by("-period_end").first()


# --- The card ---------------------------------------------------------------------------------


def test_the_card_shows_three_years_trends_what_changed_and_the_gaps(client_for, cherdaty):
    roadmap = school_roadmap(cherdaty)
    Measure.objects.create(region=cherdaty.region, deficit="knowledge", title="Наставничество по предметам")
    body = client_for("tomsk-coordinator").get(f"/diagnostics/schools/{cherdaty.pk}/").content.decode()
    assert NOTICE in body
    risks = body.split('id="tw-card-risks"', 1)[1].split("</table>", 1)[0]
    assert all(f'<th scope="col">{y}</th>' in risks for y in (2024, 2025, YEAR))
    assert "Дефицит педагогических кадров" in risks and "высокий" in risks and "низкий" in risks
    results = body.split('id="results"', 1)[1]
    assert results.count("<svg") >= 2 and "<script" not in results
    assert "<polyline" in results  # a trend line over the years
    assert "Факторов риска высокого уровня: 2024 — 2, 2026 — 1 (меньше на 1)" in body
    assert "«ниже базового», 2026 — «базовый» (выше)" in body
    assert (
        "ВПР, доля низшего результата (по всем предметам): 2024 — 23,8%, 2026 — 15,0% (меньше на 8,8 п. п.)"
        in body
    )
    # Coverage of the current roadmap: nothing addresses the high risk or the weak direction yet.
    assert f'href="/roadmaps/{roadmap.pk}/"' in body
    assert body.count("пробел: нет мероприятия") >= 2
    assert "Наставничество по предметам" in body  # suggested from the region's catalogue
    assert f"/execution/?executor={cherdaty.pk}" in body


def test_an_item_addressing_the_risk_closes_its_gap(client_for, cherdaty):
    roadmap = school_roadmap(cherdaty)
    item = Item.objects.filter(roadmap=roadmap).order_by("position").first()
    ItemDeficit.objects.create(item=item, deficit="staff_shortage")
    client = client_for("tomsk-coordinator")
    body = client.get(f"/diagnostics/schools/{cherdaty.pk}/").content.decode()
    block = body.split(f'id="tw-coverage-{roadmap.pk}"', 1)[1].split("</table>", 1)[0]
    staff = block.split("Дефицит педагогических кадров", 1)[1].split("</tr>", 1)[0]
    assert "пробел" not in staff and item.text[:40] in staff
    # The region view counts the one gap left (the weak direction «Знание»).
    page = client.get("/diagnostics/", {"year": YEAR}).context["page"]
    place = next(p for p in page.paginator.object_list if p.school.pk == cherdaty.pk)
    assert place.roadmap == roadmap and place.gaps == ["knowledge"]


def test_the_card_says_when_there_is_nothing_to_compare(client_for):
    s = school("Катайгинская")
    make_diagnostics(s, YEAR)
    body = client_for("tomsk-coordinator").get(f"/diagnostics/schools/{s.pk}/").content.decode()
    assert "сравнивать пока не с чем" in body
    assert "Школьной дорожной карты в портале нет" in body


def test_the_card_is_for_schools_only(client_for):
    body_org = (
        Organization.objects.filter(region__code="70", municipality__isnull=True)
        .exclude(kind="school")
        .first()
    )
    assert client_for("tomsk-coordinator").get(f"/diagnostics/schools/{body_org.pk}/").status_code == 404


def test_the_school_roadmap_links_to_the_card(client_for, cherdaty):
    body = client_for("tomsk-coordinator").get(f"/roadmaps/{school_roadmap(cherdaty).pk}/").content.decode()
    assert f"/diagnostics/schools/{cherdaty.pk}/" in body


# --- The region view --------------------------------------------------------------------------


def places(client, **params):
    response = client.get("/diagnostics/", {"year": YEAR, **params})
    assert response.status_code == 200
    return list(response.context["page"].paginator.object_list)


def test_high_risk_and_lagging_schools_come_first(client_for, cherdaty):
    client = client_for("tomsk-coordinator")
    before = places(client)
    lagging = [p.school for p in before if p.lagging and p.school != cherdaty]
    on_track = [p.school for p in before if not p.lagging and p.school != cherdaty]
    assert lagging and on_track, "the living demo has schools behind and schools on time"
    make_diagnostics(lagging[-1], YEAR, high=("staff_shortage", "motivation"))
    make_diagnostics(on_track[-1], YEAR, high=("motivation",))
    rows = places(client)
    keys = [p.priority for p in rows]
    assert keys == sorted(keys)
    assert rows[0].school == lagging[-1] and rows[0].priority_label == "высокий риск и отставание"
    second = next(p for p in rows if p.school == on_track[-1])
    assert second.priority == 2 and second.priority_label == "высокий риск, исполнение без отставания"
    body = client.get("/diagnostics/", {"year": YEAR}).content.decode()
    assert NOTICE in body and "<svg" in body
    table = body.split('id="tw-diagnostics-region"', 1)[1]
    assert table.index(lagging[-1].short_name) < table.index(on_track[-1].short_name)
    # The names of the high risks are on the count, not only the number.
    assert (
        '<abbr title="Низкая учебная мотивация обучающихся; Дефицит педагогических кадров">2</abbr>' in table
    )


def test_it_filters_by_programme_municipality_risk_place_and_name(client_for, cherdaty):
    client = client_for("tomsk-coordinator")
    shnsu = places(client, programme="shnsu")
    assert shnsu and all(any(s.category == "shnsu" for s in p.statuses) for p in shnsu)
    town = school("№ 44").municipality_id
    assert {p.school.municipality_id for p in places(client, municipality=town)} == {town}
    assert [p.school for p in places(client, risk="high")] == [cherdaty]
    assert all(p.profile is None for p in places(client, risk="none"))
    assert all(p.priority == 3 for p in places(client, priority=3))
    assert [p.school for p in places(client, q="черДАТская")] == [cherdaty]
    assert {p.school.pk for p in places(client, year=2022)} == set(
        SchoolStatus.objects.filter(region__code="70", year=2022).values_list("school_id", flat=True)
    )
    assert client.get("/diagnostics/", {"year": "абв"}).status_code == 200  # an error on the form


def test_the_export_holds_what_the_page_lists_with_the_filters_and_the_notice(client_for, cherdaty):
    client = client_for("tomsk-coordinator")
    listed = [p.school.short_name for p in places(client, programme="shnor")]
    response = client.get("/diagnostics/export.xlsx", {"year": YEAR, "programme": "shnor"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    text = " ".join(str(v) for row in values for v in row if v)
    assert NOTICE in text and "Программа: ШНОР" in text and f"Год: {YEAR}" in text
    header = next(i for i, row in enumerate(values) if row[0] == "Положение")
    assert [row[2] for row in values[header + 1 :]] == listed
    mine = next(row for row in values[header + 1 :] if row[2] == cherdaty.short_name)
    assert mine[4] == 1 and mine[5] == "Дефицит педагогических кадров"


# --- Reach ------------------------------------------------------------------------------------


def test_another_region_sees_no_card_and_no_rows(client_for, cherdaty):
    client = client_for("tambov-coordinator")
    assert client.get(f"/diagnostics/schools/{cherdaty.pk}/").status_code == 404
    assert all(p.school.region.code == "68" for p in places(client))


def test_a_municipal_official_sees_only_own_schools(client_for, cast, cherdaty):
    from schools import access

    client = client_for("tomsk-municipal")
    own = access.get_scope(cast["tomsk-municipal"]).municipality_ids
    assert cherdaty.municipality_id not in own
    assert client.get(f"/diagnostics/schools/{cherdaty.pk}/").status_code == 404
    rows = places(client)
    assert rows and {p.school.municipality_id for p in rows} <= own
    own_school = rows[0].school
    assert client.get(f"/diagnostics/schools/{own_school.pk}/").status_code == 200
    response = client.get("/diagnostics/export.xlsx", {"year": YEAR})
    assert cherdaty.short_name.encode() not in response.content  # shared strings are plain XML
    assert "Чердатская" not in _xlsx_text(response.content)


def _xlsx_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data)).active
    return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_a_director_reaches_only_own_school(client_for, cast, cherdaty):
    from schools import access

    own = next(iter(access.get_scope(cast["tomsk-director"]).school_ids))
    client = client_for("tomsk-director")
    assert {p.school.pk for p in places(client)} <= {own}
    assert f'href="/diagnostics/schools/{own}/"' in client.get("/diagnostics/").content.decode()
    assert client.get(f"/diagnostics/schools/{own}/").status_code == 200
    assert client.get(f"/diagnostics/schools/{cherdaty.pk}/").status_code == 404


def test_a_curator_reaches_only_curated_schools(client_for, cast, cherdaty):
    from schools import access

    curated = access.get_scope(cast["tomsk-curator"]).curated_school_ids
    client = client_for("tomsk-curator")
    rows = places(client)
    assert {p.school.pk for p in rows} <= set(curated) and cherdaty.pk in {p.school.pk for p in rows}
    other = school("№ 44")
    assert other.pk not in curated
    assert client.get(f"/diagnostics/schools/{other.pk}/").status_code == 404
    assert client.get(f"/diagnostics/schools/{cherdaty.pk}/").status_code == 200


def test_the_department_reads_everything(client_for, cherdaty):
    client = client_for("tomsk-department")
    assert client.get(f"/diagnostics/schools/{cherdaty.pk}/").status_code == 200
    assert (
        len(places(client))
        == SchoolStatus.objects.filter(region__code="70", year=YEAR).values("school_id").distinct().count()
    )


def test_the_menu_has_the_item_for_roles_that_reach_schools(client_for):
    for name in ("tomsk-coordinator", "tomsk-municipal", "tomsk-curator", "tomsk-director"):
        assert 'href="/diagnostics/"' in client_for(name).get("/").content.decode(), name


# --- Query counts -----------------------------------------------------------------------------


def test_the_region_view_costs_the_same_for_two_and_for_twenty_schools_with_data(
    client_for, django_assert_max_num_queries
):
    client = client_for("tomsk-coordinator")
    schools = [
        st.school
        for st in SchoolStatus.objects.filter(region__code="70", year=YEAR)
        .select_related("school")
        .order_by("pk")
    ]
    for s in schools[:2]:
        make_diagnostics(s, YEAR - 1)
        make_diagnostics(s, YEAR)
    with django_assert_max_num_queries(30) as small:
        client.get("/diagnostics/", {"year": YEAR})
    with django_assert_max_num_queries(len(small.captured_queries) + 3) as small_export:
        client.get("/diagnostics/export.xlsx", {"year": YEAR})
    for s in schools[2:]:
        make_diagnostics(s, YEAR - 1)
        make_diagnostics(s, YEAR)
    assert RiskLevel.objects.filter(region__code="70", year=YEAR).values("school").distinct().count() >= 15
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/diagnostics/", {"year": YEAR})
    with django_assert_max_num_queries(len(small_export.captured_queries)):
        client.get("/diagnostics/export.xlsx", {"year": YEAR})


def test_the_card_costs_the_same_for_one_and_for_three_years(client_for, django_assert_max_num_queries):
    s = school("Катайгинская")
    client = client_for("tomsk-coordinator")
    make_diagnostics(s, YEAR)
    with django_assert_max_num_queries(40) as small:
        client.get(f"/diagnostics/schools/{s.pk}/")
    make_diagnostics(s, YEAR - 1)
    make_diagnostics(s, YEAR - 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/diagnostics/schools/{s.pk}/")


def test_the_list_is_paged_in_its_order_and_pages_keep_the_filters(client_for, monkeypatch, cherdaty):
    from diagnostics import views

    monkeypatch.setattr(views, "PAGE", 5)
    client = client_for("tomsk-coordinator")
    everything = [p.school.pk for p in places(client)]
    first = client.get("/diagnostics/", {"year": YEAR, "programme": "shnor"})
    second = client.get("/diagnostics/", {"year": YEAR, "programme": "shnor", "page": 2})
    shnor = [p.school.pk for p in places(client, programme="shnor")]
    assert [p.school.pk for p in first.context["page"]] == shnor[:5]
    assert [p.school.pk for p in second.context["page"]] == shnor[5:10]
    assert "programme=shnor" in first.content.decode().split('class="pagination"', 1)[1]
    assert len(everything) > len(shnor) > 5
