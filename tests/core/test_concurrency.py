"""Lost updates: two open forms of one record; the second save is refused, says what changed and
keeps what its user typed; saving again after reading goes through."""

import html
import re

import pytest
from django.test import Client

from monitoring.models import ExecutionReport
from questionnaires.models import Questionnaire
from roadmaps.models import Roadmap
from schools.models import User
from tests.monitoring.test_pages import open_obligation

pytestmark = pytest.mark.django_db
STALE = "Пока вы редактировали, эту запись сохранил кто-то другой"


def tab(username: str) -> Client:
    """A browser tab of its own (two tabs may belong to one person or to two colleagues)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def drawn_version(page: str) -> str:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert match, "the form carries no version"
    return match.group(1)


def item_form(item, **changes) -> dict:
    data = {f: getattr(item, f) for f in ("number", "text", "schedule_text", "indicator_text", "result_text")}
    data["executors_text"] = item.executors_text
    return data | changes


def test_the_second_of_two_open_item_forms_is_refused_and_keeps_its_input():
    item = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx").items.get(number="4.")
    url = f"/roadmaps/items/{item.pk}/edit/"
    first, second = tab("tomsk-coordinator"), tab("tomsk-coordinator")
    v1 = drawn_version(first.get(url).content.decode())
    v2 = drawn_version(second.get(url).content.decode())
    assert first.post(url, item_form(item, schedule_text="Май 2023г.", version=v1)).status_code == 302

    response = second.post(url, item_form(item, indicator_text="Проведено 40 семинаров", version=v2))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and STALE in page
    assert "Сроки (как в документе) — «Май 2023г.»" in page  # what the other save changed
    assert "Проведено 40 семинаров" in page  # the user's own input is still in the form
    item.refresh_from_db()
    assert item.schedule_text == "Май 2023г." and item.indicator_text != "Проведено 40 семинаров"

    # Having read it, the user saves again: the form now carries the current version.
    again = second.post(
        url, item_form(item, indicator_text="Проведено 40 семинаров", version=drawn_version(page))
    )
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.schedule_text == "Май 2023г." and item.indicator_text == "Проведено 40 семинаров"


def test_the_second_of_two_open_execution_report_forms_is_refused():
    obligation = open_obligation("УО Зырянского района")
    url = f"/obligations/{obligation.pk}/"
    first, second = tab("zyryanka-municipal"), tab("zyryanka-municipal")
    v1 = drawn_version(first.get(url).content.decode())
    v2 = drawn_version(second.get(url).content.decode())
    draft = {"status": "in_progress", "action": "save"}
    assert first.post(url, draft | {"comment": "Приказ готовится", "version": v1}).status_code == 302
    response = second.post(url, draft | {"status": "done", "comment": "Проведено 20.04", "version": v2})
    page = html.unescape(response.content.decode())
    assert STALE in page and "«Приказ готовится»" in page and "Проведено 20.04" in page
    report = ExecutionReport.objects.get(obligation=obligation)
    assert report.comment == "Приказ готовится" and report.status == "in_progress"


def test_questionnaire_and_question_forms_refuse_a_stale_save(client_for):
    client = client_for("tomsk-municipal")
    client.post(
        "/regions/70/questionnaires/new/",
        {
            "owner": Questionnaire.objects.filter(owner__short_name="МАУ ИМЦ").first().owner_id,
            "title": "Анкета для правки",
            "period_label": "2-е полугодие",
        },
    )
    q = Questionnaire.objects.get(title="Анкета для правки")
    client.post(
        f"/questionnaires/{q.pk}/questions/new/",
        {"text": "Что сделано?", "kind": "single", "options": "Да\nНет", "required": "on"},
    )
    question = q.questions.get()

    url = f"/questionnaires/{q.pk}/edit/"
    first, second = tab("tomsk-municipal"), tab("tomsk-municipal")
    v1, v2 = drawn_version(first.get(url).content.decode()), drawn_version(second.get(url).content.decode())
    base = {"title": "Анкета для правки", "period_label": "2-е полугодие"}
    assert first.post(url, base | {"intro": "Ответьте до пятницы", "version": v1}).status_code == 302
    stale = second.post(url, base | {"title": "Другое название", "version": v2})
    page = html.unescape(stale.content.decode())
    assert STALE in page and "«Ответьте до пятницы»" in page and "Другое название" in page
    q.refresh_from_db()
    assert q.title == "Анкета для правки" and q.intro == "Ответьте до пятницы"

    url = f"/questionnaires/questions/{question.pk}/edit/"
    v1, v2 = drawn_version(first.get(url).content.decode()), drawn_version(second.get(url).content.decode())
    form = {"number": "1.", "kind": "single", "options": "Да\nНет", "required": "on"}
    assert first.post(url, form | {"text": "Что сделано за полугодие?", "version": v1}).status_code == 302
    stale = second.post(url, form | {"text": "Что не сделано?", "version": v2})
    assert STALE in html.unescape(stale.content.decode())
    question.refresh_from_db()
    assert question.text == "Что сделано за полугодие?"
