"""Two open forms of one roadmap item, in the browser: the first save wins, the second is refused
with what changed, keeps its text, and goes through when saved again."""

import pytest
from playwright.sync_api import expect

from roadmaps.models import Roadmap
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_execution_journey import log_in

pytestmark = pytest.mark.e2e


def test_a_stale_item_save_is_refused_and_keeps_the_users_text(page):
    item = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx").items.get(number="4.")
    url = f"/roadmaps/items/{item.pk}/edit/"
    log_in(page, "tomsk-coordinator")
    page.goto(url)
    other = page.context.new_page()  # a second tab of the same person
    other.goto(url)

    page.get_by_label("Сроки (как в документе)").fill("Май 2023г.")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Мероприятие п. 4. сохранено")).to_be_visible()

    other.get_by_label("Показатель").fill("Проведено 40 семинаров")
    other.get_by_role("button", name="Сохранить").click()
    expect(other.get_by_text("Пока вы редактировали, эту запись сохранил кто-то другой")).to_be_visible()
    expect(other.get_by_text("Сроки (как в документе) — «Май 2023г.»", exact=False)).to_be_visible()
    expect(other.get_by_label("Показатель")).to_have_value("Проведено 40 семинаров")
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        other.set_viewport_size({"width": width, "height": height})
        other.screenshot(path=str(ARTIFACTS / f"stale-item-{width}.png"), full_page=True)

    # The form keeps everything this tab had, the old «Сроки» too: having read the message, the
    # user takes the colleague's date and saves again — now on purpose.
    expect(other.get_by_label("Сроки (как в документе)")).to_have_value("Апрель 2023г.")
    other.get_by_label("Сроки (как в документе)").fill("Май 2023г.")
    other.get_by_role("button", name="Сохранить").click()
    expect(other.get_by_text("Мероприятие п. 4. сохранено")).to_be_visible()
    item.refresh_from_db()
    assert item.schedule_text == "Май 2023г." and item.indicator_text == "Проведено 40 семинаров"
