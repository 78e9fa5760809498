"""Keyboard-only journeys (WCAG 2.1.1, 2.4.3, 2.4.7): no mouse clicks, only Tab, Shift+Tab, Space,
Enter and typing. A director answers the questionnaire; a municipal official files a report with
a file and a link; the coordinator reviews it.

Each step moves the focus with the keyboard until the wanted control has it, so a control that
cannot be reached by Tab fails the journey. At every tab stop of the questionnaire the focused
control must be visible, not under the sticky toolbar."""

import re

import pytest
from playwright.sync_api import expect

from monitoring.demo import tiny_pdf
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

# The focused element, described for matching and for failure messages.
FOCUSED_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const label = (e.labels && e.labels[0] ? e.labels[0].innerText : "") || e.getAttribute("aria-label") || "";
  return {tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "", id: e.id || "",
          text: (e.innerText || e.value || "").trim().slice(0, 300), label: label.trim().slice(0, 120)};
}"""

# Is the focused control visible: inside the viewport and not under the sticky toolbar?
COVERED_JS = """() => {
  const e = document.activeElement;
  const bar = document.querySelector(".q-toolbar");
  if (!e || !bar || bar.contains(e)) return null;
  let r = e.getBoundingClientRect();
  if (e.type === "radio" || e.type === "checkbox") r = (e.closest("label") || e).getBoundingClientRect();
  const top = bar.getBoundingClientRect().top;
  return r.bottom > top + 1 || r.top < 0 ? (e.name || e.id || e.tagName) + " " + r.top + "-" + r.bottom + " bar@" + top : null;
}"""


# The focus indicator of the focused element: a solid outline at least 2 px wide, not transparent.
NO_RING_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const ok = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && !s.outlineColor.endsWith(", 0)");
  return ok ? null : e.tagName.toLowerCase() + " «" + (e.innerText || e.name || "").trim().slice(0, 40) + "»: outline "
    + s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor;
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED_JS) or {}


def tab_to(page, matches, *, limit: int = 200, backwards: bool = False, on_stop=None) -> dict:
    """Press Tab until `matches(focused)` is true; fail if the control is never reached."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        no_ring = page.evaluate(NO_RING_JS)
        assert not no_ring, f"фокус не виден: {no_ring}"
        if on_stop:
            on_stop(now)
        if now and matches(now):
            return now
        seen.append(now.get("label") or now.get("text") or now.get("name"))
    raise AssertionError(f"клавишей Tab не дойти до нужного элемента; пройдено: {seen[-15:]}")


def by_label(text: str):
    return lambda f: text in f.get("label", "")


def button(text: str):
    return lambda f: f.get("tag") == "button" and f.get("text", "").startswith(text)


def link(text: str):
    return lambda f: f.get("tag") == "a" and f.get("text", "").startswith(text)


def keyboard_login(page, username: str) -> None:
    page.goto("/accounts/login/")
    tab_to(page, by_label("Имя пользователя"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Пароль"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile(r"^Выйти"))).to_be_visible()


def test_a_director_answers_the_questionnaire_by_keyboard_and_focus_is_never_hidden(page):
    page.set_viewport_size({"width": 1366, "height": 700})
    keyboard_login(page, "tomsk-director")
    # The skip link is the first tab stop and takes the focus to the content.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Перейти к содержимому"
    tab_to(page, link("Анкета: Выполнение Дорожной карты"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Выполнение Дорожной карты")

    covered: list[str] = []

    def visible(now: dict) -> None:
        problem = page.evaluate(COVERED_JS)
        if problem:
            covered.append(problem)

    # Submitting with nothing answered: the focus lands on the list of what to fix.
    tab_to(page, button("Отправить ответы"), on_stop=visible)
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).not_to_contain_text("красн")
    links = summary.get_by_role("link")
    assert links.count() >= 1
    first_href = links.first.get_attribute("href")
    expect(links.first).to_contain_text("Ответьте на этот вопрос — он обязательный.")

    # From the summary, Enter on the first link moves to that question; Tab enters its options.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == links.first.inner_text()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(first_href) + "$"))
    page.keyboard.press("Tab")
    inside = page.evaluate(
        "(sel) => document.querySelector(sel).contains(document.activeElement)", first_href
    )
    assert inside, f"после перехода по ссылке Tab ведёт не в вопрос {first_href}: {focused(page)}"

    # Every question from the top: its first option by Space (each is a group of checkboxes or radios).
    page.goto(page.url.split("#")[0])
    items = page.locator("li.q-item:not([hidden])")
    for i in range(items.count()):
        name = items.nth(i).get_attribute("data-question")
        tab_to(page, lambda f, want=name: f.get("name") == want, on_stop=visible)
        if not page.evaluate("document.activeElement.checked"):
            page.keyboard.press("Space")
    tab_to(page, button("Отправить ответы"), on_stop=visible)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ответы отправлены")).to_be_visible()
    assert not covered, f"фокус под закреплённой панелью: {covered[:5]}"


def test_a_report_is_filed_with_a_file_and_a_link_and_reviewed_by_keyboard(page, tmp_path):
    from monitoring.models import ExecutionReport, Obligation

    obligation = (
        Obligation.objects.filter(executor__short_name="УО Зырянского района", report__isnull=True)
        .order_by("due_date", "pk")
        .first()
    )
    assert obligation is not None
    pdf = tmp_path / "prikaz-klaviatura.pdf"
    pdf.write_bytes(tiny_pdf("Prikaz"))
    link_url = "https://zyr-edu.ru/shnor/klaviatura"

    keyboard_login(page, "zyryanka-municipal")
    page.goto(f"/obligations/{obligation.pk}/")

    # A file: the file input is reached by Tab; the browser's own file dialog is not the page's,
    # so the file is handed to the focused input.
    tab_to(page, lambda f: f.get("type") == "file")
    page.locator("input[type=file]:focus").set_input_files(pdf)
    tab_to(page, by_label("Что это"))
    page.keyboard.type("Приказ, поданный с клавиатуры")
    tab_to(page, button("Добавить подтверждение"))
    page.keyboard.press("Enter")
    expect(page.locator(".msg-success")).to_have_text("Подтверждение добавлено.")

    # A link.
    tab_to(page, by_label("или ссылка"))
    page.keyboard.type(link_url)
    tab_to(page, button("Добавить подтверждение"))
    page.keyboard.press("Enter")
    expect(page.locator(".msg-success")).to_have_text("Подтверждение добавлено.")
    expect(page.locator("ul.evidence > li")).to_have_count(2)

    # The report: status by arrow keys in the select, a comment, submit.
    page.evaluate("window.scrollTo(0, 0)")
    tab_to(page, by_label("Статус исполнения"))
    status = page.get_by_label("Статус исполнения").locator("option:checked")
    for _ in range(10):  # arrow keys walk the options of a focused select
        if status.inner_text() == "выполнено":
            break
        page.keyboard.press("ArrowDown")
    expect(status).to_have_text("выполнено")
    tab_to(page, by_label("Комментарий"))
    page.keyboard.type("Сделано, подтверждения приложены.")
    tab_to(page, button("Отправить на проверку"))
    page.keyboard.press("Enter")
    expect(page.locator(".msg-success")).to_have_text("Отчёт отправлен на проверку.")

    # The coordinator reviews it: comment, «Принять».
    tab_to(page, button("Выйти"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    keyboard_login(page, "tomsk-coordinator")
    page.goto(f"/obligations/{obligation.pk}/")
    expect(page.get_by_text("Сделано, подтверждения приложены.")).to_be_visible()
    tab_to(page, by_label("Комментарий (обязателен при возврате)"))
    page.keyboard.type("Принято, спасибо.")
    tab_to(page, button("Принять"))
    page.keyboard.press("Enter")
    expect(page.locator(".msg-success")).to_have_text("Отчёт принят.")

    report = ExecutionReport.objects.get(obligation=obligation)
    assert report.review_state == ExecutionReport.Review.ACCEPTED
    assert report.status == ExecutionReport.Status.DONE
    assert report.comment == "Сделано, подтверждения приложены."
    assert sorted(report.evidence.values_list("kind", flat=True)) == ["file", "link"]
