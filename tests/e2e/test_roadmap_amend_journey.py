"""A coordinator imports a plan published only as PDF (a region the portal has never seen), then
uploads its new version: the portal shows what changed item by item, and the amending act turns
it into a revision. Screenshots at 1366 and 390 px land in test-artifacts/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.roadmaps.test_amendments import V1, V2, plan_docx

pytestmark = pytest.mark.e2e
CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps" / "corpus"
LABEL = "Файл дорожной карты (DOCX, XLSX или PDF с текстом)"


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def import_plan(page, path: Path) -> None:
    page.goto("/regions/70/roadmaps/import/")
    page.get_by_label(LABEL).set_input_files(path)
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверка перед загрузкой")
    page.get_by_label("Владелец").select_option(label="ДОО ТО")
    page.get_by_role("button", name="Сохранить параметры").click()
    expect(page.get_by_text("Параметры сохранены, предпросмотр пересчитан.")).to_be_visible()


def test_a_pdf_plan_is_imported_and_a_new_version_amends_it(login, tmp_path):
    from roadmaps.models import Roadmap

    page = login("tomsk-coordinator")
    # 1. A plan published only as PDF goes through the same preview.
    import_plan(page, CORPUS / "101-kaluga-regional-2024.pdf")
    expect(page.get_by_text("Разделов: 2, мероприятий: 7, подпунктов: 0.")).to_be_visible()
    expect(page.get_by_text("Колонка «Источник финансирования» не переносится")).to_be_visible()
    shoot(page, "pdf-import-preview")

    # 2. A DOCX plan, confirmed; then its new version uploaded from the roadmap page.
    v1 = tmp_path / "plan-v1.docx"
    v1.write_bytes(plan_docx(V1, "Приложение к приказу ДОО ТО от 13.03.2023 № 50"))
    import_plan(page, v1)
    page.get_by_role("button", name="Подтвердить и загрузить").click()
    expect(page.get_by_text("Дорожная карта загружена: 4 мероприятия.")).to_be_visible()
    roadmap = Roadmap.objects.get(source_name="plan-v1.docx")
    page.get_by_role("link", name="Загрузить новую редакцию из файла").click()
    v2 = tmp_path / "plan-v2.docx"
    v2.write_bytes(plan_docx(V2, "Приложение к приказу ДОО ТО от 13.03.2023 № 50"))
    page.get_by_label(LABEL).set_input_files(v2)
    page.get_by_role("button", name="Загрузить и сравнить").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Новая редакция: что изменится")
    expect(page.get_by_role("heading", name="3 изменения")).to_be_visible()
    expect(page.locator("tr.change-added")).to_contain_text("Стажировка в школах с высокими результатами")
    expect(page.locator("tr.change-changed")).to_contain_text("Май 2023")
    expect(page.locator("tr.change-removed")).to_contain_text("Раздел 2. Методическая работа")
    shoot(page, "amendment-preview")

    page.get_by_label("Номер").fill("77")
    page.get_by_label("Дата").fill("01.06.2023")
    page.get_by_role("button", name="Подтвердить изменения").click()
    expect(
        page.get_by_text("Новая редакция записана: дополнены п. 3; изменены п. 2; исключены п. 2.")
    ).to_be_visible()
    assert roadmap.revisions.get().act_number == "77"

    page.goto(f"/roadmaps/{roadmap.pk}/")
    expect(page.locator("tr.removed")).to_have_count(1)
    expect(page.locator("tr.removed")).to_contain_text("исключено")
    shoot(page, "amended-roadmap")
