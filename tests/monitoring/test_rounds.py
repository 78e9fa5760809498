"""Quarterly monitoring rounds: the schedule, the frozen snapshot, the round pages, the «round
closed» hook and the daily task — all of it in monitoring, which never imports reporting."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from monitoring import rounds
from monitoring import services as monitoring_services
from monitoring.models import ExecutionReport, MonitoringRound, Obligation, RoundEntry
from monitoring.tally import total
from roadmaps.models import Roadmap
from schools.access import SystemRequester

pytestmark = pytest.mark.django_db
MONITORING = Path(__file__).resolve().parents[2] / "monitoring"


def tomsk_round(quarter=dt.date(2023, 4, 1)) -> MonitoringRound:
    return MonitoringRound.objects.get(roadmap__source_name="000-tomsk-shnor-2023.docx", period_start=quarter)


def region_totals(round_: MonitoringRound) -> dict:
    return total(rounds.entries_of(round_, requester=SystemRequester(region_id=round_.region_id))).as_dict()


def test_a_closed_round_does_not_change_when_reports_change_later(cast):
    round_ = tomsk_round()
    before = region_totals(round_)
    entry = round_.entries.filter(
        submitted_at__isnull=True, executor__short_name="УО Зырянского района"
    ).first()
    obligation = Obligation.objects.get(pk=entry.obligation_id)
    ExecutionReport.objects.filter(obligation=obligation).delete()
    monitoring_services.do_save_report(
        actor=cast["zyryanka-municipal"], obligation=obligation, status="not_required", comment="—"
    )
    monitoring_services.do_submit_report(actor=cast["zyryanka-municipal"], obligation=obligation)
    assert region_totals(round_) == before
    # An open round shows the live state instead.
    live = rounds.do_open_round(
        actor=cast["tomsk-coordinator"], roadmap=round_.roadmap, period_start=dt.date(2023, 7, 1)
    )
    assert (
        region_totals(live)["expected"]
        == Obligation.objects.filter(
            roadmap=round_.roadmap,
            cancelled=False,
            due_date__gte=dt.date(2023, 7, 1),
            due_date__lte=dt.date(2023, 9, 30),
        ).count()
    )


def test_the_schedule_opens_last_quarters_rounds_and_closes_late_ones(cast):
    regional = Roadmap.objects.get(source_name="002-tomsk-minpros-2022-2024.xlsx")
    result = rounds.run_schedule(today=dt.date(2024, 7, 20))
    opened = MonitoringRound.objects.get(roadmap=regional, period_start=dt.date(2024, 4, 1))
    assert opened.deadline == dt.date(2024, 7, 15) and result["opened"] >= 1
    assert rounds.run_schedule(today=dt.date(2024, 7, 20))["opened"] == 0  # idempotent
    rounds.run_schedule(today=dt.date(2024, 7, 21))
    opened.refresh_from_db()
    assert opened.state == "closed" and RoundEntry.objects.filter(round=opened).exists()


def test_the_daily_task_lives_in_monitoring_and_runs_the_schedule(monkeypatch):
    from monitoring.tasks import monitoring_rounds_task

    assert (
        settings.CELERY_BEAT_SCHEDULE["monitoring-rounds"]["task"]
        == "monitoring.tasks.monitoring_rounds_task"
    )
    assert monitoring_rounds_task.name == "monitoring.tasks.monitoring_rounds_task"
    monkeypatch.setattr(rounds, "run_schedule", lambda: {"opened": 2, "closed": 1})
    assert monitoring_rounds_task.delay().get() == {"opened": 2, "closed": 1}


def test_closing_a_round_tells_every_hook_once_inside_the_transaction(cast, monkeypatch):
    from django.db import connection

    round_ = rounds.do_open_round(
        actor=cast["tomsk-coordinator"], roadmap=tomsk_round().roadmap, period_start=dt.date(2023, 7, 1)
    )
    heard = []

    def hook(closed):
        heard.append((closed.pk, closed.state, connection.in_atomic_block, closed.entries.count()))

    monkeypatch.setattr(rounds, "ON_ROUND_CLOSED", [hook])
    rounds.do_close_round(actor=None, round_=round_)
    rounds.do_close_round(actor=None, round_=round_)  # already closed: nothing to tell
    assert heard == [(round_.pk, "closed", True, RoundEntry.objects.filter(round=round_).count())]


def test_the_snapshot_freezes_every_executor_of_the_region():
    round_ = tomsk_round()
    expected = Obligation.objects.filter(
        roadmap=round_.roadmap,
        cancelled=False,
        due_date__gte=round_.period_start,
        due_date__lte=round_.period_end,
    )
    assert round_.entries.count() == expected.count() > 0


def test_the_round_page_compares_with_the_previous_round(client_for):
    response = client_for("tomsk-department").get(f"/rounds/{tomsk_round().pk}/")
    assert response.context["previous"] == tomsk_round(dt.date(2023, 1, 1))
    assert "было" in response.content.decode()
    assert response.context["totals"] == region_totals(tomsk_round())


def test_the_round_page_counts_only_what_the_viewer_may_see(client_for, cast):
    """A director sees the regional roadmap's round, but only their own school's rows in it."""
    round_ = tomsk_round()
    response = client_for("cherdaty-director").get(f"/rounds/{round_.pk}/")
    assert response.status_code == 200
    own = Obligation.objects.visible_to(cast["cherdaty-director"])
    visible_entries = round_.entries.filter(obligation__in=own)
    assert response.context["totals"]["expected"] == visible_entries.count()
    assert visible_entries.count() < round_.entries.count()
    entries = rounds.entries_of(round_, requester=cast["cherdaty-director"])
    assert {e.executor_name for e in entries} <= {
        "МБОУ «Чердатская СОШ»",
        "Филиал МБОУ «Чердатская СОШ» в с. Высокий Яр",
    }


def test_the_rounds_list_and_opening_stay_at_their_addresses(client_for):
    client = client_for("tomsk-coordinator")
    page = client.get("/rounds/")
    assert page.status_code == 200 and page.templates[0].name == "monitoring/rounds.html"
    regional = Roadmap.objects.get(source_name="002-tomsk-minpros-2022-2024.xlsx")
    response = client.post(
        "/regions/70/rounds/open/", {"roadmap": regional.pk, "quarter": "2024-04-01"}, follow=True
    )
    round_ = MonitoringRound.objects.get(roadmap=regional, period_start=dt.date(2024, 4, 1))
    assert response.redirect_chain[-1][0] == f"/rounds/{round_.pk}/"
    assert response.templates[0].name == "monitoring/round_detail.html"


def test_a_coordinator_closes_a_round_from_its_page(client_for):
    client = client_for("tomsk-coordinator")
    round_ = rounds.do_open_round(actor=None, roadmap=tomsk_round().roadmap, period_start=dt.date(2023, 7, 1))
    assert client.get(f"/rounds/{round_.pk}/").context["can_close"]
    client.post(f"/rounds/{round_.pk}/")
    round_.refresh_from_db()
    assert round_.state == "closed" and round_.entries.exists()


def test_a_read_only_department_official_cannot_close_a_round(client_for):
    round_ = rounds.do_open_round(actor=None, roadmap=tomsk_round().roadmap, period_start=dt.date(2023, 7, 1))
    assert client_for("tomsk-department").post(f"/rounds/{round_.pk}/").status_code == 403
    round_.refresh_from_db()
    assert round_.state == "open"


def test_monitoring_never_imports_reporting():
    """Layers point down: reporting reacts to monitoring's hooks, never the other way round."""
    offenders = []
    for path in sorted(MONITORING.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "reporting"]
    assert offenders == []


def test_closing_a_round_checks_access_in_the_service_itself(cast):
    from django.core.exceptions import PermissionDenied

    from monitoring.models import MonitoringRound

    round_ = MonitoringRound.objects.filter(region__code="70", state=MonitoringRound.State.OPEN).first()
    if round_ is None:
        from roadmaps.models import Roadmap

        roadmap = Roadmap.objects.filter(region__code="70", status="approved").first()
        round_ = rounds.do_open_round(actor=None, roadmap=roadmap, period_start=roadmap.period_start)
    for username in ("tomsk-department", "tomsk-director", "tambov-coordinator"):
        with pytest.raises(PermissionDenied):
            rounds.do_close_round(actor=cast[username], round_=round_)
    round_.refresh_from_db()
    assert round_.state == MonitoringRound.State.OPEN
    assert rounds.do_close_round(actor=cast["tomsk-coordinator"], round_=round_).state == MonitoringRound.State.CLOSED
