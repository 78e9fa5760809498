"""The living demo: a current-period roadmap set computed from «today», beside the untouched seeds."""

import datetime as dt

import pytest
from django.core.management import call_command

from monitoring import rounds
from monitoring.models import ExecutionReport, MonitoringRound, Obligation
from reporting import living_demo
from reporting.models import Report
from roadmaps.models import Roadmap
from schools.models import Region, SchoolStatus

pytestmark = pytest.mark.django_db
Review = ExecutionReport.Review


def _seed_state() -> list[tuple]:
    return list(
        Roadmap.objects.filter(demo_anchor__isnull=True)
        .order_by("pk")
        .values_list("source_name", "title", "period_start", "period_end", "act_number", "status")
    )


def _check_demo(today: dt.date) -> None:
    tomsk = Region.objects.get(code="70")
    demo = {r.level: r for r in Roadmap.objects.filter(region=tomsk, demo_anchor=today)}
    assert set(demo) == {"regional", "municipal", "school"}
    for roadmap in demo.values():
        assert "демонстрационные данные" in roadmap.title
        assert roadmap.status == Roadmap.Status.APPROVED
        assert roadmap.period_start <= today <= roadmap.period_end
    assert demo["municipal"].parent == demo["regional"] and demo["school"].parent == demo["municipal"]
    # Statuses for the current year, so «руководители ШНОР» are somebody this year.
    assert SchoolStatus.objects.filter(region=tomsk, year=today.year, category="shnor").exists()
    obligations = Obligation.objects.filter(roadmap__in=demo.values())
    week, fortnight = today + dt.timedelta(days=7), today + dt.timedelta(days=14)
    assert obligations.filter(due_date__gte=today, due_date__lt=week).exists()  # this week
    assert obligations.filter(due_date__gte=week, due_date__lt=fortnight).exists()  # next week
    past = obligations.filter(due_date__lt=today)
    assert past.filter(report__isnull=True).exists()  # overdue, nothing filed
    for state in (Review.ACCEPTED, Review.RETURNED, Review.SUBMITTED):
        assert past.filter(report__review_state=state).exists(), state
    assert obligations.filter(report__is_late=True).exists()
    # Every demo report happened before «today».
    reports = ExecutionReport.objects.filter(obligation__in=obligations)
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    assert not reports.filter(submitted_at__gt=noon).exists()
    # Schools of the regional plan have something to do (the group executor matched schools).
    assert obligations.filter(roadmap=demo["regional"], executor__kind="school").exists()
    # The quarter before last is closed with a snapshot and the department's reports; the last
    # quarter's round compares with it.
    q2_start = rounds.previous_quarter(rounds.previous_quarter(today)[0])[0]
    closed = MonitoringRound.objects.get(roadmap=demo["regional"], period_start=q2_start)
    assert closed.state == MonitoringRound.State.CLOSED and closed.entries.exists()
    # The department's quarterly reports (PDF and XLSX) are queued with the closure (built on commit).
    assert Report.objects.filter(params__round=closed.pk, automatic=True).count() == 2
    last = MonitoringRound.objects.get(
        roadmap=demo["regional"], period_start=rounds.previous_quarter(today)[0]
    )
    assert rounds.previous_round(last) == closed
    # The last quarter's round is collecting, with a deadline still ahead.
    assert last.state == MonitoringRound.State.OPEN and last.deadline > today


@pytest.mark.parametrize("today", [dt.date(2026, 2, 10), dt.date(2027, 11, 28)])
def test_seeding_on_a_date_builds_a_current_demo_and_keeps_the_seeds(today, client_for):
    seeds = _seed_state()
    seed_obligations = Obligation.objects.filter(roadmap__demo_anchor__isnull=True).count()
    made = living_demo.load(today)
    assert "4" in made  # three Tomsk roadmaps and the Tambov one replaced the session's demo set
    _check_demo(today)
    assert _seed_state() == seeds  # the published plans stay as published, with their dates
    assert Obligation.objects.filter(roadmap__demo_anchor__isnull=True).count() == seed_obligations
    assert Roadmap.objects.filter(demo_anchor__isnull=False).exclude(demo_anchor=today).count() == 0
    # The pages show it: the roadmap with its label, the round with its comparison.
    regional = Roadmap.objects.get(region__code="70", level="regional", demo_anchor=today)
    client = client_for("tomsk-coordinator")
    page = client.get(f"/roadmaps/{regional.pk}/").content.decode()
    assert "Демонстрационные данные" in page and f"{today:%d.%m.%Y}" in page
    last = MonitoringRound.objects.get(roadmap=regional, period_start=rounds.previous_quarter(today)[0])
    response = client.get(f"/rounds/{last.pk}/")
    assert response.status_code == 200
    assert (
        f"{rounds.previous_quarter(rounds.previous_quarter(today)[0])[0]:%d.%m.%Y}"
        in response.content.decode()
    )


def test_the_session_demo_is_anchored_today_and_a_second_run_changes_nothing():
    tomsk = Region.objects.get(code="70")
    today = living_demo.region_today(tomsk)
    _check_demo(today)
    ids = set(Roadmap.objects.filter(demo_anchor__isnull=False).values_list("pk", flat=True))
    call_command("seed_demo", quiet=True)
    assert set(Roadmap.objects.filter(demo_anchor__isnull=False).values_list("pk", flat=True)) == ids
