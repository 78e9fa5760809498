"""Building a questionnaire: create, edit, publish, questions and options, copy."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import bump, check_version
from questionnaires import periods, rules
from questionnaires.models import Answer, Option, Question, Questionnaire, Response
from questionnaires.services.common import _require
from roadmaps.models import Item
from schools import access
from schools.models import Organization, Region, User

OTHER_DEFAULT = gettext_lazy("Другое (написать конкретно)")


def owner_choices(actor: User, region: Region) -> list[Organization]:
    """Organizations on whose behalf ``actor`` may build a questionnaire in ``region``."""
    scope = access.get_scope(actor)
    qs = Organization.objects.filter(region=region, kind__in=rules.OWNER_KINDS)
    if not scope.may_manage(region.pk):
        qs = qs.filter(municipality_id__in=scope.municipality_ids, kind__in=rules.MUNICIPAL_OWNER_KINDS)
    own = set(scope.organization_ids)
    return sorted(qs, key=lambda o: (o.pk not in own, o.short_name))


def _require_editable(questionnaire: Questionnaire) -> None:
    if questionnaire.status == Questionnaire.Status.CLOSED:
        raise ValidationError(_("Анкета закрыта: изменить её нельзя. Скопируйте её, чтобы сделать новую."))


@transaction.atomic
def do_create_questionnaire(
    *, actor: User | None, owner: Organization, title: str, period_label: str, intro: str = ""
) -> Questionnaire:
    _require(actor, rules.BUILD, owner)
    q = Questionnaire(
        owner=owner,
        region_id=owner.region_id,
        title=title.strip(),
        period_label=period_label.strip(),
        intro=intro.strip(),
        created_by=actor,
    )
    if not q.title:
        raise ValidationError({"title": _("Укажите название анкеты.")})
    if not q.period_label:
        raise ValidationError(
            {"period_label": _("Укажите период, например «1-е полугодие 2020–2021 учебного года».")}
        )
    q.full_clean()
    q.save()
    return q


@transaction.atomic
def do_update_questionnaire(
    *,
    actor: User,
    questionnaire: Questionnaire,
    title: str,
    period_label: str,
    intro: str,
    version: int | None = None,
) -> Questionnaire:
    _require(actor, rules.BUILD, questionnaire)
    _require_editable(questionnaire)
    if not title.strip() or not period_label.strip():
        raise ValidationError(_("Название и период анкеты обязательны."))
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    check_version(
        questionnaire,
        version,
        submitted={"title": title.strip(), "period_label": period_label.strip(), "intro": intro.strip()},
    )
    bump(questionnaire)
    questionnaire.title, questionnaire.period_label, questionnaire.intro = (
        title.strip(),
        period_label.strip(),
        intro.strip(),
    )
    questionnaire.save(update_fields=["title", "period_label", "intro", "version"])
    return questionnaire


def publish_problems(questionnaire: Questionnaire) -> list[str]:
    problems = []
    questions = list(questionnaire.questions.prefetch_related("options"))
    if not questions:
        problems.append(_("В анкете нет ни одного вопроса."))
    for q in questions:
        if q.is_choice and len(q.options.all()) < 2:
            problems.append(_("Вопрос %(n)s: нужно не меньше двух вариантов ответа.") % {"n": q.number})
    return problems


@transaction.atomic
def do_set_status(*, actor: User | None, questionnaire: Questionnaire, status: str) -> Questionnaire:
    _require(actor, rules.BUILD, questionnaire)
    if status not in Questionnaire.Status.values:
        raise ValidationError(_("Неизвестный статус анкеты."))
    if status == Questionnaire.Status.PUBLISHED:
        problems = publish_problems(questionnaire)
        if problems:
            raise ValidationError(problems)
    if status == Questionnaire.Status.DRAFT and questionnaire.assignments.exists():
        raise ValidationError(_("Анкета уже назначена школам: вернуть её в черновик нельзя."))
    questionnaire.status = status
    questionnaire.save(update_fields=["status"])
    return questionnaire


def _has_answers(questionnaire: Questionnaire) -> bool:
    return Response.objects.filter(assignment__questionnaire=questionnaire).exists()


def _clean_options(kind: str, options: list[str], other_text: str) -> tuple[list[str], str]:
    options = [o.strip() for o in options if o and o.strip()]
    other_text = (other_text or "").strip()
    if kind not in Question.CHOICE_KINDS:
        if options or other_text:
            raise ValidationError({"options": _("Варианты ответа бывают только у вопросов с выбором.")})
        return [], ""
    texts = [o.casefold() for o in options + ([other_text] if other_text else [])]
    if len(set(texts)) != len(texts):
        raise ValidationError({"options": _("Варианты ответа повторяются.")})
    if len(texts) < 2:
        raise ValidationError({"options": _("У вопроса с выбором нужно не меньше двух вариантов ответа.")})
    if any(len(t) > 500 for t in texts):
        raise ValidationError({"options": _("Вариант ответа длиннее 500 знаков.")})
    return options, other_text


def _check_condition(question: Question, show_if_options: list[Option]) -> Question | None:
    if not show_if_options:
        return None
    targets = {o.question_id for o in show_if_options}
    if len(targets) != 1:
        raise ValidationError({"show_if_options": _("Условие показа — варианты только одного вопроса.")})
    target = show_if_options[0].question
    if target.questionnaire_id != question.questionnaire_id:
        raise ValidationError({"show_if_options": _("Условие должно ссылаться на вопрос этой же анкеты.")})
    if not target.is_choice:
        raise ValidationError(
            {"show_if_options": _("Условие может ссылаться только на вопрос с вариантами ответа.")}
        )
    if question.pk == target.pk or target.position >= question.position:
        raise ValidationError(
            {"show_if_options": _("Условие должно ссылаться на один из предыдущих вопросов.")}
        )
    return target


def _check_roadmap_item(questionnaire: Questionnaire, item: Item | None) -> None:
    if item is not None and item.region_id != questionnaire.region_id:
        raise ValidationError({"roadmap_item": _("Мероприятие относится к другому региону.")})


def _save_options(question: Question, labels_texts: list[tuple[str, str, bool]]) -> None:
    """Update options in place by position, so answers and conditions stay attached."""
    existing = list(question.options.order_by("position", "pk"))
    for pos, (label, text, is_other) in enumerate(labels_texts, start=1):
        if pos <= len(existing):
            opt = existing[pos - 1]
            if (opt.label, opt.text, opt.is_other, opt.position) != (label, text, is_other, pos):
                opt.label, opt.text, opt.is_other, opt.position = label, text, is_other, pos
                opt.save()
        else:
            Option.objects.create(question=question, position=pos, label=label, text=text, is_other=is_other)
    surplus = existing[len(labels_texts) :]
    if surplus:
        if Answer.selected_options.through.objects.filter(option__in=surplus).exists():
            raise ValidationError(
                {"options": _("Удаляемый вариант уже выбран в ответах школ: удалить его нельзя.")}
            )
        Option.objects.filter(pk__in=[o.pk for o in surplus]).delete()


def _option_rows(options: list[str], other_text: str) -> list[tuple[str, str, bool]]:
    rows = [(f"{i}.", text, False) for i, text in enumerate(options, start=1)]
    if other_text:
        rows.append((f"{len(rows) + 1}.", other_text, True))
    return rows


def next_number(questionnaire: Questionnaire) -> str:
    numbers = [n.rstrip(".") for n in questionnaire.questions.values_list("number", flat=True)]
    ints = [int(n) for n in numbers if n.isdigit()]
    return f"{max(ints, default=0) + 1}."


@transaction.atomic
def do_add_question(
    *,
    actor: User | None,
    questionnaire: Questionnaire,
    text: str,
    kind: str,
    number: str = "",
    required: bool = True,
    help_text: str = "",
    options: list[str] | None = None,
    other_text: str = "",
    option_rows: list[tuple[str, str, bool]] | None = None,
    roadmap_item: Item | None = None,
    show_if_options: list[Option] | None = None,
) -> Question:
    """``option_rows`` (label, text, is_other) keeps numbering as written (the shipped template);
    the builder form passes plain ``options`` and the «Другое» text."""
    _require(actor, rules.BUILD, questionnaire)
    _require_editable(questionnaire)
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("Выберите тип вопроса.")})
    if option_rows is None:
        options, other_text = _clean_options(kind, options or [], other_text)
        option_rows = _option_rows(options, other_text)
    if not text.strip():
        raise ValidationError({"text": _("Напишите текст вопроса.")})
    number = number.strip() or next_number(questionnaire)
    if questionnaire.questions.filter(number=number).exists():
        raise ValidationError({"number": _("Вопрос с номером «%(n)s» уже есть в анкете.") % {"n": number}})
    _check_roadmap_item(questionnaire, roadmap_item)
    position = (questionnaire.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question(
        questionnaire=questionnaire,
        position=position,
        number=number,
        text=text.strip(),
        kind=kind,
        required=required,
        help_text=help_text.strip(),
        roadmap_item=roadmap_item,
    )
    question.show_if_question = _check_condition(question, show_if_options or [])
    question.save()
    if show_if_options:
        question.show_if_options.set(show_if_options)
    _save_options(question, option_rows)
    return question


@transaction.atomic
def do_update_question(
    *,
    actor: User,
    question: Question,
    text: str,
    kind: str,
    number: str,
    required: bool,
    help_text: str = "",
    options: list[str] | None = None,
    other_text: str = "",
    roadmap_item: Item | None = None,
    show_if_options: list[Option] | None = None,
    version: int | None = None,
) -> Question:
    questionnaire = question.questionnaire
    _require(actor, rules.BUILD, question)
    _require_editable(questionnaire)
    question = Question.objects.select_for_update().get(pk=question.pk)
    check_version(
        question,
        version,
        submitted={
            "number": number.strip(),
            "text": text.strip(),
            "kind": kind,
            "help_text": help_text.strip(),
        },
    )
    if kind != question.kind and question.answers.exists():
        raise ValidationError({"kind": _("На вопрос уже отвечали: тип ответа менять нельзя.")})
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("Выберите тип вопроса.")})
    options, other_text = _clean_options(kind, options or [], other_text)
    if not text.strip():
        raise ValidationError({"text": _("Напишите текст вопроса.")})
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Укажите номер вопроса.")})
    if questionnaire.questions.filter(number=number).exclude(pk=question.pk).exists():
        raise ValidationError({"number": _("Вопрос с номером «%(n)s» уже есть в анкете.") % {"n": number}})
    _check_roadmap_item(questionnaire, roadmap_item)
    if kind not in Question.CHOICE_KINDS and question.dependents.exists():
        raise ValidationError(
            {"kind": _("От ответа на этот вопрос зависят другие: он должен остаться с выбором.")}
        )
    question.text, question.kind, question.number = text.strip(), kind, number
    question.required, question.help_text, question.roadmap_item = required, help_text.strip(), roadmap_item
    question.show_if_question = _check_condition(question, show_if_options or [])
    bump(question)
    question.save()
    question.show_if_options.set(show_if_options or [])
    # Keep the written labels of options that stay (the template numbers «3.» twice).
    old = list(question.options.order_by("position", "pk"))
    rows = _option_rows(options, other_text)
    rows = [
        (old[i].label if i < len(old) and old[i].text == t else label, t, o)
        for i, (label, t, o) in enumerate(rows)
    ]
    _save_options(question, rows)
    return question


@transaction.atomic
def do_delete_question(*, actor: User, question: Question) -> None:
    _require(actor, rules.BUILD, question)
    _require_editable(question.questionnaire)
    if question.answers.exists():
        raise ValidationError(_("На вопрос уже отвечали: удалить его нельзя."))
    if question.dependents.exists():
        raise ValidationError(
            _("От ответа на этот вопрос зависит показ других: сначала уберите у них условие.")
        )
    question.delete()


@transaction.atomic
def do_move_question(*, actor: User, question: Question, up: bool) -> None:
    _require(actor, rules.BUILD, question)
    _require_editable(question.questionnaire)
    siblings = list(question.questionnaire.questions.order_by("position", "pk"))
    i = siblings.index(question)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(siblings):
        return
    siblings[i], siblings[j] = siblings[j], siblings[i]
    for pos, q in enumerate(siblings, start=1):
        q.position = pos
    order = {q.pk: q.position for q in siblings}
    for q in siblings:
        if q.show_if_question_id and order[q.show_if_question_id] >= q.position:
            raise ValidationError(
                _("Вопрос %(n)s показывается по ответу на вопрос выше: условие должно идти раньше.")
                % {"n": q.number}
            )
    Question.objects.bulk_update(siblings, ["position"])


@transaction.atomic
def do_copy_questionnaire(
    *, actor: User | None, source: Questionnaire, owner: Organization | None = None, period_label: str = ""
) -> Questionnaire:
    """A new draft for the next half-year with the same questions, options and conditions."""
    _require(actor, rules.COPY, source)
    if owner is None:
        scope = access.get_scope(actor) if actor else None
        if scope is None or rules.may_own(scope, source.owner):
            owner = source.owner
        else:
            owner = next(iter(owner_choices(actor, source.region)), None)
            if owner is None:
                raise ValidationError(_("Нет организации, от имени которой вы можете вести анкету."))
    _require(actor, rules.BUILD, owner)
    period_label = period_label or periods.next_label(source.period_label) or source.period_label
    title = source.title
    year = periods.start_year(period_label)
    if year:
        title = periods.shift_school_year(title, year)
    copy = Questionnaire.objects.create(
        owner=owner,
        title=title,
        period_label=period_label,
        intro=source.intro,
        copied_from=source,
        created_by=actor,
    )
    option_map: dict[int, Option] = {}
    question_map: dict[int, Question] = {}
    sources = list(source.questions.prefetch_related("options", "show_if_options").order_by("position", "pk"))
    for q in sources:
        new = Question.objects.create(
            questionnaire=copy,
            position=q.position,
            number=q.number,
            text=q.text,
            kind=q.kind,
            required=q.required,
            help_text=q.help_text,
            roadmap_item=q.roadmap_item
            if q.roadmap_item_id and owner.region_id == source.region_id
            else None,
            show_if_question=question_map.get(q.show_if_question_id),
        )
        question_map[q.pk] = new
        for o in q.options.all():
            option_map[o.pk] = Option.objects.create(
                question=new, position=o.position, label=o.label, text=o.text, is_other=o.is_other
            )
    for q in sources:
        wanted = [option_map[o.pk] for o in q.show_if_options.all() if o.pk in option_map]
        if wanted:
            question_map[q.pk].show_if_options.set(wanted)
    return copy


# --- Assigning --------------------------------------------------------------------------------
