"""«Мои задачи» read through the filing scope, with the open tabs as «no such report» and the
page's rows read by id: the same rows, order and counts as the rule they replaced."""

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from monitoring import rules, selectors
from monitoring.models import ExecutionReport, Obligation
from schools import access
from schools.models import Membership, Organization

pytestmark = pytest.mark.django_db

Review = ExecutionReport.Review
BUCKETS = ["open", "soon", "overdue", "returned", "done"]
OPEN = ~Q(report__review_state__in=[Review.SUBMITTED, Review.ACCEPTED])


def by_the_rule(user, bucket: str, today: dt.date):
    """The tasks as they were read: the gate, then the fileable executors as a second list, the
    tabs as conditions on the left-joined report, sorted on the due date itself."""
    scope = access.get_scope(user)
    qs = Obligation.objects.visible_to(user).filter(cancelled=False)
    if not scope.is_admin:
        qs = qs.filter(rules.fileable_q(scope))
    if bucket == "overdue":
        qs = qs.filter(OPEN, due_date__lt=today).exclude(report__review_state=Review.RETURNED)
    elif bucket == "soon":
        qs = qs.filter(OPEN, due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))
    elif bucket == "returned":
        qs = qs.filter(report__review_state=Review.RETURNED)
    elif bucket == "done":
        qs = qs.filter(report__review_state__in=[Review.SUBMITTED, Review.ACCEPTED])
    else:
        qs = qs.filter(OPEN, window_start__lte=today + dt.timedelta(days=31))
    due = "-due_date" if bucket == "done" else "due_date"
    return qs.order_by(due, "item__position", "executor__short_name", "pk")


def counts_by_the_rule(user, today: dt.date) -> dict[str, int]:
    scope = access.get_scope(user)
    qs = Obligation.objects.visible_to(user).filter(cancelled=False)
    if not scope.is_admin:
        qs = qs.filter(rules.fileable_q(scope))
    return qs.aggregate(
        overdue=Count("pk", filter=OPEN & Q(due_date__lt=today) & ~Q(report__review_state=Review.RETURNED)),
        soon=Count("pk", filter=OPEN & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))),
        returned=Count("pk", filter=Q(report__review_state=Review.RETURNED)),
    )


def sort_key(o: Obligation, bucket: str) -> tuple:
    due = -o.due_date.toordinal() if bucket == "done" else o.due_date.toordinal()
    return (due, o.item.position, o.executor.short_name)


def assert_same_tasks(user) -> int:
    today = timezone.localdate()
    listed = 0
    for bucket in BUCKETS:
        expected = list(by_the_rule(user, bucket, today).select_related("item", "executor"))
        got = list(selectors.tasks(user, bucket=bucket, today=today))
        assert {o.pk for o in got} == {o.pk for o in expected}, (user.username, bucket)
        # Ties of the sort (equal date, position and name) may come in either order, as before.
        assert [sort_key(o, bucket) for o in got] == [sort_key(o, bucket) for o in expected], (
            user.username,
            bucket,
        )
        listed += len(got)
    assert selectors.task_counts(user, today) == counts_by_the_rule(user, today), user.username
    return listed


@pytest.fixture
def mixed(cast):
    """A coordinator of Томская область who directs a Tambov school (a region seen whole and one
    in part), and a municipal official of Зырянский район who does too (two regions in part)."""
    tambov_school = Organization.objects.filter(region__code="68", kind="school").first()
    for username in ("tomsk-coordinator", "zyryanka-municipal"):
        Membership.objects.create(
            user=cast[username], organization=tambov_school, role="director", region=tambov_school.region
        )
    return cast


def test_every_demo_user_gets_the_tasks_of_the_rule(mixed):
    listed = {user.username: assert_same_tasks(user) for user in mixed.values()}
    for username in ("tomsk-coordinator", "zyryanka-municipal", "cherdaty-director", "tomsk-curator"):
        assert listed[username], username


def test_the_demos_database_sorts_on_the_date_itself(mixed, monkeypatch):
    """`make run` serves the demo on SQLite, which would add a number to a date's text: there
    the tasks sort on the date itself. Forced here on PostgreSQL, the rows are the rule's."""
    from django.db import connections

    monkeypatch.setattr(type(connections["default"]), "vendor", "sqlite")
    for username in ("tomsk-coordinator", "zyryanka-municipal", "cherdaty-director"):
        assert assert_same_tasks(mixed[username]) >= 0
        assert "+ 0" not in str(selectors.tasks(mixed[username]).query)


@pytest.mark.parametrize(
    "username", ["tomsk-coordinator", "zyryanka-municipal", "cherdaty-director", "admin"]
)
def test_every_page_of_every_tab_is_the_rules_page(client_for, username):
    client = client_for(username)
    today = timezone.localdate()
    for bucket in BUCKETS:
        response = client.get("/tasks/", {"bucket": bucket})
        # The requester as the page saw it (the administrator focused on one region).
        reader = response.wsgi_request.user
        expected = list(by_the_rule(reader, bucket, today).select_related("item", "executor"))
        assert response.context["page"].paginator.count == len(expected), (username, bucket)
        for number in range(1, min((len(expected) + 29) // 30, 3) + 1):
            page = client.get("/tasks/", {"bucket": bucket, "page": number}).context["page"]
            rows = expected[(number - 1) * 30 : number * 30]
            assert [sort_key(o, bucket) for o in page] == [sort_key(o, bucket) for o in rows], (
                username,
                bucket,
            )
            assert {o.pk for o in page} <= {o.pk for o in expected}, (username, bucket)


def test_the_filing_scope_names_one_list_of_executors(cast):
    """A municipal official files for the authority, sees its schools too: the tasks name the
    authority alone, not the visible executors and then the fileable ones."""
    user = cast["zyryanka-municipal"]
    scope = access.get_scope(user)
    sql = str(selectors.tasks(user).query)
    fileable = rules._executor_sets(scope)["fileable"]
    visible = rules._executor_sets(scope)["visible"]
    assert fileable < visible
    assert sql.count('"monitoring_obligation"."executor_id" IN') == 1
    # The request's own scope is left as it was.
    assert rules._executor_sets(access.get_scope(user))["visible"] == visible
