"""Writes for questionnaires: building, copying, assigning, answering, reopening, reminders.

Each write is one transaction and checks the gate itself (``access.require``), so a view, a
command or a task cannot skip it; e-mails leave only after the transaction commits. ``actor=None``
is the system (the demo loader, the scheduled reminder run).
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from questionnaires import answering, periods, rules
from questionnaires.models import Answer, Assignment, Option, Question, Questionnaire, Response
from roadmaps.models import Item
from roadmaps.schedule import due_datetime
from schools import access
from schools.models import Membership, Organization, Region, User

OTHER_DEFAULT = "Другое (написать конкретно)"


class AnswerErrors(DomainError):
    """Problems of a submission, per question id, to show next to each question."""

    def __init__(self, errors: dict[int, str]):
        self.by_question = errors
        super().__init__(_("Проверьте ответы: %(n)s.") % {"n": len(errors)})

    def api_fields(self) -> dict[str, list[str]]:
        return {f"q{qid}": [msg] for qid, msg in self.by_question.items()}


def _require(actor: User | None, action: str, obj) -> None:
    if actor is not None:
        access.require(actor, action, obj)


def region_today(region: Region, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(region.tzinfo).date()


# --- Building ---------------------------------------------------------------------------------


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
    *, actor: User, questionnaire: Questionnaire, title: str, period_label: str, intro: str
) -> Questionnaire:
    _require(actor, rules.BUILD, questionnaire)
    _require_editable(questionnaire)
    if not title.strip() or not period_label.strip():
        raise ValidationError(_("Название и период анкеты обязательны."))
    questionnaire.title, questionnaire.period_label, questionnaire.intro = (
        title.strip(),
        period_label.strip(),
        intro.strip(),
    )
    questionnaire.save(update_fields=["title", "period_label", "intro"])
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
) -> Question:
    questionnaire = question.questionnaire
    _require(actor, rules.BUILD, question)
    _require_editable(questionnaire)
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


@transaction.atomic
def do_assign(
    *,
    actor: User | None,
    questionnaire: Questionnaire,
    schools: Iterable[Organization],
    deadline: dt.date,
    lock_date: dt.date | None = None,
) -> tuple[int, int]:
    """Assign to schools (or move the dates of existing assignments). Returns (created, updated)."""
    _require(actor, rules.ASSIGN, questionnaire)
    if questionnaire.is_template:
        raise ValidationError(
            _("Это шаблон: скопируйте его («Копировать на следующее полугодие») и назначьте копию.")
        )
    if questionnaire.status != Questionnaire.Status.PUBLISHED:
        raise ValidationError(_("Сначала опубликуйте анкету: назначить можно только опубликованную."))
    region = questionnaire.region
    if actor is not None and deadline < region_today(region):
        raise ValidationError(
            {"deadline": _("Срок уже прошёл: выберите сегодняшнюю или более позднюю дату.")}
        )
    if lock_date and lock_date < deadline:
        raise ValidationError({"lock_date": _("Дата закрытия ответов не может быть раньше срока.")})
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": _("Выберите хотя бы одну школу.")})
    scope = access.get_scope(actor) if actor else None
    for school in schools:
        if school.kind != Organization.Kind.SCHOOL or school.region_id != region.pk:
            raise ValidationError({"schools": _("Анкету назначают только школам своего региона.")})
        if scope and not scope.may_manage(region.pk) and school.municipality_id not in scope.municipality_ids:
            raise ValidationError(
                {"schools": _("«%(s)s» — школа другого муниципалитета.") % {"s": school.short_name}}
            )
    existing = {a.school_id: a for a in questionnaire.assignments.filter(school__in=schools)}
    created = updated = 0
    for school in schools:
        a = existing.get(school.pk)
        if a is None:
            Assignment.objects.create(
                questionnaire=questionnaire,
                school=school,
                deadline=deadline,
                lock_date=lock_date,
                created_by=actor,
            )
            created += 1
        elif (a.deadline, a.lock_date) != (deadline, lock_date):
            if a.deadline != deadline:
                a.auto_reminder_sent_at = None  # a new deadline deserves a new reminder
            a.deadline, a.lock_date = deadline, lock_date
            a.save(update_fields=["deadline", "lock_date", "auto_reminder_sent_at"])
            updated += 1
    return created, updated


@transaction.atomic
def do_reopen(*, actor: User, assignment: Assignment, until: dt.date) -> Assignment:
    """Let one school change its answers after the lock date, until the end of ``until``."""
    _require(actor, rules.REOPEN, assignment)
    if until < region_today(assignment.region):
        raise ValidationError(_("Дата повторного открытия уже прошла."))
    assignment.reopened_until = due_datetime(until, assignment.region.tzinfo)
    assignment.reopened_by = actor
    assignment.save(update_fields=["reopened_until", "reopened_by"])
    return assignment


# --- Answering --------------------------------------------------------------------------------


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.prefetch_related("options", "show_if_options").order_by("position", "pk")
    )


def _require_open(assignment: Assignment) -> None:
    q = assignment.questionnaire
    if q.status == Questionnaire.Status.DRAFT:
        raise ValidationError(_("Анкета ещё не опубликована."))
    if assignment.is_locked():
        raise ValidationError(
            _("Приём ответов закрыт. Если нужно что-то исправить, обратитесь к координатору.")
        )


def _store(
    response: Response, questions: list[Question], values: dict[int, answering.Value], *, keep: set[int]
):
    """Write answers for the questions in ``keep``; drop the rest."""
    existing = {a.question_id: a for a in response.answers.all()}
    drop = []
    for q in questions:
        v = values.get(q.pk) or answering.Value()
        a = existing.get(q.pk)
        keeps_file = bool(a and a.file and not v.clear_file and q.kind == Question.Kind.FILE)
        if q.pk not in keep or (v.is_empty() and not keeps_file):
            if a is not None:
                drop.append(a)
            continue
        if a is None:
            a = Answer(response=response, question=q, region_id=response.region_id)
        a.text, a.number, a.date, a.other_text = v.text, v.number, v.date, v.other_text
        if q.kind == Question.Kind.FILE and (v.upload or v.clear_file):
            if a.file:
                a.file.delete(save=False)
            a.file, a.file_name = None, ""
            if v.upload:
                a.file_name = (v.upload_name or v.upload.name or "file")[-255:]
                a.file.save(v.upload.name or "file", v.upload, save=False)
        a.save()
        if q.is_choice:
            a.selected_options.set(v.option_ids)
    for a in drop:
        if a.file:
            a.file.delete(save=False)
        a.delete()


def _response_for(assignment: Assignment, actor: User | None) -> Response:
    response, _created = Response.objects.select_for_update().get_or_create(
        assignment=assignment, defaults={"region_id": assignment.region_id, "updated_by": actor}
    )
    return response


def _selected(values: dict[int, answering.Value]) -> dict[int, set[int]]:
    return {qid: set(v.option_ids) for qid, v in values.items()}


@transaction.atomic
def do_save_draft(
    *, actor: User | None, assignment: Assignment, data, files=None
) -> tuple[Response, dict[int, str]]:
    """Save what is there, even incomplete; values that cannot be read come back as errors and
    are not saved. Answers to hidden questions are kept in a draft (the director may switch back)."""
    _require(actor, rules.ANSWER, assignment)
    _require_open(assignment)
    response = _response_for(assignment, actor)
    if response.status == Response.Status.SUBMITTED:
        raise ValidationError(
            _("Анкета уже отправлена: чтобы изменить ответы, нажмите «Сохранить изменения».")
        )
    questions = questions_of(assignment.questionnaire)
    values, errors = answering.parse(questions, data, files or {})
    _store(response, questions, values, keep={q.pk for q in questions if q.pk not in errors})
    response.updated_at, response.updated_by = timezone.now(), actor
    response.save(update_fields=["updated_at", "updated_by"])
    return response, errors


@transaction.atomic
def do_submit_response(*, actor: User | None, assignment: Assignment, data, files=None) -> Response:
    """Validate everything and submit (or re-submit edits). Hidden questions are ignored and their
    answers dropped. Raises AnswerErrors with a message per question; then nothing is saved."""
    _require(actor, rules.ANSWER, assignment)
    _require_open(assignment)
    response = _response_for(assignment, actor)
    questions = questions_of(assignment.questionnaire)
    values, errors = answering.parse(questions, data, files or {})
    shown = answering.visible_ids(questions, _selected(values))
    has_file = set(response.answers.exclude(file="").values_list("question_id", flat=True))
    errors = {qid: msg for qid, msg in errors.items() if qid in shown}
    for qid, msg in answering.completeness_errors(questions, values, shown, has_file).items():
        errors.setdefault(qid, msg)
    if errors:
        raise AnswerErrors(errors)
    _store(response, questions, values, keep=shown)
    now = timezone.now()
    first = response.status != Response.Status.SUBMITTED
    response.status = Response.Status.SUBMITTED
    response.updated_at, response.updated_by = now, actor
    if first or response.submitted_at is None:
        response.submitted_at, response.submitted_by = now, actor
    response.save()
    return response


# --- Reminders --------------------------------------------------------------------------------


def director_recipients(school_ids: Iterable[int]) -> dict[int, list[User]]:
    rows = (
        Membership.objects.filter(
            organization_id__in=list(school_ids), role=Membership.Role.DIRECTOR, user__is_active=True
        )
        .exclude(user__email="")
        .filter(user__email_reminders=True)
        .select_related("user")
    )
    out: dict[int, list[User]] = {}
    for m in rows:
        out.setdefault(m.organization_id, []).append(m.user)
    return out


def pending_assignments(questionnaire: Questionnaire):
    return questionnaire.assignments.exclude(response__status=Response.Status.SUBMITTED)


@transaction.atomic
def do_send_reminders(
    *, actor: User, questionnaire: Questionnaire, assignment_ids: list[int] | None = None
) -> int:
    """The «Напомнить» button: e-mail the directors of schools that have not submitted (those the
    actor tracks). Returns how many schools were reminded."""
    from questionnaires import tasks

    _require(actor, rules.REMIND, questionnaire)
    qs = pending_assignments(questionnaire).visible_to(actor)
    if assignment_ids is not None:
        qs = qs.filter(pk__in=assignment_ids)
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return 0
    Assignment.objects.filter(pk__in=ids).update(reminder_sent_at=timezone.now())
    transaction.on_commit(lambda: tasks.email_reminders.delay(ids))
    return len(ids)


@transaction.atomic
def do_send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """The automatic reminder on the day before the deadline (in each region's own time). Each
    assignment is claimed with a conditional UPDATE, so overlapping runs send it once."""
    from questionnaires import tasks

    now = now or timezone.now()
    claimed: list[int] = []
    for region in Region.objects.all():
        tomorrow = region_today(region, now) + dt.timedelta(days=1)
        candidates = (
            Assignment.objects.filter(
                region=region,
                deadline=tomorrow,
                auto_reminder_sent_at__isnull=True,
                questionnaire__status=Questionnaire.Status.PUBLISHED,
            )
            .exclude(response__status=Response.Status.SUBMITTED)
            .values_list("pk", flat=True)
        )
        for pk in candidates:
            if Assignment.objects.filter(pk=pk, auto_reminder_sent_at__isnull=True).update(
                auto_reminder_sent_at=now, reminder_sent_at=now
            ):
                claimed.append(pk)
    if claimed:
        transaction.on_commit(lambda: tasks.email_reminders.delay(claimed))
    return len(claimed)


def send_reminder_emails(*, assignment_ids: list[int]) -> int:
    """Send the reminder letters (called by the task after commit). Opted-out users get none."""
    from django.conf import settings
    from django.core.mail import send_mass_mail
    from django.template.loader import render_to_string

    assignments = list(
        Assignment.objects.filter(pk__in=assignment_ids)
        .exclude(response__status=Response.Status.SUBMITTED)
        .select_related("questionnaire", "school", "region")
    )
    recipients = director_recipients(a.school_id for a in assignments)
    messages = []
    for a in assignments:
        for user in recipients.get(a.school_id, []):
            ctx = {
                "assignment": a,
                "user": user,
                "questionnaire": a.questionnaire,
                "school": a.school,
                "portal_url": getattr(settings, "PORTAL_URL", ""),
            }
            subject = render_to_string("questionnaires/email/reminder_subject.txt", ctx).strip()
            body = render_to_string("questionnaires/email/reminder.txt", ctx)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)
