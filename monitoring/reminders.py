"""The daily digest: each executor's due-soon and overdue obligations, each reviewer's queue."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from monitoring import selectors
from schools import access
from schools.models import User

DIGEST_DAYS = 7


def digest_for(user: User, today: dt.date) -> dict | None:
    soon = list(selectors.tasks(user, bucket="soon", today=today)[:50])
    overdue_qs = selectors.tasks(user, bucket="overdue", today=today)
    overdue = list(overdue_qs[:50])
    returned = list(selectors.tasks(user, bucket="returned", today=today)[:50])
    reviews = selectors.review_queue(user)
    review_count = reviews.count()
    if not (soon or overdue or returned or review_count):
        return None
    return {
        "user": user,
        "today": today,
        "soon": soon,
        "overdue": overdue,
        "overdue_total": overdue_qs.count(),
        "returned": returned,
        "reviews": list(reviews[:20]),
        "review_count": review_count,
        "site": settings.PORTAL_URL,
    }


def send_reminders(today: dt.date | None = None) -> dict[str, int]:
    sent = skipped = 0
    users = (
        User.objects.filter(is_active=True, email_reminders=True, memberships__isnull=False)
        .exclude(email="")
        .distinct()
    )
    for user in users:
        day = today or _local_today(user)
        context = digest_for(user, day)
        if context is None:
            skipped += 1
            continue
        send_mail(
            subject=render_to_string("monitoring/email/digest_subject.txt", context).strip(),
            message=render_to_string("monitoring/email/digest.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        sent += 1
    return {"sent": sent, "skipped": skipped}


def _local_today(user: User) -> dt.date:
    region = access.primary_region(user)
    return timezone.localdate(timezone=region.tzinfo) if region else timezone.localdate()
