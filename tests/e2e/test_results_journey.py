"""«Результаты и исполнение» in the browser with the living demo, on a desktop and on a phone:
the coordinator opens the region view, finds the high-risk lagging schools first, opens a ШНОР
school and sees on one page its risk factors, its roadmap's coverage of them, its execution and its
results over three years. No page of the way is wider than the screen."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
SCHOOL = "МБОУ «Чердатская СОШ»"


def fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport + 1, f"{page.url}: {width} px wide on a {viewport} px screen"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_coordinator_sees_a_shnor_schools_risks_coverage_execution_and_results(login, width):
    page = login("tomsk-coordinator")
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Результаты").click()
    year = dt.date.today().year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Результаты и исполнение, {year}")
    expect(page.get_by_text("не рейтинг школ и учителей").first).to_be_visible()
    fits(page)

    # High risk and lagging first: the first rows are in group 1, the order never by results.
    rows = page.get_by_role("table", name=re.compile("риски, самодиагностика, исполнение")).locator(
        "tbody tr"
    )
    expect(rows.first).to_contain_text("высокий риск и отставание")
    groups = rows.locator("td:first-child, th:first-child").all_inner_texts()
    order = [
        "высокий риск и отставание",
        "высокий риск, исполнение без отставания",
        "без высоких рисков, отставание",
    ]
    ranks = [next((n for n, g in enumerate(order) if g in text), len(order)) for text in groups]
    assert ranks == sorted(ranks), groups

    page.get_by_role("link", name=SCHOOL).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SCHOOL)
    fits(page)
    main = page.locator("main")
    # Risk factors over three years, in words and signs (never colour alone).
    risks = page.get_by_role("table", name=re.compile("Уровень каждого фактора риска по годам"))
    for y in (year - 2, year - 1, year):
        expect(risks.get_by_role("columnheader", name=str(y))).to_be_visible()
    expect(risks).to_contain_text("высокий")
    # The roadmap's coverage of them: covered items and the gaps with the catalogue's suggestions.
    coverage = page.get_by_role("table", name="Дефициты школы и мероприятия, которые на них направлены").first
    expect(coverage).to_contain_text("✓")
    expect(coverage).to_contain_text("пробел: нет мероприятия")
    # Execution of its roadmaps, with a way to the obligations.
    expect(main).to_contain_text(re.compile(r"должна была отправить отчётов: \d+"))
    expect(page.get_by_role("link", name="Список обязательств школы")).to_be_visible()
    # Results over three years: tables and server-drawn trends.
    expect(page.get_by_role("heading", name="Результаты оценочных процедур по годам")).to_be_visible()
    expect(page.locator("#results ~ figure svg, #results ~ * svg").first).to_be_attached()
    expect(page.get_by_role("heading", name="Что изменилось с начала участия в программе")).to_be_visible()


def test_a_municipal_official_sees_only_their_own_schools(login):
    page = login("zyryanka-municipal")
    page.goto("/diagnostics/")
    table = page.get_by_role("table", name=re.compile("риски, самодиагностика, исполнение"))
    expect(table).to_contain_text(SCHOOL)
    for text in table.locator("tbody tr").all_inner_texts():
        assert "Зырянский район" in text, text
