"""Bringing a region live: region creation, organizations and statuses from spreadsheets, the
commands that do the same from the shell."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from schools import onboarding
from schools.models import Municipality, Organization, Region, SchoolStatus, User
from schools.tables import TableError, read_table
from tests.schools.onboarding_files import ORG_HEADER, csv_text, org_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return onboarding.do_create_region(
        actor=None, code="42", name="Кемеровская область", timezone="Asia/Novokuznetsk"
    )


@pytest.fixture
def admin():
    return User.objects.create_superuser("platform-admin", "a@example.ru", "x")


def org_table(rows, name="orgs.xlsx"):
    return read_table(name, xlsx(ORG_HEADER, rows), onboarding.ORG_COLUMNS)


# --- regions ---------------------------------------------------------------------------------------


def test_it_creates_a_region_with_its_calendar_and_audits_it(admin):
    region = onboarding.do_create_region(
        actor=admin,
        code="42",
        name="Кемеровская область",
        timezone="Asia/Novokuznetsk",
        school_year_end=(6, 30),
    )
    assert region.calendar.year == ((9, 1), (6, 30))
    assert region.school_calendar == {"year": ["01.09", "30.06"]}  # one calendar: the parser's too
    import datetime as dt

    assert region.school_year_of(dt.date(2026, 3, 1)) == (dt.date(2025, 9, 1), dt.date(2026, 6, 30))
    assert AuditEvent.objects.filter(action="region_created", region=region, user=admin).exists()


def test_it_refuses_a_bad_time_zone_or_a_day_that_does_not_exist(admin):
    with pytest.raises(ValidationError, match="часовой пояс"):
        onboarding.do_create_region(actor=admin, code="42", name="Кузбасс", timezone="Mars/Olympus")
    with pytest.raises(ValidationError, match="Такого дня"):
        onboarding.do_create_region(
            actor=admin, code="42", name="Кузбасс", timezone="Asia/Tomsk", school_year_end=(2, 31)
        )
    assert not Region.objects.filter(code="42").exists()


def test_only_the_platform_administrator_creates_regions(cast):
    with pytest.raises(ValidationError):
        onboarding.do_create_region(
            actor=cast["tomsk-coordinator"], code="42", name="Кузбасс", timezone="Asia/Tomsk"
        )


def test_it_creates_a_region_on_the_page_and_refuses_others(client, admin, client_for):
    client.force_login(admin)
    response = client.post(
        "/regions/new/",
        {
            "code": "42",
            "name": "Кемеровская область",
            "timezone": "Asia/Novokuznetsk",
            "start_month": 9,
            "start_day": 1,
            "end_month": 5,
            "end_day": 31,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/regions/42/setup/"
    bad = client.post(
        "/regions/new/",
        {
            "code": "4",
            "name": "X",
            "timezone": "Asia/Tomsk",
            "start_month": 9,
            "start_day": 1,
            "end_month": 5,
            "end_day": 31,
        },
    )
    assert "две цифры" in bad.content.decode()
    coordinator = client_for("tomsk-coordinator")
    assert coordinator.get("/regions/new/").status_code == 403


def test_the_command_creates_a_region_and_fails_loudly_on_a_bad_one(capsys):
    call_command("create_region", code="42", name="Кемеровская область", timezone="Asia/Novokuznetsk")
    assert Region.objects.get(code="42").timezone == "Asia/Novokuznetsk"
    with pytest.raises(CommandError, match="Регион не создан"):
        call_command("create_region", code="43", name="Кемеровская область", timezone="Asia/Novokuznetsk")


# --- organizations ----------------------------------------------------------------------------------


def test_it_previews_an_upload_without_writing_and_confirms_it_atomically(region):
    table = org_table(
        [
            org_row("100", "МАОУ СОШ № 5", director="Петрова А. А."),
            org_row(
                "101",
                "МБОУ «Лесная СОШ»",
                municipality="Лесной район",
                mkind="муниципальный район",
                rural="да",
            ),
            org_row("102", "Управление образования Новограда", kind="МОУО"),
            org_row("103", "Филиал СОШ № 5", parent="100"),
        ]
    )
    preview = onboarding.organizations_preview(region=region, table=table)
    assert preview["problems"] == []
    assert [r["code"] for r in preview["create"]] == ["100", "101", "102", "103"]
    assert {m["name"] for m in preview["new_municipalities"]} == {"Новоград", "Лесной район"}
    assert not Organization.objects.filter(region=region).exists()

    onboarding.do_import_organizations(actor=None, region=region, table=table)
    lesnaya = Organization.objects.get(region=region, external_code="101")
    assert lesnaya.is_rural and lesnaya.municipality.kind == Municipality.Kind.MUNICIPAL_DISTRICT
    assert Organization.objects.get(region=region, external_code="103").parent.external_code == "100"
    assert (
        Organization.objects.get(region=region, external_code="102").kind
        == Organization.Kind.MUNICIPAL_AUTHORITY
    )
    assert AuditEvent.objects.filter(action="organizations_imported", region=region).exists()


def test_a_reupload_updates_by_code_adds_new_and_lists_missing_without_deleting(region):
    onboarding.do_import_organizations(
        actor=None,
        region=region,
        table=org_table([org_row("100", "МАОУ СОШ № 5"), org_row("101", "МБОУ СОШ № 7")]),
    )
    again = org_table(
        [org_row("100", "МАОУ СОШ № 5", director="Новый директор"), org_row("102", "МБОУ СОШ № 9")]
    )
    preview = onboarding.organizations_preview(region=region, table=again)
    assert [u["code"] for u in preview["update"]] == ["100"]
    assert preview["update"][0]["changes"] == [
        {"field": "руководитель (ФИО)", "old": "Иванова М. П.", "new": "Новый директор"}
    ]
    assert [c["code"] for c in preview["create"]] == ["102"]
    assert [m["code"] for m in preview["missing"]] == ["101"]
    onboarding.do_import_organizations(actor=None, region=region, table=again)
    assert Organization.objects.get(region=region, external_code="100").director_name == "Новый директор"
    assert Organization.objects.filter(region=region, external_code="101").exists()  # never deleted
    assert Organization.objects.filter(region=region).count() == 3


def test_it_names_every_problem_by_row_and_column_and_saves_nothing(region):
    table = org_table(
        [
            org_row("100", "МАОУ СОШ № 5"),
            org_row("100", "МАОУ СОШ № 6"),  # duplicate code
            org_row("102", "Лицей", kind="гимназия-интернат"),  # unknown kind
            org_row("103", "СОШ № 8", municipality="Новый район", mkind=""),  # new municipality without kind
            org_row("104", "СОШ № 9", rural="может быть", email="not-an-email"),
            org_row("105", "Филиал", parent="999"),
        ]
    )
    preview = onboarding.organizations_preview(region=region, table=table)
    where = {(p["row"], p["column"]) for p in preview["problems"]}
    assert (3, "Код") in where
    assert (4, "Вид") in where
    assert (5, "Вид муниципалитета") in where
    assert (6, "Сельская") in where and (6, "E-mail") in where
    assert (7, "Код головной организации") in where
    with pytest.raises(ValidationError, match="строка 3, «Код»"):
        onboarding.do_import_organizations(actor=None, region=region, table=table)
    assert not Organization.objects.filter(region=region).exists()
    assert not Municipality.objects.filter(region=region).exists()


def test_it_reads_csv_in_utf8_or_cp1251_with_semicolons(region):
    rows = [org_row("100", "МАОУ СОШ № 5")]
    for data in (csv_text(ORG_HEADER, rows), csv_text(ORG_HEADER, rows).decode().encode("cp1251")):
        table = read_table("orgs.csv", data, onboarding.ORG_COLUMNS)
        assert table.rows[0][1]["short_name"] == "МАОУ СОШ № 5"


def test_it_refuses_a_broken_file_with_a_clear_message():
    with pytest.raises(TableError, match="нет обязательных столбцов"):
        read_table("orgs.csv", "Название;Адрес\nСОШ;ул. 1\n".encode(), onboarding.ORG_COLUMNS)
    with pytest.raises(TableError, match="XLSX или CSV"):
        read_table("orgs.pdf", b"%PDF-1.4 hello", onboarding.ORG_COLUMNS)
    with pytest.raises(TableError, match="повреждён|не похоже"):
        read_table("orgs.xlsx", b"PK\x03\x04garbage", onboarding.ORG_COLUMNS)


def test_the_export_reads_back_as_an_upload_with_nothing_to_change(client_for):
    client = client_for("tomsk-coordinator")
    region = Region.objects.get(code="70")
    response = client.get("/regions/70/setup/organizations/export.xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    table = read_table("export.xlsx", data, onboarding.ORG_COLUMNS)
    assert len(table.rows) == Organization.objects.filter(region=region).count()
    # Demo organizations have no codes yet: the export has empty codes, so the preview asks for them.
    preview = onboarding.organizations_preview(region=region, table=table)
    assert {p["column"] for p in preview["problems"]} == {"Код"}
    template = client.get("/regions/70/setup/organizations/template.xlsx")
    assert read_table("t.xlsx", template.content, onboarding.ORG_COLUMNS).rows[0][1]["code"] == "700001"


def test_the_page_previews_then_confirms(client_for):
    client = client_for("tomsk-coordinator")
    data = xlsx(ORG_HEADER, [org_row("T-1", "МБОУ «Новая СОШ»", municipality="Город Томск")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = client.post(
        "/regions/70/setup/organizations/", {"op": "upload", "file": SimpleUploadedFile("orgs.xlsx", data)}
    )
    assert upload.status_code == 302
    page = client.get("/regions/70/setup/organizations/").content.decode()
    assert "МБОУ «Новая СОШ»" in page and "Подтвердить и сохранить" in page
    assert not Organization.objects.filter(external_code="T-1").exists()
    client.post("/regions/70/setup/organizations/", {"op": "confirm"})
    org = Organization.objects.get(external_code="T-1")
    assert org.region.code == "70" and org.municipality.name == "Город Томск"


def test_a_bad_upload_on_the_page_shows_a_russian_message(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("tomsk-coordinator")
    response = client.post(
        "/regions/70/setup/organizations/",
        {"op": "upload", "file": SimpleUploadedFile("orgs.xlsx", b"PK\x03\x04xx")},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Error" not in body
    assert "повреждён" in body or "не похоже" in body


# --- statuses -----------------------------------------------------------------------------------------

STATUS_HEADER = ["Название", "Категория", "Уровень"]


def status_table(rows, name="list.xlsx"):
    return read_table(name, xlsx(STATUS_HEADER, rows), onboarding.STATUS_COLUMNS)


def test_it_matches_names_suggests_near_misses_and_records_the_basis(region):
    onboarding.do_import_organizations(
        actor=None,
        region=region,
        table=org_table(
            [
                org_row("100", "МАОУ СОШ № 5"),
                org_row("101", "МБОУ «Лесная СОШ»"),
                org_row("102", "МАОУ СОШ № 55"),
            ]
        ),
    )
    table = status_table(
        [
            ['МБОУ "Лесная СОШ"', "ШНОР", ""],
            ["МАОУ СОШ № 5 им. А.К. Ерохина", "ШНСУ", ""],
            ["Гимназия № 1", "ШНОР", ""],
        ]
    )
    preview = onboarding.statuses_preview(
        region=region, table=table, year=2026, basis_document="Приказ № 1 от 10.01.2026"
    )
    assert [(m["name"], m["organization"]) for m in preview["matched"]] == [
        ('МБОУ "Лесная СОШ"', "МБОУ «Лесная СОШ»")
    ]
    near = {u["name"]: [s["label"] for s in u["suggestions"]] for u in preview["unmatched"]}
    assert near["МАОУ СОШ № 5 им. А.К. Ерохина"][0].startswith("МАОУ СОШ № 5 ")
    assert not any("55" in label for label in near["МАОУ СОШ № 5 им. А.К. Ерохина"])
    assert near["Гимназия № 1"] == []
    school5 = Organization.objects.get(region=region, external_code="100")
    result = onboarding.do_import_statuses(
        actor=None,
        region=region,
        table=table,
        year=2026,
        basis_document="Приказ № 1 от 10.01.2026",
        choices={3: school5.pk},
    )
    assert result["created"] == 2 and len(result["unmatched"]) == 1
    statuses = SchoolStatus.objects.filter(region=region, year=2026)
    assert {(s.school.external_code, s.category) for s in statuses} == {("101", "shnor"), ("100", "shnsu")}
    assert {s.basis_document for s in statuses} == {"Приказ № 1 от 10.01.2026"}


def test_one_category_for_every_row_and_problems_by_row(region):
    onboarding.do_import_organizations(
        actor=None, region=region, table=org_table([org_row("100", "МАОУ СОШ № 5")])
    )
    table = read_table("l.csv", "Название\nМАОУ СОШ № 5\n".encode(), onboarding.STATUS_COLUMNS)
    assert (
        onboarding.statuses_preview(region=region, table=table, year=2026)["problems"][0]["column"]
        == "Категория"
    )
    result = onboarding.do_import_statuses(actor=None, region=region, table=table, year=2026, category="risk")
    assert result["created"] == 1
    bad = status_table([["МАОУ СОШ № 5", "ШНОР", "полный"], ["МАОУ СОШ № 5", "космос", ""]])
    problems = onboarding.statuses_preview(region=region, table=bad, year=2026)["problems"]
    assert {(p["row"], p["column"]) for p in problems} == {(2, "Уровень"), (3, "Категория")}


# --- commands ---------------------------------------------------------------------------------------------


def test_import_organizations_command_previews_as_json_and_confirms(region, tmp_path, capsys):
    path = tmp_path / "orgs.xlsx"
    path.write_bytes(xlsx(ORG_HEADER, [org_row("100", "МАОУ СОШ № 5"), org_row("101", "МБОУ СОШ № 7")]))
    call_command("import_organizations", str(path), region="42", dry_run=True, json=True)
    preview = json.loads(capsys.readouterr().out)
    assert preview["rows_read"] == 2 and len(preview["create"]) == 2 and preview["saved"] is False
    assert not Organization.objects.filter(region=region).exists()
    call_command("import_organizations", str(path), region="42")
    assert Organization.objects.filter(region=region).count() == 2


def test_import_organizations_command_fails_on_a_broken_file(region, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("что-то;не то\n1;2\n")
    with pytest.raises(CommandError, match="не прочитан: Не найдена строка заголовков"):
        call_command("import_organizations", str(path), region="42")
    bad_rows = tmp_path / "rows.xlsx"
    bad_rows.write_bytes(xlsx(ORG_HEADER, [org_row("", "СОШ")]))
    with pytest.raises(CommandError, match="строка 2, «Код»"):
        call_command("import_organizations", str(bad_rows), region="42")
    with pytest.raises(CommandError, match="Региона с кодом «99» нет"):
        call_command("import_organizations", str(bad_rows), region="99")


def test_import_statuses_command_reports_matches_and_suggestions(region, tmp_path, capsys):
    onboarding.do_import_organizations(
        actor=None, region=region, table=org_table([org_row("100", "МАОУ СОШ № 5")])
    )
    path = tmp_path / "list.csv"
    path.write_text("Название\nМАОУ СОШ № 5\nМАОУ СОШ № 5 им. А.К. Ерохина\n", encoding="utf-8")
    call_command(
        "import_statuses", str(path), region="42", year=2026, category="shnor", dry_run=True, json=True
    )
    preview = json.loads(capsys.readouterr().out)
    assert preview["matched"][0]["organization"] == "МАОУ СОШ № 5"
    assert preview["unmatched"][0]["suggestions"][0]["label"].startswith("МАОУ СОШ № 5")
    assert not SchoolStatus.objects.filter(region=region).exists()
    call_command("import_statuses", str(path), region="42", year=2026, category="шнор")
    assert SchoolStatus.objects.filter(region=region, year=2026, category="shnor").count() == 1
    with pytest.raises(CommandError, match="Неизвестная категория"):
        call_command("import_statuses", str(path), region="42", year=2026, category="космос")


# --- Django admin: platform staff only ------------------------------------------------------------------


def test_the_django_admin_is_for_platform_staff_only(client, admin, client_for):
    for username in ("tomsk-coordinator", "tomsk-municipal", "tomsk-director"):
        response = client_for(username).get("/admin/schools/region/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], username
    client.force_login(admin)
    assert client.get("/admin/schools/region/").status_code == 200
    assert client.get("/admin/schools/organization/?q=700").status_code == 200


# --- who reaches the onboarding pages ---------------------------------------------------------------------

SETUP_PAGES = [
    "setup/",
    "setup/organizations/",
    "setup/statuses/",
    "setup/curators/",
    "setup/aliases/",
    "setup/organizations/export.xlsx",
]


def test_a_coordinator_of_another_region_sees_nothing_of_these_pages(client_for):
    client = client_for("tambov-coordinator")
    for page in SETUP_PAGES + ["setup/people/"]:
        assert client.get(f"/regions/70/{page}").status_code == 404, page
        assert client.post(f"/regions/70/{page}", {"op": "confirm"}).status_code in (404, 405), page


def test_within_the_region_only_the_coordinator_manages_lists(client_for):
    for username in ("tomsk-municipal", "tomsk-director", "tomsk-curator", "tomsk-department"):
        client = client_for(username)
        for page in SETUP_PAGES[1:]:
            assert client.get(f"/regions/70/{page}").status_code == 403, (username, page)
    # The municipal official's overview shows only «Люди».
    body = client_for("tomsk-municipal").get("/regions/70/setup/").content.decode()
    assert "/regions/70/setup/people/" in body and "/regions/70/setup/organizations/" not in body
    assert (
        client_for("tomsk-department").post("/regions/70/setup/organizations/", {"op": "confirm"}).status_code
        == 403
    )
