"""Answering: drafts saved as typed, a submission checked as a whole (nothing saved if it fails)."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from core.errors import ConflictError
from core.files import delete_after_commit, files_atomic, save_file
from questionnaires import answering, rules
from questionnaires.models import Answer, Assignment, Question, Questionnaire, Response
from questionnaires.services.common import AnswerErrors, _require
from schools.models import User


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.prefetch_related("options", "show_if_options").order_by("position", "pk")
    )


def _require_open(assignment: Assignment) -> None:
    q = assignment.questionnaire
    if q.status == Questionnaire.Status.DRAFT:
        raise ConflictError(_("Анкета ещё не опубликована."))
    if assignment.is_locked():
        raise ConflictError(
            _("Приём ответов закрыт. Если нужно что-то исправить, обратитесь к координатору.")
        )


def _store(
    response: Response,
    questions: list[Question],
    values: dict[int, answering.Value],
    *,
    keep: set[int],
    existing: dict[int, Answer] | None = None,
) -> None:
    """Write answers for the questions in ``keep``; drop the rest.

    A handful of queries whatever the number of questions: new answers in one INSERT, changed
    ones in one UPDATE, chosen options compared with what is stored and changed in one DELETE and
    one INSERT (answers with a file are saved one by one, the file goes with them)."""
    if existing is None:
        existing = _existing(response)
    drop, new, changed = [], [], []
    chosen: dict[int, list[int]] = {}  # question id → option ids, for choice questions kept
    for q in questions:
        v = values.get(q.pk) or answering.Value()
        a = existing.get(q.pk)
        keeps_file = bool(a and a.file and not v.clear_file and q.kind == Question.Kind.FILE)
        if q.pk not in keep or (v.is_empty() and not keeps_file):
            if a is not None:
                drop.append(a)
            continue
        created = a is None
        if a is None:
            a = Answer(response=response, question=q, region_id=response.region_id)
        a.text, a.number, a.date, a.other_text = v.text, v.number, v.date, v.other_text
        if q.kind == Question.Kind.FILE:
            if v.upload or v.clear_file:
                # The old file goes only when this save commits; the new one is removed if it fails.
                delete_after_commit(a.file)
                a.file, a.file_name = None, ""
                if v.upload:
                    a.file_name = (v.upload_name or v.upload.name or "file")[-255:]
                    save_file(a.file, v.upload.name or "file", v.upload)
            a.save()
        elif created:
            new.append(a)
        else:
            changed.append(a)
        if q.is_choice:
            chosen[q.pk] = v.option_ids
    Answer.objects.bulk_create(new)
    Answer.objects.bulk_update(changed, ["text", "number", "date", "other_text"])
    _store_options(existing, [a for a in [*new, *changed] if a.question_id in chosen], chosen)
    if drop:
        for a in drop:
            delete_after_commit(a.file)
        Answer.objects.filter(pk__in=[a.pk for a in drop]).delete()


def _store_options(existing: dict[int, Answer], answers: list[Answer], chosen: dict[int, list[int]]) -> None:
    """The chosen options of ``answers`` made equal to ``chosen`` (by question id)."""
    through = Answer.selected_options.through
    stored: dict[int, set[int]] = {}
    old_ids = [a.pk for a in answers if existing.get(a.question_id) is a]
    if old_ids:
        for answer_id, option_id in through.objects.filter(answer_id__in=old_ids).values_list(
            "answer_id", "option_id"
        ):
            stored.setdefault(answer_id, set()).add(option_id)
    add, remove = [], []
    for a in answers:
        want, have = set(chosen[a.question_id]), stored.get(a.pk, set())
        add += [through(answer_id=a.pk, option_id=o) for o in want - have]
        remove += [(a.pk, o) for o in have - want]
    if remove:
        condition = Q()
        for answer_id, option_id in remove:
            condition |= Q(answer_id=answer_id, option_id=option_id)
        through.objects.filter(condition).delete()
    through.objects.bulk_create(add)


def _existing(response: Response) -> dict[int, Answer]:
    """The stored answers by question id (none to read for a response just created)."""
    if getattr(response, "_just_created", False):
        return {}
    return {a.question_id: a for a in response.answers.all()}


def _response_for(assignment: Assignment, actor: User | None) -> Response:
    response, created = Response.objects.select_for_update().get_or_create(
        assignment=assignment, defaults={"region_id": assignment.region_id, "updated_by": actor}
    )
    response._just_created = created
    return response


def _selected(values: dict[int, answering.Value]) -> dict[int, set[int]]:
    return {qid: set(v.option_ids) for qid, v in values.items()}


@files_atomic
def do_save_draft(
    *,
    actor: User | None,
    assignment: Assignment,
    data: MultiValueDict,
    files: Mapping[str, Any] | None = None,
) -> tuple[Response, dict[int, str]]:
    """Save what is there, even incomplete; values that cannot be read come back as errors and
    are not saved. Answers to hidden questions are kept in a draft (the director may switch back)."""
    _require(actor, rules.ANSWER, assignment)
    _require_open(assignment)
    response = _response_for(assignment, actor)
    if response.status == Response.Status.SUBMITTED:
        raise ConflictError(_("Анкета уже отправлена: чтобы изменить ответы, нажмите «Сохранить изменения»."))
    questions = questions_of(assignment.questionnaire)
    values, errors = answering.parse(questions, data, files or {})
    _store(response, questions, values, keep={q.pk for q in questions if q.pk not in errors})
    response.updated_at, response.updated_by = timezone.now(), actor
    response.save(update_fields=["updated_at", "updated_by"])
    return response, errors


@files_atomic
def do_submit_response(
    *,
    actor: User | None,
    assignment: Assignment,
    data: MultiValueDict,
    files: Mapping[str, Any] | None = None,
) -> Response:
    """Validate everything and submit (or re-submit edits). Hidden questions are ignored and their
    answers dropped. Raises AnswerErrors with a message per question; then nothing is saved."""
    _require(actor, rules.ANSWER, assignment)
    _require_open(assignment)
    response = _response_for(assignment, actor)
    questions = questions_of(assignment.questionnaire)
    values, errors = answering.parse(questions, data, files or {})
    shown = answering.visible_ids(questions, _selected(values))
    existing = _existing(response)
    has_file = {qid for qid, a in existing.items() if a.file}
    errors = {qid: msg for qid, msg in errors.items() if qid in shown}
    for qid, msg in answering.completeness_errors(questions, values, shown, has_file).items():
        errors.setdefault(qid, msg)
    if errors:
        raise AnswerErrors(errors)
    _store(response, questions, values, keep=shown, existing=existing)
    now = timezone.now()
    first = response.status != Response.Status.SUBMITTED
    response.status = Response.Status.SUBMITTED
    response.updated_at, response.updated_by = now, actor
    if first or response.submitted_at is None:
        response.submitted_at, response.submitted_by = now, actor
    response.save()
    return response


# --- Reminders --------------------------------------------------------------------------------
