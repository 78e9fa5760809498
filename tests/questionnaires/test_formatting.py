"""An answer reads the same everywhere: the answer page, the results page, the PDF copy and the
XLSX export all take it from ``questionnaires.formatting``."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from questionnaires import services
from questionnaires.formatting import answer_text, format_date, format_number, input_value, value_text
from questionnaires.models import Answer, Question
from tests.questionnaire_factories import director_school, form, make_assignment, make_questionnaire


@pytest.mark.parametrize(
    ("number", "text"),
    [(Decimal("12.5000"), "12,5"), (Decimal("1000.0000"), "1000"), (Decimal("0.0400"), "0,04")],
)
def test_numbers_lose_trailing_zeros_and_take_a_decimal_comma(number, text):
    assert format_number(number) == text


def test_values_are_formatted_by_the_question_kind():
    assert format_date(dt.date(2024, 3, 5)) == "05.03.2024"
    assert value_text(Question.Kind.DATE, date=dt.date(2024, 3, 5)) == "05.03.2024"
    assert value_text(Question.Kind.NUMBER, number=Decimal("3.0")) == "3"
    assert value_text(Question.Kind.FILE, text="", file_name="Приказ № 12.pdf") == "Приказ № 12.pdf"
    assert value_text(Question.Kind.LONG_TEXT, text="Приняты решения") == "Приняты решения"
    assert value_text(Question.Kind.NUMBER, number=None) == ""


@pytest.fixture
def submitted(db, cast):
    """A school's submitted answers: an option, a long text, a number and a date."""
    q = make_questionnaire("70")
    date_q = services.do_add_question(
        actor=None, questionnaire=q, text="Когда проведён педсовет?", kind=Question.Kind.DATE, required=False
    )
    a = make_assignment(q, director_school("70"))
    first, second, third = q.questions.order_by("position")[:3]
    yes = first.options.get(text="Да")
    data = form(
        **{
            f"q{first.pk}": str(yes.pk),
            f"q{second.pk}": "Приняты решения\nо курсах",
            f"q{third.pk}": "12,50",
            f"q{date_q.pk}": "2024-03-15",
        }
    )
    services.do_submit_response(actor=cast["tomsk-director"], assignment=a, data=data)
    answers = {x.question_id: x for x in Answer.objects.filter(response__assignment=a)}
    return {"q": q, "a": a, "questions": [first, second, third, date_q], "answers": answers}


def test_answer_text_is_what_every_page_and_file_shows(submitted, client_for):
    s = submitted
    first, second, third, date_q = s["questions"]
    texts = [answer_text(q, s["answers"][q.pk]) for q in s["questions"]]
    assert texts == ["Да", "Приняты решения\nо курсах", "12,5", "15.03.2024"]
    assert input_value(s["answers"][date_q.pk]) == "2024-03-15"  # what the date field starts with

    client = client_for("tomsk-coordinator")
    answer_page = client.get(f"/questionnaires/assignments/{s['a'].pk}/")  # read-only for the coordinator
    assert [it["text"] for it in answer_page.context["items"]] == texts
    html = answer_page.content.decode()
    assert "15.03.2024" in html and "2024-03-15" not in html and "Приняты решения<br>о курсах" in html

    results = client.get(f"/questionnaires/{s['q'].pk}/results/")
    shown = {e["question"].pk: [t["display"] for t in e["texts"]] for e in results.context["questions"]}
    assert shown[second.pk] == [texts[1]] and shown[third.pk] == [texts[2]] and shown[date_q.pk] == [texts[3]]

    pdf = client.get(f"/questionnaires/assignments/{s['a'].pk}/answers.pdf")
    pdf_text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "Приняты решения о курсах" in pdf_text and "12,5" in pdf_text and "15.03.2024" in pdf_text

    export = client.get(f"/questionnaires/{s['q'].pk}/results.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(export.content))["Ответы школ"]
    header_row = next(r for r in ws.iter_rows(min_row=1, max_row=6) if r[0].value == "Школа")
    headers = [c.value for c in header_row]
    row = {h: c for h, c in zip(headers, next(ws.iter_rows(min_row=header_row[0].row + 1)), strict=False)}

    def cell(q: Question):
        return next(c for h, c in row.items() if h.startswith(f"{q.number} "))

    assert cell(first).value == texts[0] and cell(second).value == texts[1]
    # In the spreadsheet the number and the date stay typed, shown the same way.
    assert cell(third).value == 12.5
    assert cell(date_q).value == dt.datetime(2024, 3, 15) and cell(date_q).number_format == "DD.MM.YYYY"
