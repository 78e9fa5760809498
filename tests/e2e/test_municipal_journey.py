import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_municipal_official_logs_in_and_opens_their_municipality(login):
    page = login("tomsk-municipal")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Кузнецова Татьяна Николаевна")
    expect(page.get_by_role("heading", name="Мои задачи")).to_be_visible()

    page.get_by_role("link", name="Город Томск").first.click()
    expect(page).to_have_url(re.compile(r"/municipalities/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Город Томск")
    expect(page.get_by_role("link", name="МАОУ СОШ № 5 им. А.К. Ерохина г. Томска")).to_be_visible()
    # Another municipality's school is not on the page.
    expect(page.get_by_text("МБОУ «Чердатская СОШ»")).to_have_count(0)

    page.get_by_label("Категория").select_option("shnor")
    page.get_by_label("Год").select_option("2020")
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("tbody tr")).to_have_count(7)

    page.get_by_role("link", name="МАОУ ООШ № 66 г. Томска").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("МАОУ ООШ № 66 г. Томска")
    expect(page.get_by_text("Статусы по годам")).to_be_visible()


def test_a_director_cannot_open_another_municipality(login, live_server):
    from schools.models import Municipality

    other = Municipality.objects.get(name="Город Томск")
    page = login("cherdaty-director")
    response = page.goto(f"/municipalities/{other.pk}/")
    assert response.status == 404
