"""Assigning a questionnaire to schools and reopening a school's answers."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from questionnaires import rules
from questionnaires.models import Assignment, Questionnaire
from questionnaires.services.common import _require, region_today
from roadmaps.schedule import due_datetime
from schools import access
from schools.models import Organization, User


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
