"""Reminders to schools that have not answered: by a coordinator's click and the day before the deadline."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core import outbox
from questionnaires import rules
from questionnaires.models import Assignment, Questionnaire, Response
from questionnaires.services.common import _require, region_today
from schools.models import Membership, Region, User


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


def pending_assignments(questionnaire: Questionnaire) -> QuerySet:
    return questionnaire.assignments.exclude(response__status=Response.Status.SUBMITTED)


@transaction.atomic
def do_send_reminders(
    *, actor: User, questionnaire: Questionnaire, assignment_ids: list[int] | None = None
) -> int:
    """The «Напомнить» button: e-mail the directors of schools that have not submitted (those the
    actor tracks). Returns how many schools were reminded."""
    _require(actor, rules.REMIND, questionnaire)
    qs = pending_assignments(questionnaire).visible_to(actor)
    if assignment_ids is not None:
        qs = qs.filter(pk__in=assignment_ids)
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return 0
    Assignment.objects.filter(pk__in=ids).update(reminder_sent_at=timezone.now())
    outbox.enqueue("questionnaires.tasks.email_reminders", ids)
    return len(ids)


@transaction.atomic
def do_send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """The automatic reminder on the day before the deadline (in each region's own time). Each
    assignment is claimed with a conditional UPDATE, so overlapping runs send it once."""
    now = now or timezone.now()
    claimed: list[int] = []
    for region in Region.objects.all():
        today = region_today(region, now)
        tomorrow = today + dt.timedelta(days=1)
        candidates = (
            Assignment.objects.filter(
                region=region,
                # Due tomorrow — or today, if yesterday's run was lost (broker or beat down): a
                # missed run is made up while the reminder is still of use.
                deadline__gte=today,
                deadline__lte=tomorrow,
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
        outbox.enqueue("questionnaires.tasks.email_reminders", claimed)
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
