"""Building questionnaires: validation, conditions, order, copying, publishing, the shipped template."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from questionnaires import services
from questionnaires.models import Question, Questionnaire
from schools.models import Organization
from tests.questionnaire_factories import make_questionnaire

pytestmark = pytest.mark.django_db


def imc():
    return Organization.objects.get(region__code="70", short_name="МАУ ИМЦ")


def test_it_ships_seed_003_as_a_published_template():
    q = Questionnaire.objects.get(is_template=True, owner__short_name="МАУ ИМЦ")
    assert q.status == "published"
    assert q.period_label == "1-е полугодие 2020–2021 учебного года"
    assert q.title.startswith("Выполнение Дорожной карты комплекса мероприятий поддержки")
    numbers = list(q.questions.order_by("position").values_list("number", flat=True))
    assert numbers == ["1.", "2.", "4.", "5.", "6.", "7.", "8.", "9.", "10.", "11."]
    assert set(q.questions.values_list("kind", flat=True)) == {"multiple"}
    q11 = q.questions.get(number="11.")
    assert list(q11.options.values_list("label", flat=True)) == ["1.", "2.", "3.", "3.", "4."]
    assert not q11.options.filter(is_other=True).exists()
    other = q.questions.get(number="1.").options.get(is_other=True)
    assert other.text == "Другое (написать конкретно)"


def test_it_requires_two_options_for_a_choice_question(cast):
    q = services.do_create_questionnaire(
        actor=cast["tomsk-municipal"], owner=imc(), title="А", period_label="П"
    )
    with pytest.raises(ValidationError) as exc:
        services.do_add_question(
            actor=cast["tomsk-municipal"],
            questionnaire=q,
            text="Вопрос",
            kind="single",
            options=["Да"],
            other_text="",
        )
    assert "не меньше двух" in str(exc.value)
    with pytest.raises(ValidationError):
        services.do_add_question(
            actor=cast["tomsk-municipal"], questionnaire=q, text="В", kind="single", options=["Да", "да"]
        )
    question = services.do_add_question(
        actor=cast["tomsk-municipal"],
        questionnaire=q,
        text="В",
        kind="single",
        options=["Да"],
        other_text="Другое",
    )
    assert [(o.text, o.is_other) for o in question.options.all()] == [("Да", False), ("Другое", True)]


def test_it_rejects_duplicate_numbers_and_publishing_an_empty_questionnaire(cast):
    q = services.do_create_questionnaire(
        actor=cast["tomsk-coordinator"], owner=imc(), title="А", period_label="П"
    )
    with pytest.raises(ValidationError):
        services.do_set_status(actor=cast["tomsk-coordinator"], questionnaire=q, status="published")
    services.do_add_question(
        actor=cast["tomsk-coordinator"], questionnaire=q, text="В", kind="short_text", number="1."
    )
    with pytest.raises(ValidationError):
        services.do_add_question(
            actor=cast["tomsk-coordinator"], questionnaire=q, text="Г", kind="short_text", number="1."
        )
    services.do_set_status(actor=cast["tomsk-coordinator"], questionnaire=q, status="published")


def test_a_condition_must_point_to_an_earlier_choice_question(cast):
    actor = cast["tomsk-coordinator"]
    q = make_questionnaire("70")
    first, second, third = q.questions.order_by("position")
    with pytest.raises(ValidationError) as exc:
        services.do_update_question(
            actor=actor,
            question=first,
            text=first.text,
            kind=first.kind,
            number=first.number,
            required=True,
            options=["Да", "Нет"],
            other_text="Другое (написать конкретно)",
            show_if_options=[first.options.first()],
        )
    assert "предыдущих" in str(exc.value)
    other = make_questionnaire("70")
    with pytest.raises(ValidationError):
        services.do_update_question(
            actor=actor,
            question=third,
            text=third.text,
            kind=third.kind,
            number=third.number,
            required=False,
            show_if_options=[other.questions.order_by("position").first().options.first()],
        )
    # Moving the dependent question above its condition is refused.
    with pytest.raises(ValidationError):
        services.do_move_question(actor=actor, question=second, up=True)
    services.do_move_question(actor=actor, question=third, up=True)
    assert list(q.questions.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]


def test_it_copies_a_questionnaire_for_the_next_half_year(cast):
    template = Questionnaire.objects.get(is_template=True, owner__short_name="МАУ ИМЦ")
    source = make_questionnaire("70")
    copy = services.do_copy_questionnaire(actor=cast["tomsk-municipal"], source=template)
    assert copy.period_label == "2-е полугодие 2020–2021 учебного года"
    assert copy.status == "draft" and not copy.is_template and copy.copied_from == template
    assert copy.owner.short_name == "МАУ ИМЦ"
    assert copy.questions.count() == template.questions.count()
    again = services.do_copy_questionnaire(actor=cast["tomsk-coordinator"], source=copy)
    assert again.period_label == "1-е полугодие 2021–2022 учебного года"
    assert "2021 – 2022 учебный год" in again.title
    dup = services.do_copy_questionnaire(actor=cast["tomsk-coordinator"], source=source)
    dependent = dup.questions.get(show_if_question__isnull=False)
    assert dependent.show_if_question.questionnaire == dup
    assert [o.question.questionnaire_id for o in dependent.show_if_options.all()] == [dup.pk]


def test_a_municipal_official_builds_only_for_their_own_body(cast):
    zyr = Organization.objects.get(short_name="УО Зырянского района")
    with pytest.raises(PermissionDenied):
        services.do_create_questionnaire(
            actor=cast["tomsk-municipal"], owner=zyr, title="А", period_label="П"
        )
    with pytest.raises(PermissionDenied):
        services.do_create_questionnaire(
            actor=cast["tomsk-department"], owner=imc(), title="А", period_label="П"
        )
    q = services.do_create_questionnaire(
        actor=cast["zyryanka-municipal"], owner=zyr, title="А", period_label="П"
    )
    assert q.region.code == "70"


def test_the_builder_pages_work_for_a_municipal_official(client_for):
    client = client_for("tomsk-municipal")
    response = client.post(
        "/regions/70/questionnaires/new/",
        {
            "owner": imc().pk,
            "title": "Анкета по итогам года",
            "period_label": "2-е полугодие 2023–2024 учебного года",
        },
    )
    q = Questionnaire.objects.get(title="Анкета по итогам года")
    assert response.status_code == 302
    response = client.post(
        f"/questionnaires/{q.pk}/questions/new/",
        {
            "text": "Что сделано?",
            "kind": "multiple",
            "options": "Анализ\nПлан",
            "other_text": "Другое",
            "required": "on",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        f"/questionnaires/{q.pk}/questions/new/", {"text": "Один", "kind": "single", "options": "Да"}
    )
    assert bad.status_code == 200 and "не меньше двух" in bad.content.decode()
    question = q.questions.get()
    assert question.number == "1." and question.kind == Question.Kind.MULTIPLE
    client.post(f"/questionnaires/{q.pk}/status/", {"status": "published"})
    q.refresh_from_db()
    assert q.status == "published"
    assert client.get(f"/questionnaires/{q.pk}/").status_code == 200


def test_a_director_cannot_open_the_builder(client_for):
    q = Questionnaire.objects.get(is_template=True)
    client = client_for("tomsk-director")
    assert client.get(f"/questionnaires/{q.pk}/").status_code == 404  # templates are not assigned to schools
    copy = Questionnaire.objects.get(copied_from=q)
    assert client.get(f"/questionnaires/{copy.pk}/").status_code == 200
    assert client.get(f"/questionnaires/{copy.pk}/questions/new/").status_code == 403
    assert client.get(f"/questionnaires/{copy.pk}/tracking/").status_code == 403
