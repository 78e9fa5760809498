"""The diagnostics import pages and command: preview, atomic confirm, replacing a year, who may
import (coordinators of the region only), hostile files through the project's upload limits."""

import io
import json
import tracemalloc

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from diagnostics import imports
from diagnostics.models import AssessmentResult, DirectionScore, RiskLevel, SelfDiagnosis
from diagnostics.sheets import Grid
from schools.models import Organization, Region
from tests import hostile_files

pytestmark = pytest.mark.django_db

BASE = "/diagnostics/import/70/"
YEAR = 2031
MB = 2**20


def xlsx(rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def schools():
    """Two schools of Tomsk with registry codes, as the reader labels them."""
    region = Region.objects.get(code="70")
    picked = list(
        Organization.objects.filter(region=region, kind="school", parent__isnull=True).order_by("pk")[:2]
    )
    for n, school in enumerate(picked, start=1):
        if not school.external_code:
            Organization.objects.filter(pk=school.pk).update(external_code=f"7099{n:02d}")
    ids = {s.pk for s in picked}
    return [r for r in imports.school_refs(region) if r.id in ids]


def self_file(schools, *, level="базовый", bad=False):
    rows = [
        ["Самодиагностика"],
        ["Код ОО", "Наименование ОО", "Знание (из 30)", "Здоровье", "Уровень", "Критические показатели"],
    ]
    for i, s in enumerate(schools):
        rows.append([s.code, s.names[0], "12,5", 20 + i, level, "нет школьного театра; нет хора"])
    if bad:
        rows.append(["", "Школа, которой нет", "10", "10", "средний", ""])
    return xlsx(rows)


def upload(client, slug, data, *, year=YEAR, name="файл.xlsx"):
    return client.post(
        f"{BASE}{slug}/", {"op": "upload", "year": year, "file": SimpleUploadedFile(name, data)}
    )


def test_preview_then_confirm_saves_everything_and_audits(client_for, schools):
    client = client_for("tomsk-coordinator")
    assert upload(client, "self-diagnosis", self_file(schools)).status_code == 302
    page = client.get(f"{BASE}self-diagnosis/").content.decode()
    assert "Записей к загрузке: 2, школ: 2" in page and "Подтвердить и сохранить" in page
    assert "ещё нет: всё будет добавлено" in page
    assert not SelfDiagnosis.objects.filter(year=YEAR).exists()  # the preview writes nothing
    response = client.post(f"{BASE}self-diagnosis/", {"op": "confirm"}, follow=True)
    assert "записей 2 по 2 школам" in response.content.decode()
    saved = SelfDiagnosis.objects.filter(year=YEAR).order_by("school_id")
    assert {d.school_id for d in saved} == {s.id for s in schools}
    assert all(d.level == "basic" and d.critical_unmet == ["нет школьного театра", "нет хора"] for d in saved)
    knowledge = DirectionScore.objects.get(diagnosis=saved[0], direction="knowledge")
    assert (str(knowledge.points), str(knowledge.max_points)) == ("12.5", "30.0")
    assert saved[0].imported_by.username == "tomsk-coordinator"
    event = AuditEvent.objects.filter(action="diagnostics_imported").latest("pk")
    assert event.region.code == "70" and event.details["records"] == 2 and event.details["year"] == YEAR


def test_a_file_with_one_error_saves_nothing_even_when_confirmed(client_for, schools):
    client = client_for("tomsk-coordinator")
    upload(client, "self-diagnosis", self_file(schools, bad=True))
    page = client.get(f"{BASE}self-diagnosis/").content.decode()
    assert "Школа, которой нет" in page and "не найдена в регионе" in page
    assert 'value="confirm"' not in page
    response = client.post(f"{BASE}self-diagnosis/", {"op": "confirm"}, follow=True)
    assert "ничего не сохранено" in response.content.decode()
    assert not SelfDiagnosis.objects.filter(year=YEAR).exists()


def test_the_confirm_checks_again_against_the_database(client_for, schools):
    client = client_for("tomsk-coordinator")
    upload(client, "self-diagnosis", self_file(schools))
    Organization.objects.filter(pk=schools[0].id).update(external_code="", short_name="Другая", name="Другая")
    response = client.post(f"{BASE}self-diagnosis/", {"op": "confirm"}, follow=True)
    assert "ничего не сохранено" in response.content.decode()
    assert not SelfDiagnosis.objects.filter(year=YEAR).exists()


def test_a_second_upload_of_the_year_replaces_the_rows_of_its_schools_only(client_for, schools):
    client = client_for("tomsk-coordinator")
    upload(client, "self-diagnosis", self_file(schools))
    client.post(f"{BASE}self-diagnosis/", {"op": "confirm"})
    upload(client, "self-diagnosis", self_file(schools, level="средний"), year=YEAR + 1)
    client.post(f"{BASE}self-diagnosis/", {"op": "confirm"})
    upload(client, "self-diagnosis", self_file(schools[:1], level="высокий"))
    page = client.get(f"{BASE}self-diagnosis/").content.decode()
    assert f"Будет заменена 1 запись {YEAR} года у школ из файла." in page
    client.post(f"{BASE}self-diagnosis/", {"op": "confirm"})
    levels = dict(SelfDiagnosis.objects.filter(year=YEAR).values_list("school_id", "level"))
    assert levels == {schools[0].id: "full", schools[1].id: "basic"}
    assert SelfDiagnosis.objects.filter(year=YEAR + 1).count() == 2  # another year is untouched
    assert (
        DirectionScore.objects.filter(diagnosis__year=YEAR, diagnosis__school_id=schools[0].id).count() == 2
    )


def test_risk_profile_long_layout_through_the_page(client_for, schools):
    client = client_for("tomsk-coordinator")
    data = xlsx(
        [
            ["Код", "Фактор риска", "Уровень риска"],
            [schools[0].code, "Дефицит педагогических кадров", "высокий"],
            [schools[0].code, "Низкая учебная мотивация обучающихся", "2"],
        ]
    )
    upload(client, "risk-profile", data)
    assert "строка на каждый фактор риска" in client.get(f"{BASE}risk-profile/").content.decode()
    client.post(f"{BASE}risk-profile/", {"op": "confirm"})
    assert dict(RiskLevel.objects.filter(year=YEAR).values_list("factor", "level")) == {
        "staff_shortage": "high",
        "motivation": "medium",
    }


def test_results_of_one_procedure_keep_the_schools_results_of_another(client_for, schools):
    school = Organization.objects.get(pk=schools[0].id)
    AssessmentResult.objects.create(
        school=school, region=school.region, year=YEAR, kind="ege", subject="Физика", grade=11, participants=5
    )
    AssessmentResult.objects.create(
        school=school, region=school.region, year=YEAR, kind="vpr", subject="История", grade=6, participants=5
    )
    client = client_for("tomsk-coordinator")
    data = xlsx(
        [
            [
                "Школа",
                "Процедура",
                "Предмет",
                "Класс",
                "Участников",
                "Доля «2», %",
                "Средний балл",
                "Необъективность",
            ],
            [schools[0].names[0], "ВПР", "Математика", "5", "42", "23,8", "3,1", "да"],
        ]
    )
    upload(client, "assessments", data)
    assert "Будет заменена 1 запись" in client.get(f"{BASE}assessments/").content.decode()
    client.post(f"{BASE}assessments/", {"op": "confirm"})
    rows = AssessmentResult.objects.filter(school=school, year=YEAR)
    assert sorted(rows.values_list("kind", "subject")) == [("ege", "Физика"), ("vpr", "Математика")]
    vpr = rows.get(kind="vpr")
    assert (vpr.participants, str(vpr.lowest_share), str(vpr.mean_score), vpr.doubtful_objectivity) == (
        42,
        "23.8",
        "3.10",
        True,
    )


def test_cancel_forgets_the_file(client_for, schools):
    client = client_for("tomsk-coordinator")
    upload(client, "self-diagnosis", self_file(schools))
    client.post(f"{BASE}self-diagnosis/", {"op": "cancel"})
    assert "Проверить файл" in client.get(f"{BASE}self-diagnosis/").content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_form(client_for):
    client = client_for("tomsk-coordinator")
    response = upload(client, "assessments", b"%PDF-1.4\n%%EOF", name="результаты.pdf")
    assert response.status_code == 200
    assert "Файлы «результаты.pdf» не принимаются: загрузите таблицу XLSX" in response.content.decode()


def test_templates_carry_the_regions_schools_and_read_back(client_for, schools):
    client = client_for("tomsk-coordinator")
    for slug in ("self-diagnosis", "risk-profile", "assessments"):
        response = client.get(f"{BASE}{slug}/template.xlsx")
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        assert schools[0].code in text and "не рейтинг школ" in text


def test_the_index_lists_what_is_loaded(client_for, schools, django_assert_max_num_queries):
    region = Region.objects.get(code="70")
    for s in schools:
        SelfDiagnosis.objects.create(school_id=s.id, region=region, year=YEAR, level="basic")
    client = client_for("tomsk-coordinator")
    with django_assert_max_num_queries(20):
        body = client.get(BASE).content.decode()
    assert str(YEAR) in body and "Скачать шаблон XLSX" in body
    for extra in range(3):
        SelfDiagnosis.objects.create(
            school_id=imports.school_refs(region)[5 + extra].id,
            region=region,
            year=YEAR - 1 - extra,
            level="basic",
        )
    with django_assert_max_num_queries(20):
        assert client.get(BASE).status_code == 200
    assert "/diagnostics/import/70/" in client.get("/regions/70/setup/").content.decode()


# --- who may import ------------------------------------------------------------------------------

PAGES = ["", "self-diagnosis/", "risk-profile/", "assessments/", "assessments/template.xlsx"]


def test_another_regions_coordinator_sees_nothing(client_for, schools):
    client = client_for("tambov-coordinator")
    for page in PAGES:
        assert client.get(BASE + page).status_code == 404, page
        response = client.post(
            BASE + page,
            {"op": "upload", "year": YEAR, "file": SimpleUploadedFile("a.xlsx", self_file(schools))},
        )
        assert response.status_code in (404, 405), page
    assert client.get("/diagnostics/import/68/").status_code == 200


@pytest.mark.parametrize(
    "username", ["tomsk-curator", "tomsk-municipal", "tomsk-director", "tomsk-department"]
)
def test_within_the_region_only_the_coordinator_imports(client_for, schools, username):
    client = client_for(username)
    for page in PAGES:
        assert client.get(BASE + page).status_code == 403, (username, page)
    response = client.post(
        f"{BASE}self-diagnosis/",
        {"op": "upload", "year": YEAR, "file": SimpleUploadedFile("a.xlsx", self_file(schools))},
    )
    assert response.status_code == 403
    assert client.post(f"{BASE}self-diagnosis/", {"op": "confirm"}).status_code == 403
    assert not SelfDiagnosis.objects.filter(year=YEAR).exists()


@pytest.mark.parametrize(
    "username", ["tomsk-curator", "tomsk-municipal", "tomsk-director", "tambov-coordinator"]
)
def test_the_service_checks_the_action_itself(cast, schools, username):
    grid = Grid(name="a.xlsx", rows=[["Код", "Уровень"], [schools[0].code, "базовый"]])
    with pytest.raises(PermissionDenied):
        imports.do_import_diagnostics(
            actor=cast[username],
            region=Region.objects.get(code="70"),
            kind="self_diagnosis",
            year=YEAR,
            grid=grid,
        )
    assert not SelfDiagnosis.objects.filter(year=YEAR).exists()


# --- hostile files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: hostile_files.xlsx_bomb(), "распаковывается в 2\u00a0049 МБ — это больше допустимого"),
        (lambda: hostile_files.xlsx_lying_about_size(unpacked_mib=512), "Документ повреждён"),
        (hostile_files.xlsx_with_entities, "недопустимые XML-конструкции"),
    ],
    ids=["bomb", "lying-size", "entities"],
)
def test_hostile_files_are_refused_quickly_in_little_memory(client_for, build, message):
    data = build()
    client = client_for("tomsk-coordinator")
    tracemalloc.start()
    try:
        response = upload(client, "risk-profile", data, name="риски.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert message in response.content.decode()
    assert peak < 200 * MB, f"peak {peak // MB} MB"
    assert not RiskLevel.objects.filter(year=YEAR).exists()


# --- the command ---------------------------------------------------------------------------------------


def test_the_command_checks_then_saves(tmp_path, schools, capsys):
    path = tmp_path / "самодиагностика.xlsx"
    path.write_bytes(self_file(schools))
    call_command(
        "import_diagnostics",
        str(path),
        kind="self-diagnosis",
        region="70",
        year=YEAR,
        dry_run=True,
        json=True,
    )
    report = json.loads(capsys.readouterr().out)
    assert report["records"] == 2 and report["saved"] is False and report["problems"] == []
    assert not SelfDiagnosis.objects.filter(year=YEAR).exists()
    call_command("import_diagnostics", str(path), kind="self_diagnosis", region="70", year=YEAR)
    assert "Сохранено." in capsys.readouterr().out
    assert SelfDiagnosis.objects.filter(year=YEAR).count() == 2
    assert AuditEvent.objects.filter(action="diagnostics_imported", user__isnull=True).exists()
    bad = tmp_path / "плохой.xlsx"
    bad.write_bytes(self_file(schools, bad=True))
    with pytest.raises(CommandError, match="ничего не сохранено") as refused:
        call_command("import_diagnostics", str(bad), kind="self-diagnosis", region="70", year=YEAR + 1)
    assert "не найдена в регионе" in str(refused.value)
    assert not SelfDiagnosis.objects.filter(year=YEAR + 1).exists()
    with pytest.raises(CommandError, match="Региона с кодом «99» нет"):
        call_command("import_diagnostics", str(path), kind="assessments", region="99")


def test_a_school_the_file_names_its_own_way_is_picked_in_the_preview(client_for, schools):
    client = client_for("tomsk-coordinator")
    data = xlsx(
        [
            ["Школа", "Фактор риска", "Уровень риска"],
            [schools[0].names[0] + " имени Героя", "Дефицит кадров", "высокий"],
            [schools[0].names[0] + " имени Героя", "Мотивация", "средний"],
        ]
    )
    upload(client, "risk-profile", data)
    page = client.get(f"{BASE}risk-profile/").content.decode()
    assert "Школы не найдены — выберите из списка" in page and 'value="confirm"' not in page
    assert "2, 3" in page  # both rows of that name
    name = schools[0].names[0] + " имени Героя"
    foreign = Organization.objects.filter(region__code="68", kind="school").first()
    client.post(f"{BASE}risk-profile/", {"op": "choose", "choice-name-1": name, "choice-1": foreign.pk})
    assert 'value="confirm"' not in client.get(f"{BASE}risk-profile/").content.decode()  # not this region's
    client.post(f"{BASE}risk-profile/", {"op": "choose", "choice-name-1": name, "choice-1": schools[0].id})
    page = client.get(f"{BASE}risk-profile/").content.decode()
    assert 'value="confirm"' in page and "Выбрано вручную" in page
    client.post(f"{BASE}risk-profile/", {"op": "confirm"})
    assert set(RiskLevel.objects.filter(year=YEAR).values_list("school_id", flat=True)) == {schools[0].id}
    assert AuditEvent.objects.filter(action="diagnostics_imported").latest("pk").details["chosen"] == 1
