"""Builders for questionnaire tests, and the URL walk's objects in both regions."""

import datetime as dt

from django.utils.datastructures import MultiValueDict

from questionnaires import services
from questionnaires.models import Assignment, Question, Questionnaire, Response
from schools.models import Organization, Region


def make_questionnaire(
    region_code: str, *, owner: Organization | None = None, publish: bool = True
) -> Questionnaire:
    region = Region.objects.get(code=region_code)
    owner = owner or Organization.objects.filter(region=region, kind=Organization.Kind.INSTITUTE).first()
    q = services.do_create_questionnaire(
        actor=None, owner=owner, title="Тестовая анкета", period_label="1-е полугодие 2023–2024 учебного года"
    )
    first = services.do_add_question(
        actor=None,
        questionnaire=q,
        text="Проведён анализ причин низких результатов?",
        kind=Question.Kind.SINGLE,
        options=["Да", "Нет"],
        other_text="Другое (написать конкретно)",
    )
    services.do_add_question(
        actor=None,
        questionnaire=q,
        text="Какие управленческие решения приняты?",
        kind=Question.Kind.LONG_TEXT,
        show_if_options=[first.options.get(text="Да")],
    )
    services.do_add_question(
        actor=None,
        questionnaire=q,
        text="Сколько учителей прошли курсы?",
        kind=Question.Kind.NUMBER,
        required=False,
    )
    if publish:
        services.do_set_status(actor=None, questionnaire=q, status=Questionnaire.Status.PUBLISHED)
    return q


DIRECTORS = {"70": "tomsk-director", "68": "tambov-director"}


def director_school(region_code: str) -> Organization:
    """The school of the region's standard demo director (tomsk-director, tambov-director)."""
    return Organization.objects.get(
        region__code=region_code,
        memberships__role="director",
        memberships__user__username=DIRECTORS[region_code],
    )


def make_assignment(
    questionnaire: Questionnaire, school: Organization, *, days: int = 10, **kwargs
) -> Assignment:
    deadline = services.region_today(questionnaire.region) + dt.timedelta(days=days)
    services.do_assign(actor=None, questionnaire=questionnaire, schools=[school], deadline=deadline, **kwargs)
    return Assignment.objects.get(questionnaire=questionnaire, school=school)


def add_questions(questionnaire: Questionnaire, count: int, *, choices_from: int = 1) -> dict:
    """``count`` questions added to a draft questionnaire — every ``choices_from``-th from the first
    a multiple choice of three options, the others short text — and answers to them, by field
    (two options chosen, or «Ответ»)."""
    answers: dict = {}
    for i in range(count):
        multiple = i % choices_from == choices_from - 1
        extra = services.do_add_question(
            actor=None,
            questionnaire=questionnaire,
            text=f"Вопрос {i}",
            kind=Question.Kind.MULTIPLE if multiple else Question.Kind.SHORT_TEXT,
            options=["Первый", "Второй", "Третий"] if multiple else None,
        )
        answers[f"q{extra.pk}"] = [o.pk for o in extra.options.all()[:2]] if multiple else "Ответ"
    return answers


def form(**values) -> MultiValueDict:
    data = MultiValueDict()
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def ensure_objects(region_code: str) -> None:
    """A questionnaire, question, option, assignment, response and answer in the region."""
    if answer_exists(region_code):
        return
    q = make_questionnaire(region_code)
    a = make_assignment(q, director_school(region_code))
    first = q.questions.order_by("position").first()
    services.do_save_draft(
        actor=None, assignment=a, data=form(**{f"q{first.pk}": str(first.options.first().pk)})
    )


def answer_exists(region_code: str) -> bool:
    return Response.objects.filter(region__code=region_code, answers__isnull=False).exists()
