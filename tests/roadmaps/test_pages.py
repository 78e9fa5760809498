"""Roadmap pages through the browser-less client: list, detail filters, edit, approve, import, exports."""

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from roadmaps.models import ImportDraft, Item, Roadmap

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"


def roadmap(name: str) -> Roadmap:
    return Roadmap.objects.get(source_name=name)


def test_it_lists_the_roadmaps_a_role_may_see(client_for):
    body = client_for("cherdaty-director").get("/roadmaps/").content.decode()
    assert "Чердатская СОШ" in body  # own school's roadmap
    assert "Зырянского района" in body  # its municipality's
    assert "Региональная «дорожная карта» по сопровождению" in body  # regional ones are public to the region
    assert "МАОУ СОШ № 44 г. Томска на 2023 год" not in body  # another school's
    assert "Загрузить дорожную карту" not in body


def test_it_filters_the_list_by_level_and_year(client_for):
    client = client_for("tomsk-coordinator")
    page = client.get("/roadmaps/", {"level": "school"}).context["page"]
    assert {r.owner.short_name for r in page} == {"МБОУ «Чердатская СОШ»", "МАОУ СОШ № 44 г. Томска"}
    page = client.get("/roadmaps/", {"year": "2024"}).context["page"]
    assert [r.source_name for r in page] == ["002-tomsk-minpros-2022-2024.xlsx"]


def test_it_filters_items_by_executor_period_and_unrecognised(client_for):
    client = client_for("tomsk-coordinator")
    r = roadmap("000-tomsk-shnor-2023.docx")
    toipkro = r.items.first().executors.get(text="ТОИПКРО").organization
    shown = client.get(f"/roadmaps/{r.pk}/", {"executor": "group:municipal_authorities"}).context["shown"]
    assert (
        shown == Item.objects.filter(roadmap=r, executors__group="municipal_authorities").distinct().count()
    )
    by_org = client.get(f"/roadmaps/{r.pk}/", {"executor": f"org:{toipkro.pk}"}).context["shown"]
    assert by_org == Item.objects.filter(roadmap=r, executors__organization=toipkro).distinct().count() > 20
    march = client.get(f"/roadmaps/{r.pk}/", {"period": "2023-03"})
    numbers = {i.number for _s, items in march.context["sections"] for i in items}
    assert {"1.", "2.", "5.", "13.", "14."} <= numbers and "16." not in numbers
    assert client.get(f"/roadmaps/{r.pk}/", {"unrecognised": "true"}).context["shown"] == 0


def test_the_roadmap_page_keeps_a_flat_query_count(client_for, django_assert_max_num_queries):
    client = client_for("tomsk-coordinator")
    small = roadmap("072-tomsk-school44-2023.xlsx")
    big = roadmap("000-tomsk-shnor-2023.docx")
    with django_assert_max_num_queries(40) as captured:
        client.get(f"/roadmaps/{small.pk}/")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(f"/roadmaps/{big.pk}/")
    assert response.context["shown"] == 35


def test_a_coordinator_edits_an_item_and_sees_its_history(client_for):
    client = client_for("tomsk-coordinator")
    item = roadmap("000-tomsk-shnor-2023.docx").items.get(number="4.")
    response = client.post(
        f"/roadmaps/items/{item.pk}/edit/",
        {
            "number": "4.",
            "text": item.text,
            "schedule_text": "Май 2023г.",
            "indicator_text": item.indicator_text,
            "result_text": item.result_text,
            "executors_text": item.executors_text,
            "comment": "по письму",
        },
        follow=True,
    )
    assert "Мероприятие п. 4. сохранено" in response.content.decode()
    page = client.get(f"/roadmaps/items/{item.pk}/edit/").content.decode()
    assert "Апрель 2023г." in page and "Май 2023г." in page and "по письму" in page


def test_it_shows_a_bad_manual_date_next_to_the_field(client_for):
    client = client_for("tomsk-coordinator")
    item = roadmap("000-tomsk-shnor-2023.docx").items.get(number="4.")
    response = client.post(f"/roadmaps/items/{item.pk}/edit/", {"text": item.text, "manual_dates": "завтра"})
    assert "укажите дату в виде ДД.ММ.ГГГГ" in response.content.decode()
    assert not item.history.filter(action="changed").exists()


def test_a_department_official_cannot_open_the_edit_form(client_for):
    item = roadmap("000-tomsk-shnor-2023.docx").items.first()
    assert client_for("tomsk-department").get(f"/roadmaps/items/{item.pk}/edit/").status_code == 403


def test_it_exports_the_roadmap_to_xlsx_with_sections_and_items(client_for):
    r = roadmap("000-tomsk-shnor-2023.docx")
    response = client_for("tomsk-department").get(f"/roadmaps/{r.pk}/export.xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(values) if row[0] == "№ п/п")
    assert ws.freeze_panes == f"A{header_index + 2}"
    rows = values[header_index + 1 :]
    assert rows[0][0] == "Организационно-управленческая деятельность"
    assert sum(1 for row in rows if row[0] and str(row[0]).rstrip(".").isdigit()) == 35
    item19 = next(row for row in rows if row[0] == "19.")
    assert item19[3] == "30.04.2023" and item19[4].startswith("Проведено 17 экспертиз")


def test_it_exports_the_roadmap_to_a_paged_a4_pdf_in_russian(client_for):
    r = roadmap("000-tomsk-shnor-2023.docx")
    response = client_for("tomsk-department").get(f"/roadmaps/{r.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert round(width) == 842 and round(height) == 595  # A4 landscape, in points
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert "Дорожная карта" in first and "352-р" in first
    assert f"Страница {len(reader.pages)} из {len(reader.pages)}" in last
    assert "Мероприятие" in last  # the header row repeats on every page


def test_the_upload_flow_previews_fixes_and_confirms(client_for):
    client = client_for("tomsk-coordinator")
    data = (FIXTURES / "awkward" / "title-rows-and-missing-column.xlsx").read_bytes()
    response = client.post("/regions/70/roadmaps/import/", {"file": _upload("plan.xlsx", data)})
    draft = ImportDraft.objects.latest("created_at")
    assert response.status_code == 302 and response["Location"] == f"/roadmaps/imports/{draft.pk}/"
    preview = client.get(response["Location"])
    assert preview.context["analysis"]["stats"]["items"] == 5
    owner = preview.context["settings_form"].fields["owner"].queryset.get(short_name="ДОО ТО")
    settings = {
        "action": "settings",
        "title": "План 2024",
        "level": "regional",
        "owner": owner.pk,
        "period_start": "01.01.2024",
        "period_end": "31.12.2024",
    }
    client.post(response["Location"], settings)
    unknown = [
        w
        for w in client.get(response["Location"]).context["analysis"]["warnings"]
        if "не распознан" in w["message"]
    ]
    for warning in unknown:
        client.post(response["Location"], {"action": "dates", "key": warning["key"], "dates": "30.09.2024"})
    done = client.post(response["Location"], {"action": "confirm"}, follow=True)
    created = Roadmap.objects.get(title="План 2024")
    assert done.redirect_chain[-1][0] == f"/roadmaps/{created.pk}/"
    assert created.items.count() == 5 and created.items.filter(schedule_understood=False).count() == 0
    assert client.post(response["Location"], {"action": "confirm"}, follow=True).status_code == 200
    assert Roadmap.objects.filter(title="План 2024").count() == 1  # a second confirm creates nothing


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("plan.docx", b"MZ\x90\x00\x03 not a document", "не похоже на документ DOCX, XLSX или PDF"),
        ("plan.exe", b"PK\x03\x04", "Загрузите файл DOCX, XLSX или PDF"),
        (
            "../../etc/passwd.docx",
            (FIXTURES / "awkward" / "no-table.docx").read_bytes(),
            "В документе нет таблицы",
        ),
        ("empty.xlsx", (FIXTURES / "awkward" / "empty.xlsx").read_bytes(), "нет таблицы"),
    ],
)
def test_a_bad_upload_gets_a_clear_error_and_creates_nothing(client_for, name, data, message):
    before = (ImportDraft.objects.count(), Roadmap.objects.count())
    response = client_for("tomsk-coordinator").post(
        "/regions/70/roadmaps/import/", {"file": _upload(name, data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (ImportDraft.objects.count(), Roadmap.objects.count()) == before


def test_what_is_due_lists_control_dates_of_the_month(client_for):
    response = client_for("zyryanka-municipal").get("/roadmaps/due/", {"period": "2023-04"})
    rows = list(response.context["page"])
    assert rows and all(r.due_date.month == 4 and r.due_date.year == 2023 for r in rows)
    assert {r.item.roadmap.region.code for r in rows} == {"70"}
    # The owner's name comes with the row (a subquery), the page shows it.
    assert all(r.owner_short_name == r.item.roadmap.owner.short_name for r in rows)
    assert rows[0].owner_short_name in response.content.decode()
    quarter = client_for("zyryanka-municipal").get("/roadmaps/due/", {"kind": "quarter", "period": "2023-Q2"})
    assert quarter.context["page"].paginator.count > len(rows)


def test_the_import_command_prints_json_and_saves_nothing(capsys):
    before = Roadmap.objects.count()
    call_command(
        "import_roadmap", str(FIXTURES / "000-tomsk-shnor-2023.docx"), "--region", "70", "--dry-run", "--json"
    )
    data = json.loads(capsys.readouterr().out)
    assert Roadmap.objects.count() == before
    items = [i for s in data["sections"] for i in s["items"]]
    assert len(items) == 35
    item13 = next(i for i in items if i["number"] == "13.")
    assert item13["schedule"]["kind"] == "recurring" and len(item13["schedule"]["due_dates"]) == 12
    assert item13["indicator"] == {
        "text": item13["indicator"]["text"],
        "value": "2",
        "unit": item13["indicator"]["unit"],
        "comparator": ">=",
        "per": "month",
    }
    assert {e["organization"] or e["group"] for e in item13["executors"]} == {
        "ТОИПКРО",
        "municipal_authorities",
        "curators",
        "schools",
    }


def test_the_import_command_creates_a_roadmap(capsys):
    from schools.models import Organization

    owner = Organization.objects.get(region__code="68", short_name="Управление образования")
    call_command(
        "import_roadmap",
        str(FIXTURES / "001-tambov-2020-2023.docx"),
        "--region",
        "68",
        "--owner",
        str(owner.pk),
        "--period",
        "2020-01-01:2023-12-31",
    )
    assert "Создана дорожная карта" in capsys.readouterr().out
    created = (
        Roadmap.objects.filter(region__code="68", source_name="001-tambov-2020-2023.docx")
        .order_by("-pk")
        .first()
    )
    assert created.items.count() == 76 and created.status == "draft"


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_municipality_adds_an_item_to_its_own_roadmap_through_the_page(client_for):
    r = roadmap("070-zyryansky-municipal-2023.docx")
    client = client_for("zyryanka-municipal")
    assert client.get(f"/roadmaps/{r.pk}/items/new/").status_code == 200
    response = client.post(
        f"/roadmaps/{r.pk}/items/new/",
        {
            "number": "15.",
            "text": "Семинар для директоров",
            "schedule_text": "когда-нибудь",
            "manual_dates": "31.13.2023",
        },
    )
    assert "такой даты нет" in response.content.decode()
    response = client.post(
        f"/roadmaps/{r.pk}/items/new/",
        {"number": "15.", "text": "Семинар для директоров", "schedule_text": "Ноябрь 2023г."},
        follow=True,
    )
    assert "Мероприятие добавлено" in response.content.decode()
    assert r.items.filter(number="15.", schedule_understood=True).exists()
    assert (
        client_for("zyryanka-municipal")
        .get(f"/roadmaps/{roadmap('000-tomsk-shnor-2023.docx').pk}/items/new/")
        .status_code
        == 403
    )


def test_a_plan_published_only_as_pdf_goes_through_the_same_preview_and_confirm(client_for):
    client = client_for("tomsk-coordinator")
    data = (FIXTURES / "corpus" / "101-kaluga-regional-2024.pdf").read_bytes()
    response = client.post("/regions/70/roadmaps/import/", {"file": _upload("Калуга план.pdf", data)})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    analysis = preview.context["analysis"]
    assert analysis["stats"]["items"] == 7
    assert analysis["act"]["number"] == "1976"
    body = preview.content.decode()
    assert "Источник финансирования" in body  # the column it does not take is named
    owner = preview.context["settings_form"].fields["owner"].queryset.get(short_name="ДОО ТО")
    client.post(
        response["Location"],
        {
            "action": "settings",
            "title": "План Калужской области 2024",
            "level": "regional",
            "owner": owner.pk,
            "period_start": "01.01.2024",
            "period_end": "31.12.2024",
        },
    )
    for w in client.get(response["Location"]).context["analysis"]["warnings"]:
        if "не распознан" in w["message"]:
            client.post(response["Location"], {"action": "dates", "key": w["key"], "dates": "30.09.2024"})
    client.post(response["Location"], {"action": "confirm"})
    created = Roadmap.objects.get(title="План Калужской области 2024")
    assert created.items.count() == 7
    item = created.items.get(number="1.2.")
    assert [d.due_date.isoformat() for d in item.control_dates.order_by("due_date")] == [
        "2024-04-15",
        "2024-07-15",
        "2024-10-15",
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        pytest.param(
            lambda: (FIXTURES / "corpus" / "scanned.pdf").read_bytes(), "похоже, это скан", id="scan"
        ),
        pytest.param(
            lambda: (FIXTURES / "corpus" / "101-kaluga-regional-2024.pdf").read_bytes()[:5000],
            "обрезан или повреждён",
            id="cut-off",
        ),
    ],
)
def test_a_pdf_that_cannot_be_read_is_refused_with_what_to_do(client_for, data, message):
    before = (ImportDraft.objects.count(), Roadmap.objects.count())
    response = client_for("tomsk-coordinator").post(
        "/regions/70/roadmaps/import/", {"file": _upload("plan.pdf", data())}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (ImportDraft.objects.count(), Roadmap.objects.count()) == before
