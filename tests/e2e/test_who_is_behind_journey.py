"""«Кто отстаёт» in the browser, with the living demo, on a desktop and on a phone: the coordinator
goes from the home page to the region overview, down to a municipality and to one executor's
obligations; the department reads the same overview; a curator reviews a submitted report.
No page of the way is wider than the screen."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport + 1, f"{page.url}: {width} px wide on a {viewport} px screen"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_coordinator_finds_who_is_behind_and_whether_it_is_better(login, width):
    page = login("tomsk-coordinator")
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto("/")
    expect(page.get_by_role("table", name="Дальше всех отстают")).to_be_visible()
    fits(page)

    page.get_by_role("navigation").get_by_role("link", name="Сводка").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Сводка по региону")
    # One screen answers both questions: who is behind (ranked) and compared with the last round.
    expect(
        page.get_by_text(re.compile(r"Отстающих \(есть просроченные или возвращённые\): \d+ из \d+"))
    ).to_be_visible()
    expect(page.get_by_role("columnheader", name="Изменение к раунду")).to_be_visible()
    fits(page)

    first = page.locator("table.overview tbody tr th a").first
    municipality = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Сводка по региону: {municipality}")
    expect(page.get_by_role("columnheader", name="Исполнитель")).to_be_visible()
    fits(page)

    executor = page.locator("table.overview tbody tr th a").first
    name = executor.inner_text()
    executor.click()
    expect(page).to_have_url(re.compile(r"/execution/\?executor=\d+"))
    expect(page.locator("main")).to_contain_text(name)
    expect(page.locator("main table tbody tr").first).to_be_visible()
    fits(page)


def test_the_department_reads_the_overview_and_the_matrix_with_totals(login):
    page = login("tomsk-department")
    page.goto("/execution/overview/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Сводка по региону")
    expect(page.locator("table.overview tbody tr").first).to_be_visible()
    page.goto("/execution/matrix/")
    expect(page.get_by_role("rowheader", name="Итого по столбцу")).to_be_visible()
    # State is never colour alone: the legend and every cell say it in words.
    expect(page.locator(".legend")).to_contain_text("просрочено")


def test_a_curator_reviews_a_submitted_report(login):
    page = login("tomsk-curator")
    page.get_by_role("navigation").get_by_role("link", name="Проверка").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Отчёты на проверке")
    page.locator("main table tbody tr a").first.click()
    page.get_by_role("button", name="Принять").click()
    expect(page.locator(".msg-success")).to_have_text("Отчёт принят.")
