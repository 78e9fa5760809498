"""Nothing queued is lost: with the broker down, work after a commit is accepted, kept in the
outbox (or in the report's own row), and published by the sweeper once the broker is back."""

import pytest
from django.conf import settings
from django.core import mail

from core import outbox
from core.models import OutboxMessage
from monitoring.models import MonitoringRound, Obligation
from questionnaires.models import Questionnaire
from reporting import services as reporting_services
from reporting.models import Report
from roadmaps import services as roadmap_services
from tests import factories
from tests.brokers import ThrowawayRedis, celery_pointed_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(celery_in_process, settings):
    """A broker that is down (nothing listens on its port) until the test starts it."""
    settings.OUTBOX_GRACE_SECONDS = 0
    redis = ThrowawayRedis()
    with celery_pointed_at(celery_in_process, redis.url):
        yield redis
    redis.stop()


@pytest.fixture
def commits_inside_the_request(monkeypatch):
    """In production a service's transaction commits before its view returns, so work published
    on commit is published inside the request; the test's outer transaction never commits, so
    here on-commit work runs at once, still inside the request."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def tomsk_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(is_template=False, owner__short_name="МАУ ИМЦ")


def test_it_accepts_reminders_while_the_broker_is_down_and_sends_them_when_it_is_back(
    broker, client_for, commits_inside_the_request, celery_in_process, settings
):
    q = tomsk_questionnaire()
    response = client_for("tomsk-municipal").post(f"/questionnaires/{q.pk}/remind/", follow=True)
    # Not a 500: the schools are marked reminded and the user is told the letters will go.
    assert response.status_code == 200
    body = response.content.decode()
    assert "Очередь фоновых задач сейчас недоступна" in body and "будет выполнена" in body
    message = OutboxMessage.objects.get(task="questionnaires.tasks.email_reminders")
    assert message.published_at is None and len(message.args[0]) == 6
    assert outbox.sweep() == 0  # still down: kept, not dropped
    assert OutboxMessage.objects.filter(pk=message.pk).exists()

    broker.start()
    assert outbox.sweep() == 1
    assert broker.queued_tasks() == [("questionnaires.tasks.email_reminders", message.args)]
    # The worker runs it: the letters go and the row is gone (here the task runs in-process).
    celery_in_process.conf.task_always_eager = True
    settings.OUTBOX_LEASE_SECONDS = 0  # as if the published message had been lost
    assert outbox.sweep() == 1
    assert len(mail.outbox) == 6
    assert not OutboxMessage.objects.filter(pk=message.pk).exists()


def test_a_report_ordered_while_the_broker_is_down_is_queued_and_dispatched_later(
    broker, client_for, commits_inside_the_request
):
    round_ = MonitoringRound.objects.filter(region__code="70", state="closed").first()
    response = client_for("tomsk-department").post(
        "/reports/", {"kind": "quarterly", "fmt": "xlsx", "round": round_.pk}, follow=True
    )
    assert response.status_code == 200
    assert "Очередь фоновых задач сейчас недоступна" in response.content.decode()
    report = Report.objects.filter(requested_by__username="tomsk-department").latest("created_at")
    assert report.status == "queued" and report.dispatched_at is None
    assert reporting_services.sweep_reports() == 0
    broker.start()
    assert reporting_services.sweep_reports() == 1
    assert broker.queued_tasks() == [("reporting.tasks.build_report_task", [report.pk])]
    report.refresh_from_db()
    assert report.dispatched_at is not None
    assert reporting_services.sweep_reports() == 0  # published: not again until REPORT_REQUEUE_SECONDS


def test_obligations_of_an_approved_roadmap_are_regenerated_after_the_outage(
    broker, cast, django_capture_on_commit_callbacks, celery_in_process
):
    draft = factories.make_roadmap("70", items=factories.SIMPLE_ITEMS[:2])
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.do_approve_roadmap(actor=cast["tomsk-coordinator"], roadmap=draft)
    assert not Obligation.objects.filter(roadmap=draft).exists()
    assert OutboxMessage.objects.filter(
        task="monitoring.tasks.generate_obligations_task", args=[draft.pk]
    ).exists()
    broker.start()
    celery_in_process.conf.task_always_eager = True
    assert outbox.sweep() == 1
    assert Obligation.objects.filter(roadmap=draft).count() == 1 + 12 * 20
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def like_a_worker(celery_in_process):
    """Run tasks in-process but trap their errors as a worker does (failure signals fire)."""
    celery_in_process.conf.task_eager_propagates = False
    yield
    celery_in_process.conf.task_eager_propagates = True


def test_a_task_that_fails_for_good_is_marked_and_not_sent_again(like_a_worker, settings):
    settings.OUTBOX_GRACE_SECONDS = 0
    message = OutboxMessage.objects.create(
        task="monitoring.tasks.generate_obligations_task", args=["not-an-id"]
    )
    assert outbox.sweep() == 1
    message.refresh_from_db()
    assert message.failed_at is not None and "not-an-id" in message.last_error
    assert outbox.sweep() == 0


def test_the_visibility_timeout_outlasts_every_tasks_time_limit(celery_in_process):
    """Redis hands an unacknowledged message to another worker after the visibility timeout: a
    task still running then would run twice."""
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limits = {
        name: task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for name, task in celery_in_process.tasks.items()
        if not name.startswith("celery.")
    }
    assert "reporting.tasks.build_report_task" in limits
    too_long = {name: limit for name, limit in limits.items() if limit >= timeout}
    assert not too_long, too_long
    # And the outbox lease outlasts them too: a running task is not published again.
    assert settings.OUTBOX_LEASE_SECONDS > max(limits.values())


def test_a_lost_day_before_reminder_is_made_up_on_the_deadline_day(
    mailoutbox, django_capture_on_commit_callbacks
):
    """Beat's run of yesterday fell into a broker outage: today's run still reminds (explicit
    catch-up), once."""
    import datetime as dt

    from questionnaires import services as questionnaire_services

    q = tomsk_questionnaire()
    today = questionnaire_services.region_today(q.region)
    q.assignments.update(deadline=today, auto_reminder_sent_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert questionnaire_services.do_send_due_reminders() == 6
        assert questionnaire_services.do_send_due_reminders() == 0
    assert len(mailoutbox) == 6
    q.assignments.update(deadline=today - dt.timedelta(days=1), auto_reminder_sent_at=None)
    assert questionnaire_services.do_send_due_reminders() == 0  # past the deadline: no use any more
