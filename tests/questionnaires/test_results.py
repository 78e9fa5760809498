"""Results per question and municipality, «Другое» texts, XLSX export read back with openpyxl."""

import datetime as dt
import io

import openpyxl
import pytest

from questionnaires import services
from questionnaires.models import Questionnaire
from schools.models import Organization
from tests.questionnaire_factories import form

pytestmark = pytest.mark.django_db


def demo_round() -> Questionnaire:
    return Questionnaire.objects.get(is_template=False, owner__short_name="МАУ ИМЦ")


def submit_for(
    q: Questionnaire, school: Organization, picks: dict[str, list[int]], other: dict | None = None
):
    a = q.assignments.get(school=school)
    data = form()
    for question in q.questions.prefetch_related("options"):
        options = list(question.options.all())
        data.setlist(f"q{question.pk}", [str(options[i - 1].pk) for i in picks.get(question.number, [1])])
        for number, text in (other or {}).items():
            if number == question.number:
                data[f"q{question.pk}_other"] = text
    services.do_submit_response(actor=None, assignment=a, data=data)


def test_results_count_options_and_list_other_texts(client_for):
    q = demo_round()
    school41 = Organization.objects.get(short_name="МАОУ СОШ № 41 г. Томска")
    submit_for(q, school41, {"1.": [1, 3]}, other={"1.": "Проведено анкетирование родителей"})
    page = client_for("tomsk-municipal").get(f"/questionnaires/{q.pk}/results/")
    assert page.context["responses"] == 2
    first = page.context["questions"][0]
    counts = {o["option"].position: (o["count"], o["share"]) for o in first["options"]}
    assert counts == {1: (2, 100), 2: (1, 50), 3: (1, 50)}
    assert first["options"][0]["by_municipality"] == [{"count": 2, "share": 100}]
    assert [(t["other_text"], t["school"].short_name) for t in first["others"]] == [
        ("Проведено анкетирование родителей", "МАОУ СОШ № 41 г. Томска")
    ]
    body = page.content.decode()
    assert "Проведён педсовет по результатам ВПР" in body  # the demo school's «Другое» in question 9


def test_the_export_has_one_row_per_school_and_kobo_style_columns(client_for):
    q = demo_round()
    response = client_for("tomsk-municipal").get(f"/questionnaires/{q.pk}/results.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb["Ответы школ"]
    header_row = next(r for r in ws.iter_rows(min_row=1, max_row=6) if r[0].value == "Школа")
    headers = [c.value for c in header_row]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=header_row[0].row + 1)]
    assert len(rows) == 7
    by_school = {r[0]: dict(zip(headers, r, strict=False)) for r in rows}
    s11 = by_school["МАОУ СОШ № 11 им. В.И. Смирнова г. Томска"]
    assert s11["Состояние"] == "отправлена"
    q1 = next(h for h in headers if h.startswith("1. Проведение анализа"))
    assert (
        s11[q1]
        == "Выявлены внутренние и внешние причины низких образовательных результатов обучающихся; Приняты управленческие решения"
    )
    kobo = [h for h in headers if h.startswith("1./")]
    assert len(kobo) == 4  # three options and the «Другое» text
    assert [s11[h] for h in kobo[:3]] == [1, 1, 0]
    assert by_school["МАОУ СОШ № 28 г. Томска"]["Состояние"] == "черновик"
    q9_other = next(h for h in headers if h.startswith("9./другое"))
    assert s11[q9_other] == "Проведён педсовет по результатам ВПР с разбором типичных ошибок"
    assert "Сводка" in wb.sheetnames


def test_the_results_page_keeps_a_flat_query_count(client_for, cast, django_assert_max_num_queries):
    q = demo_round()
    client = client_for("tomsk-coordinator")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/questionnaires/{q.pk}/results/")
    more = Organization.objects.filter(region__code="70", kind="school").exclude(
        questionnaire_assignments__questionnaire=q
    )[:6]
    services.do_assign(
        actor=cast["tomsk-coordinator"],
        questionnaire=q,
        schools=list(more),
        deadline=services.region_today(q.region) + dt.timedelta(days=3),
    )
    for school in more:
        submit_for(q, school, {"1.": [2]})
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(f"/questionnaires/{q.pk}/results/")
    assert page.context["responses"] == 7
    assert len(page.context["municipalities"]) > 1


def test_a_director_cannot_see_results(client_for):
    q = demo_round()
    assert client_for("tomsk-director").get(f"/questionnaires/{q.pk}/results/").status_code == 403
    assert client_for("tomsk-director").get(f"/questionnaires/{q.pk}/results.xlsx").status_code == 403
