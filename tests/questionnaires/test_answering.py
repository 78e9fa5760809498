"""Answering: drafts, conditions, validation, submission, locking, reopening, files, PDF."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from questionnaires import services
from questionnaires.models import Answer, Assignment, Question, Questionnaire, Response
from tests.questionnaire_factories import (
    add_questions,
    director_school,
    form,
    make_assignment,
    make_questionnaire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast):
    q = make_questionnaire("70")
    a = make_assignment(q, director_school("70"))
    first, second, third = q.questions.order_by("position")
    yes, no, other = first.options.order_by("position")
    return {
        "q": q,
        "a": a,
        "first": first,
        "second": second,
        "third": third,
        "yes": yes,
        "no": no,
        "other": other,
    }


def test_it_saves_a_partial_draft_and_reports_unreadable_values(cast, setup):
    s = setup
    data = form(**{f"q{s['first'].pk}": str(s["yes"].pk), f"q{s['third'].pk}": "двенадцать"})
    response, errors = services.do_save_draft(actor=cast["tomsk-director"], assignment=s["a"], data=data)
    assert response.status == "draft"
    assert list(errors) == [s["third"].pk] and "число" in errors[s["third"].pk]
    assert Answer.objects.get(response=response, question=s["first"]).selected_options.get() == s["yes"]
    assert not Answer.objects.filter(response=response, question=s["third"]).exists()
    # Resume later: the next save keeps building on the same response.
    data[f"q{s['third'].pk}"] = "12,5"
    response2, errors = services.do_save_draft(actor=cast["tomsk-director"], assignment=s["a"], data=data)
    assert response2.pk == response.pk and not errors
    assert Answer.objects.get(response=response, question=s["third"]).number == pytest.approx(12.5)


def test_it_requires_answers_to_shown_questions_only(cast, setup):
    s = setup
    with pytest.raises(services.AnswerErrors) as exc:
        services.do_submit_response(actor=cast["tomsk-director"], assignment=s["a"], data=form())
    assert set(exc.value.by_question) == {s["first"].pk}  # the conditional one is hidden, the number optional
    with pytest.raises(services.AnswerErrors) as exc:
        services.do_submit_response(
            actor=cast["tomsk-director"],
            assignment=s["a"],
            data=form(**{f"q{s['first'].pk}": str(s["yes"].pk)}),
        )
    assert set(exc.value.by_question) == {s["second"].pk}
    assert not Response.objects.filter(assignment=s["a"], status="submitted").exists()


def test_it_ignores_answers_of_hidden_questions_on_submit(cast, setup):
    s = setup
    data = form(**{f"q{s['first'].pk}": str(s["yes"].pk), f"q{s['second'].pk}": "Педсовет"})
    services.do_save_draft(actor=cast["tomsk-director"], assignment=s["a"], data=data)
    data[f"q{s['first'].pk}"] = str(s["no"].pk)  # the director changes their mind: question 2 disappears
    response = services.do_submit_response(actor=cast["tomsk-director"], assignment=s["a"], data=data)
    assert response.status == "submitted" and response.submitted_by == cast["tomsk-director"]
    assert list(response.answers.values_list("question_id", flat=True)) == [s["first"].pk]


def test_other_needs_its_text(cast, setup):
    s = setup
    data = form(**{f"q{s['first'].pk}": str(s["other"].pk)})
    with pytest.raises(services.AnswerErrors) as exc:
        services.do_submit_response(actor=cast["tomsk-director"], assignment=s["a"], data=data)
    assert "напишите свой ответ" in exc.value.by_question[s["first"].pk]
    data[f"q{s['first'].pk}_other"] = "Анализ проведён с методистом ИМЦ"
    response = services.do_submit_response(actor=cast["tomsk-director"], assignment=s["a"], data=data)
    assert response.answers.get().other_text == "Анализ проведён с методистом ИМЦ"


def test_only_the_schools_director_answers(cast, setup):
    s = setup
    for username in ("tomsk-coordinator", "tomsk-municipal", "tomsk-department", "cherdaty-director"):
        with pytest.raises(PermissionDenied):
            services.do_save_draft(actor=cast[username], assignment=s["a"], data=form())


def test_it_locks_answers_after_the_lock_date_and_a_coordinator_reopens(cast, setup):
    s = setup
    a = s["a"]
    data = form(**{f"q{s['first'].pk}": str(s["no"].pk)})
    services.do_submit_response(actor=cast["tomsk-director"], assignment=a, data=data)
    yesterday = services.region_today(a.region) - dt.timedelta(days=1)
    Assignment.objects.filter(pk=a.pk).update(deadline=yesterday - dt.timedelta(days=5), lock_date=yesterday)
    a.refresh_from_db()
    assert a.is_locked()
    with pytest.raises(ValidationError):
        services.do_submit_response(actor=cast["tomsk-director"], assignment=a, data=data)
    with pytest.raises(PermissionDenied):
        services.do_reopen(
            actor=cast["tomsk-department"], assignment=a, until=yesterday + dt.timedelta(days=3)
        )
    services.do_reopen(actor=cast["tomsk-coordinator"], assignment=a, until=yesterday + dt.timedelta(days=3))
    a.refresh_from_db()
    assert not a.is_locked()
    data[f"q{s['first'].pk}"] = str(s["yes"].pk)
    data[f"q{s['second'].pk}"] = "Принято решение о наставничестве"
    services.do_submit_response(actor=cast["tomsk-director"], assignment=a, data=data)
    assert a.is_locked(timezone.now() + dt.timedelta(days=5))


def test_it_checks_files_by_content(cast, setup):
    s = setup
    fq = services.do_add_question(
        actor=None, questionnaire=s["q"], text="Приложите приказ", kind=Question.Kind.FILE
    )
    fake = SimpleUploadedFile("order.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    _r, errors = services.do_save_draft(
        actor=cast["tomsk-director"], assignment=s["a"], data=form(), files={f"q{fq.pk}": fake}
    )
    assert "не похоже на документ" in errors[fq.pk]
    pdf = SimpleUploadedFile("Приказ № 12.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response, errors = services.do_save_draft(
        actor=cast["tomsk-director"], assignment=s["a"], data=form(), files={f"q{fq.pk}": pdf}
    )
    answer = response.answers.get(question=fq)
    assert not errors and answer.file_name == "Приказ № 12.pdf"
    assert "Приказ" not in answer.file.name and answer.file.name.endswith(".pdf")
    # Only through the gate, always as a download.
    from django.test import Client

    client = Client()
    client.force_login(cast["tomsk-director"])
    download = client.get(f"/questionnaires/answers/{answer.pk}/file/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.force_login(cast["cherdaty-director"])
    assert client.get(f"/questionnaires/answers/{answer.pk}/file/").status_code == 404
    answer.file.delete(save=False)


def test_the_answer_page_autosaves_and_shows_problems_next_to_questions(client_for, setup):
    s = setup
    client = client_for("tomsk-director")
    page = client.get(f"/questionnaires/assignments/{s['a'].pk}/")
    assert page.status_code == 200 and "questionnaire.js" in page.content.decode()
    saved = client.post(f"/questionnaires/assignments/{s['a'].pk}/autosave/", {f"q{s['third'].pk}": "abc"})
    body = saved.json()
    assert body["ok"] and body["saved_at"] and f"q{s['third'].pk}" in body["errors"]
    submit = client.post(f"/questionnaires/assignments/{s['a'].pk}/", {"action": "submit"})
    assert submit.status_code == 400
    html = submit.content.decode()
    assert f'id="q{s["first"].pk}-error"' in html and "обязательный" in html
    ok = client.post(
        f"/questionnaires/assignments/{s['a'].pk}/", {"action": "submit", f"q{s['first'].pk}": s["no"].pk}
    )
    assert ok.status_code == 302
    pdf = client.get(f"/questionnaires/assignments/{s['a'].pk}/answers.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Тестовая анкета" in text and "Страница 1 из 1" in text


def test_the_draft_button_works_without_javascript(client_for, setup):
    s = setup
    client = client_for("tomsk-director")
    response = client.post(
        f"/questionnaires/assignments/{s['a'].pk}/", {"action": "draft", f"q{s['first'].pk}": s["yes"].pk}
    )
    assert response.status_code == 302
    assert Response.objects.get(assignment=s["a"]).status == "draft"
    page = client.get(f"/questionnaires/assignments/{s['a'].pk}/").content.decode()
    assert f'value="{s["yes"].pk}" checked' in page


def test_resubmitting_changes_options_and_drops_hidden_answers(cast, setup):
    s = setup
    director = cast["tomsk-director"]
    first, second, third = f"q{s['first'].pk}", f"q{s['second'].pk}", f"q{s['third'].pk}"
    data = form(**{first: str(s["yes"].pk), second: "Решения приняты", third: "3"})
    response = services.do_submit_response(actor=director, assignment=s["a"], data=data)
    data = form(**{first: str(s["no"].pk), second: "Решения приняты", third: "4"})
    services.do_submit_response(actor=director, assignment=s["a"], data=data)
    answers = {a.question_id: a for a in Answer.objects.filter(response=response)}
    assert set(answers) == {s["first"].pk, s["third"].pk}  # the second is hidden after «Нет»
    assert list(answers[s["first"].pk].selected_options.all()) == [s["no"]]
    assert answers[s["third"].pk].number == 4


def _queries_to_open_and_submit(client, assignment: Assignment, data: dict) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/questionnaires/assignments/{assignment.pk}/"
    with CaptureQueriesContext(connection) as opened:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as submitted:
        assert client.post(url, {**data, "action": "submit"}).status_code == 302
    return len(opened), len(submitted)


def test_opening_and_submitting_take_the_same_queries_whatever_the_number_of_questions(client_for, setup):
    """The deadline evening (README «Нагрузка на 85 регионах»): no query per question or option."""
    s = setup
    client = client_for("tomsk-director")
    small = _queries_to_open_and_submit(
        client,
        s["a"],
        {f"q{s['first'].pk}": s["yes"].pk, f"q{s['second'].pk}": "Да", f"q{s['third'].pk}": "2"},
    )
    q = make_questionnaire("70", publish=False)
    data = add_questions(q, 12, choices_from=2)
    first, second, third = q.questions.order_by("position")[:3]
    data.update({f"q{first.pk}": first.options.get(text="Да").pk, f"q{second.pk}": "Да", f"q{third.pk}": "2"})
    services.do_set_status(actor=None, questionnaire=q, status=Questionnaire.Status.PUBLISHED)
    large = _queries_to_open_and_submit(client, make_assignment(q, director_school("70")), data)
    assert large == small
    assert small[0] <= 9 and small[1] <= 18, small  # session, gate, questions with options; answers in bulk
