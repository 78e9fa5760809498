import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.e2e


def test_a_department_official_orders_a_quarterly_pdf_waits_and_downloads_it(login):
    from monitoring.models import MonitoringRound

    round_ = MonitoringRound.objects.get(
        roadmap__source_name="000-tomsk-shnor-2023.docx", period_start="2023-01-01"
    )
    page = login("tomsk-department")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Отчёты").click()
    expect(page.get_by_role("heading", name="Готовые квартальные отчёты")).to_be_visible()

    # Only the chosen kind's fields are shown (static/js/report_form.js).
    round_field = page.get_by_label("Раунд мониторинга (для квартального отчёта)")
    municipality_field = page.get_by_label("Муниципалитет (для сводной информации)")
    page.get_by_label("Вид отчёта").select_option("municipal")
    expect(municipality_field).to_be_visible()
    expect(round_field).to_be_hidden()
    page.get_by_label("Вид отчёта").select_option("quarterly")
    expect(round_field).to_be_visible()
    expect(municipality_field).to_be_hidden()
    page.get_by_label("Формат").select_option("pdf")
    page.get_by_label("Раунд мониторинга (для квартального отчёта)").select_option(str(round_.pk))
    page.get_by_role("button", name="Построить").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("1 квартал 2023")
    # The page refreshes itself until the worker is done; then the download link appears.
    download_link = page.get_by_role("link", name="Скачать PDF")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        download_link.click()
    path = info.value.path()
    reader = PdfReader(io.BytesIO(open(path, "rb").read()))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Мониторинг реализации мероприятий дорожной карты: 1 квартал 2023" in text
    assert info.value.suggested_filename.endswith(".pdf")


def test_a_municipal_official_cannot_see_another_municipalitys_report(login):
    from reporting.models import Report

    report = Report.objects.filter(region__code="70").first()
    page = login("cherdaty-director")
    assert page.goto(f"/reports/{report.pk}/download/").status == 404
