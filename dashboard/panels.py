"""What the home page shows each role first: the few figures that role acts on.

- coordinator (and the platform administrator): the region's progress and the five furthest behind;
- municipal official: its schools, furthest behind first, and its own deadlines;
- director: this month's deadlines and what was returned;
- department: the latest closed round's figures and the reports ready to download.

Each panel reads through the gate as the viewer and costs a fixed handful of queries.
"""

import datetime as dt
from calendar import monthrange
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from monitoring import overview, rules, selectors
from monitoring.models import MonitoringRound, Obligation, RoundEntry
from reporting.models import Report
from schools.access import Scope
from schools.models import Membership, User

Role = Membership.Role
TOP = 5


def region_progress(user: User, today: dt.date) -> dict[str, Any]:
    qs = Obligation.objects.visible_to(user).filter(cancelled=False)
    data = overview.overview(user, qs, filters={}, today=today)
    return {
        "figures": selectors.figures(qs, today),
        "behind": [r for r in data.rows if r.lag][:TOP],
        "total": data.total,
    }


def municipal_schools(user: User, scope: Scope, municipality_id: int, today: dt.date) -> dict[str, Any]:
    qs = Obligation.objects.visible_to(user).filter(
        rules.municipality_schools_q(scope, municipality_id), cancelled=False
    )
    data = overview.overview(user, qs, filters={"municipality": municipality_id}, today=today)
    return {"rows": data.rows[:10], "count": len(data.rows), "total": data.total}


def own_deadlines(user: User, today: dt.date) -> list[Obligation]:
    return list(selectors.tasks(user, bucket="open", today=today)[:8])


def month_deadlines(user: User, today: dt.date) -> dict[str, Any]:
    start = today.replace(day=1)
    end = today.replace(day=monthrange(today.year, today.month)[1])
    qs = selectors.tasks(user, bucket="open", today=today).filter(due_date__gte=start, due_date__lte=end)
    return {"rows": list(qs[:10]), "count": qs.count(), "start": start, "end": end}


def returned(user: User, today: dt.date) -> list[Obligation]:
    return list(selectors.tasks(user, bucket="returned", today=today)[:10])


def latest_round(user: User) -> dict[str, Any] | None:
    """The latest closed quarter's rounds (one per roadmap) and their frozen figures."""
    closed = MonitoringRound.objects.visible_to(user).filter(state=MonitoringRound.State.CLOSED)
    last = closed.order_by("-period_start").values_list("period_start", flat=True).first()
    if last is None:
        return None
    rounds = list(closed.filter(period_start=last).select_related("roadmap__owner"))
    sent = Q(submitted_at__isnull=False)
    data = (
        RoundEntry.objects.visible_to(user)
        .filter(round__in=rounds)
        .aggregate(
            expected=Count("pk"),
            submitted=Count("pk", filter=sent),
            on_time=Count("pk", filter=sent & Q(is_late=False)),
            accepted=Count("pk", filter=Q(review_state="accepted")),
        )
    )
    n = data["expected"] or 1
    return {
        "rounds": rounds,
        "label": rounds[0].label,
        **data,
        "submitted_pct": round(100 * data["submitted"] / n),
        "on_time_pct": round(100 * data["on_time"] / n),
        "accepted_pct": round(100 * data["accepted"] / n),
    }


def ready_reports(user: User) -> list[Report]:
    return list(
        Report.objects.visible_to(user)
        .filter(status=Report.Status.DONE)
        .order_by("-finished_at", "-pk")
        .only("pk", "title", "fmt", "finished_at", "kind", "region_id")[:TOP]
    )


def for_user(user: User, scope: Scope) -> dict[str, Any]:
    today = timezone.localdate()
    roles = scope.roles
    panels: dict[str, Any] = {}
    if scope.is_admin or Role.COORDINATOR in roles:
        panels["progress"] = region_progress(user, today)
    if Role.MUNICIPAL in roles and scope.municipality_ids:
        panels["schools"] = municipal_schools(user, scope, min(scope.municipality_ids), today)
        panels["deadlines"] = own_deadlines(user, today)
    if Role.DIRECTOR in roles:
        panels["month"] = month_deadlines(user, today)
        panels["returned"] = returned(user, today)
    if Role.DEPARTMENT in roles:
        panels["round"] = latest_round(user)
        panels["reports"] = ready_reports(user)
        if "progress" not in panels:
            panels["progress"] = region_progress(user, today)
    return panels
