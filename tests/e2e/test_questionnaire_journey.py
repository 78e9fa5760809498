import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_director_answers_seed_003_leaves_resumes_submits_and_the_municipality_sees_it(login, page):
    from questionnaires.models import Questionnaire

    q = Questionnaire.objects.get(is_template=False, owner__short_name="МАУ ИМЦ")
    login("tomsk-director")
    page.get_by_role("link", name=re.compile("Анкета: Выполнение Дорожной карты")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Выполнение Дорожной карты")

    first = page.locator("li.q-item").nth(0)
    first.get_by_label("Выявлены внутренние и внешние причины").check()
    second = page.locator("li.q-item").nth(1)
    second.get_by_label("Другое (написать конкретно)").check()
    second.get_by_placeholder("Напишите свой ответ").fill("Цели согласованы с ИМЦ")
    expect(page.locator("#autosave-status")).to_contain_text("Черновик сохранён в", timeout=15_000)

    page.goto("/")  # leaves …
    page.get_by_role("link", name=re.compile("Анкета: Выполнение Дорожной карты")).click()  # … and comes back
    expect(
        page.locator("li.q-item").nth(0).get_by_label("Выявлены внутренние и внешние причины")
    ).to_be_checked()
    expect(page.locator("li.q-item").nth(1).get_by_placeholder("Напишите свой ответ")).to_have_value(
        "Цели согласованы с ИМЦ"
    )

    # Submitting too early shows the problem next to the question.
    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.locator("li.q-item.has-error").first).to_contain_text("обязательный")

    items = page.locator("li.q-item")
    for i in range(2, items.count()):
        items.nth(i).locator('input[type="checkbox"]').first.check()
    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.get_by_text("Ответы отправлены")).to_be_visible()
    expect(page.get_by_role("link", name="Скачать копию ответов (PDF)")).to_be_visible()

    page.get_by_role("button", name=re.compile("Выйти")).click()
    login("tomsk-municipal")
    page.goto(f"/questionnaires/{q.pk}/tracking/")
    row = page.locator("tr", has_text="МАОУ СОШ № 5 им. А.К. Ерохина г. Томска")
    expect(row).to_contain_text("отправлена")
    expect(page.locator(".counts")).to_contain_text("2")


def test_the_answer_page_fits_a_phone(login, page):
    page.set_viewport_size({"width": 390, "height": 844})
    login("tomsk-director")
    page.get_by_role("link", name=re.compile("Анкета: Выполнение Дорожной карты")).click()
    width = page.evaluate("document.documentElement.scrollWidth")
    offenders = page.evaluate(
        "Array.from(document.querySelectorAll('*')).filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert width <= 390, offenders
    expect(page.get_by_role("button", name="Сохранить черновик")).to_be_visible()
