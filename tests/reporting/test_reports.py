"""Report builders, renderers and scoping (in-process; the real worker has its own test)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from monitoring import rounds
from monitoring.models import MonitoringRound, Obligation
from reporting import services
from reporting.builders import quarterly
from reporting.models import Report
from reporting.render import render_pdf, render_xlsx_report
from schools.access import SystemRequester
from schools.models import Municipality, Organization

pytestmark = pytest.mark.django_db


def tomsk_round(quarter=dt.date(2023, 4, 1)) -> MonitoringRound:
    return MonitoringRound.objects.get(roadmap__source_name="000-tomsk-shnor-2023.docx", period_start=quarter)


def system(round_: MonitoringRound) -> SystemRequester:
    return SystemRequester(region_id=round_.region_id)


def test_the_quarterly_numbers_equal_what_the_database_says():
    round_ = tomsk_round()
    data = quarterly.build(round_, system(round_))
    obligations = Obligation.objects.filter(
        roadmap=round_.roadmap,
        cancelled=False,
        due_date__gte=round_.period_start,
        due_date__lte=round_.period_end,
    )
    assert data["totals"]["expected"] == obligations.count() == round_.entries.count()
    assert data["totals"]["submitted"] == obligations.filter(report__submitted_at__isnull=False).count()
    assert data["totals"]["accepted"] == obligations.filter(report__review_state="accepted").count()
    assert data["totals"]["late"] == obligations.filter(report__is_late=True).count()
    assert sum(s["expected"] for s in data["sections"]) == data["totals"]["expected"]
    assert len(data["overdue"]) == obligations.filter(report__submitted_at__isnull=True).count()
    assert data["previous"]["quarter"] == "1 квартал 2023"


def test_the_quarterly_pdf_reads_back_in_russian_with_page_numbers():
    data = quarterly.build(tomsk_round(), system(tomsk_round()))
    reader = PdfReader(io.BytesIO(render_pdf(data)))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Мониторинг реализации мероприятий дорожной карты: 2 квартал 2023" in first
    assert "Томская область" in first and "Департамент общего образования Томской области" in first
    assert f"{data['totals']['expected']}" in first
    assert f"Страница 1 из {len(reader.pages)}" in first
    assert "Раздел" in reader.pages[0].extract_text()


def test_the_quarterly_xlsx_reads_back_with_frozen_headers():
    data = quarterly.build(tomsk_round(), system(tomsk_round()))
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_report(data)))
    assert wb.sheetnames[:5] == ["Итоги", "Выводы", "Разделы", "Мероприятия", "Исполнители"]
    summary = {row[0]: row[1] for row in wb["Итоги"].iter_rows(values_only=True) if row[0]}
    assert summary["Ожидалось отчётов"] == data["totals"]["expected"]
    executors = wb["Исполнители"]
    assert executors.freeze_panes is not None and executors.auto_filter.ref
    assert executors.max_row - 1 == len(data["executors"])


def test_a_municipal_official_cannot_request_another_municipalitys_report(cast):
    other = Municipality.objects.get(name="Город Томск")
    with pytest.raises(PermissionDenied):
        services.do_request_report(
            actor=cast["zyryanka-municipal"],
            kind="municipal",
            fmt="pdf",
            params={"municipality": other.pk, "start": "2023-01-01", "end": "2023-12-31"},
        )
    assert not Report.objects.filter(requested_by=cast["zyryanka-municipal"]).exists()


def test_a_municipal_summary_is_built_and_downloadable_only_in_scope(cast, client_for):
    own = Municipality.objects.get(name="Зырянский район")
    report = services.do_request_report(
        actor=cast["zyryanka-municipal"],
        kind="municipal",
        fmt="xlsx",
        params={"municipality": own.pk, "start": "2023-01-01", "end": "2023-12-31"},
    )
    services.build(report.pk)
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100
    wb = openpyxl.load_workbook(io.BytesIO(report.file.read()))
    rows = list(wb["Мероприятия"].iter_rows(values_only=True))[1:]
    expected = Obligation.objects.filter(
        executor__municipality=own, cancelled=False, due_date__year=2023
    ).count()
    assert len([r for r in rows if r[0]]) == expected
    assert client_for("zyryanka-municipal").get(f"/reports/{report.pk}/download/").status_code == 200
    assert (
        client_for("tomsk-department").get(f"/reports/{report.pk}/download/").status_code == 200
    )  # region-wide reader
    assert client_for("tomsk-municipal").get(f"/reports/{report.pk}/download/").status_code == 404
    assert client_for("tambov-coordinator").get(f"/reports/{report.pk}/download/").status_code == 404


def test_a_school_card_lists_statuses_and_execution(cast):
    school = Organization.objects.get(short_name="МАОУ СОШ № 44 г. Томска")
    report = services.do_request_report(
        actor=cast["tomsk-coordinator"], kind="school", fmt="pdf", params={"school": school.pk}
    )
    services.build(report.pk)
    report.refresh_from_db()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.file.read())).pages).split()
    )
    assert "Карточка школы: МАОУ СОШ № 44 г. Томска" in text
    assert "ШНОР" in text and "2020" in text and "2023" in text


def test_a_finished_report_is_not_built_twice():
    report = Report.objects.filter(status="done").first()
    name = report.file.name
    assert services.build(report.pk) == "skipped"
    report.refresh_from_db()
    assert report.file.name == name


def test_a_broken_build_records_a_readable_failure(cast, monkeypatch):
    round_ = tomsk_round()
    report = services.do_request_report(
        actor=cast["tomsk-coordinator"], kind="quarterly", fmt="pdf", params={"round": round_.pk}
    )
    Report.objects.filter(pk=report.pk).update(status="queued", progress=0)
    monkeypatch.setitem(
        services.BUILDERS, "quarterly", lambda *a: (_ for _ in ()).throw(ValueError("нет данных раунда"))
    )
    assert services.build(report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == "failed" and "нет данных раунда" in report.message


def test_the_department_sees_ready_quarterly_reports_without_asking(client_for):
    body = client_for("tomsk-department").get("/reports/").content.decode()
    assert "Готовые квартальные отчёты" in body
    assert "ДОО ТО, 2 квартал 2023" in body
    assert "ДОО ТО, 4 квартал 2022" in body  # the «Школа Минпросвещения» roadmap's round
    assert "Управление образования, 1 квартал 2021" not in body  # Tambov's


def test_the_reports_page_queues_a_request_and_shows_progress(client_for):
    client = client_for("tomsk-department")
    round_ = tomsk_round()
    response = client.post("/reports/", {"kind": "quarterly", "fmt": "pdf", "round": round_.pk}, follow=True)
    report = Report.objects.filter(requested_by__username="tomsk-department").latest("created_at")
    assert response.redirect_chain[-1][0] == f"/reports/{report.pk}/"
    status = client.get(f"/reports/{report.pk}/", {"format": "json"}).json()
    assert status["status"] in ("queued", "running", "done")


def demo_round_questionnaire():
    from questionnaires.models import Questionnaire

    return Questionnaire.objects.filter(is_template=False, assignments__isnull=False).distinct().first()


def test_the_questionnaire_report_counts_responses_within_the_requesters_reach(cast):
    from questionnaires.models import Assignment, Response

    questionnaire = demo_round_questionnaire()
    report = services.do_request_report(
        actor=cast["tomsk-municipal"],
        kind="questionnaire",
        fmt="pdf",
        params={"questionnaire": questionnaire.pk},
    )
    services.build(report.pk)
    report.refresh_from_db()
    assert report.status == "done", report.message
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.file.read())).pages).split()
    )
    assigned = Assignment.objects.filter(questionnaire=questionnaire).count()
    submitted = Response.objects.filter(assignment__questionnaire=questionnaire, status="submitted").count()
    assert f"{assigned} школ получили анкету" in text
    assert f"ответили ({submitted})" in text
    assert "Аналитическая справка по анкетированию" in text and "Город Томск" in text


def test_the_questionnaire_report_xlsx_has_a_row_per_school(cast):
    from questionnaires.models import Assignment

    questionnaire = demo_round_questionnaire()
    report = services.do_request_report(
        actor=cast["tomsk-coordinator"],
        kind="questionnaire",
        fmt="xlsx",
        params={"questionnaire": questionnaire.pk},
    )
    services.build(report.pk)
    report.refresh_from_db()
    wb = openpyxl.load_workbook(io.BytesIO(report.file.read()))
    schools = set(
        Assignment.objects.filter(questionnaire=questionnaire).values_list("school__short_name", flat=True)
    )
    cells = {c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c}
    assert schools <= cells


def test_a_municipal_official_cannot_order_the_regions_quarterly_report(cast):
    with pytest.raises(PermissionDenied, match="координатору и департаменту"):
        services.do_request_report(
            actor=cast["tomsk-municipal"], kind="quarterly", fmt="pdf", params={"round": tomsk_round().pk}
        )


def test_a_build_abandoned_by_a_dead_worker_is_taken_over(cast):
    """acks_late redelivers the message of a worker killed mid-build: the same task id, or a run
    silent for too long, may claim the report again; a live run by another task may not."""
    from django.utils import timezone

    report = services.do_request_report(
        actor=cast["tomsk-coordinator"], kind="quarterly", fmt="xlsx", params={"round": tomsk_round().pk}
    )
    Report.objects.filter(pk=report.pk).update(
        status="running", task_id="task-a", started_at=timezone.now(), heartbeat_at=timezone.now(), file=""
    )
    assert not services.claim(report.pk, "task-b")  # somebody is building it right now
    assert services.claim(report.pk, "task-a")  # the same message delivered again
    Report.objects.filter(pk=report.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.REPORT_STALE_SECONDS + 60)
    )
    assert services.build(report.pk, task_id="task-c") == "done"
    report.refresh_from_db()
    assert report.status == "done" and report.file


def test_a_run_taken_for_dead_that_wakes_up_does_not_finish_the_report_twice(cast, monkeypatch):
    """Exactly once: only the run holding the claim marks the report done; a second run that
    finishes later throws its file away."""
    report = services.do_request_report(
        actor=cast["tomsk-coordinator"], kind="quarterly", fmt="xlsx", params={"round": tomsk_round().pk}
    )

    def render_while_taken_over(data: dict) -> bytes:
        # While this run renders, the sweeper took it for dead and task-b claimed the report.
        Report.objects.filter(pk=report.pk).update(task_id="task-b")
        return render_xlsx_report(data)

    monkeypatch.setattr("reporting.render.render_xlsx_report", render_while_taken_over)
    files_before = set(_report_files())
    assert services.build(report.pk, task_id="task-a") == "superseded"
    report.refresh_from_db()
    assert report.status == "running" and not report.file
    assert set(_report_files()) == files_before  # the loser's file is not left behind


def _report_files() -> list[str]:
    from pathlib import Path

    return [str(p) for p in Path(settings.MEDIA_ROOT).rglob("reports/**/*") if p.is_file()]


def test_the_sweeper_requeues_a_report_whose_worker_went_silent(cast, django_capture_on_commit_callbacks):
    from django.utils import timezone

    report = services.do_request_report(
        actor=cast["tomsk-coordinator"], kind="quarterly", fmt="xlsx", params={"round": tomsk_round().pk}
    )
    long_ago = timezone.now() - dt.timedelta(seconds=settings.REPORT_STALE_SECONDS + 5)
    Report.objects.filter(pk=report.pk).update(
        status="running", task_id="dead", started_at=long_ago, heartbeat_at=long_ago, progress=85
    )
    # A live run (fresh heartbeat) is left alone.
    other = services.do_request_report(
        actor=cast["tomsk-coordinator"], kind="quarterly", fmt="pdf", params={"round": tomsk_round().pk}
    )
    Report.objects.filter(pk=other.pk).update(status="running", task_id="alive", heartbeat_at=timezone.now())
    assert services.sweep_reports() == 1  # built in-process here, by a worker in production
    report.refresh_from_db()
    other.refresh_from_db()
    assert report.status == "done" and report.attempts == 1 and report.file
    assert other.status == "running" and other.task_id == "alive"


def test_closing_a_round_queues_the_regions_quarterly_reports_once(cast):
    """Reporting reacts to monitoring's «round closed»: two automatic reports, built region-wide."""
    round_ = rounds.do_open_round(
        actor=cast["tomsk-coordinator"], roadmap=tomsk_round().roadmap, period_start=dt.date(2023, 7, 1)
    )
    rounds.do_close_round(actor=None, round_=round_)
    rounds.do_close_round(actor=None, round_=round_)
    services.auto_quarterly_reports(round_)
    made = Report.objects.filter(kind="quarterly", params__round=round_.pk)
    assert sorted(made.values_list("fmt", "automatic", "requested_by")) == [
        ("pdf", True, None),
        ("xlsx", True, None),
    ]
    report = made.get(fmt="xlsx")
    assert services.build(report.pk) == "done"
    assert isinstance(services.requester_of(report), SystemRequester)
    # The department reads it; a director of the region does not.
    assert Report.objects.visible_to(cast["tomsk-department"]).filter(pk=report.pk).exists()
    assert not Report.objects.visible_to(cast["cherdaty-director"]).filter(pk=report.pk).exists()


def test_the_round_page_lists_the_rounds_reports(client_for):
    response = client_for("tomsk-department").get(f"/rounds/{tomsk_round().pk}/")
    body = response.content.decode()
    assert "Отчёты раунда" in body
    report = Report.objects.filter(kind="quarterly", params__round=tomsk_round().pk, automatic=True).first()
    assert f"/reports/{report.pk}/" in body


def test_a_report_whose_requester_was_deleted_is_not_built_region_wide(cast):
    report = services.do_request_report(
        actor=cast["zyryanka-municipal"],
        kind="municipal",
        fmt="xlsx",
        params={
            "municipality": Municipality.objects.get(name="Зырянский район").pk,
            "start": "2023-01-01",
            "end": "2023-12-31",
        },
    )
    Report.objects.filter(pk=report.pk).update(requested_by=None)
    assert services.build(report.pk) == "failed"
    report.refresh_from_db()
    assert not report.file and "удалён" in report.message


def test_the_report_list_shows_the_rows_and_requesters_of_the_joined_rule(cast, client_for):
    """The history's requesters are read for the page apart, «Готовые» reads none: the same rows
    and names as the list joined to its requesters, for every demo user."""
    from schools.models import Region, User

    tomsk = Region.objects.get(code="70")
    for username in ("tomsk-coordinator", "zyryanka-municipal", "federal-viewer"):
        requester = User.objects.filter(username=username).first()
        if requester is not None:
            Report.objects.create(
                region=tomsk, kind="school", title=f"Карточка для {username}", requested_by=requester
            )
    Report.objects.create(region=None, kind="national", title="Вся страна", requested_by=cast["admin"])
    for username in sorted(cast):
        response = client_for(username).get("/reports/")
        assert response.status_code == 200, username
        joined = Report.objects.visible_to(User.objects.get(username=username)).select_related("requested_by")
        shown = [(r.pk, r.requested_by and r.requested_by.display_name) for r in response.context["page"]]
        assert shown == [(r.pk, r.requested_by and r.requested_by.display_name) for r in joined[:25]], (
            username
        )
        ready = joined.filter(kind="quarterly", automatic=True, status="done").order_by("-finished_at")[:10]
        assert [r.pk for r in response.context["ready"]] == [r.pk for r in ready], username
        body = response.content.decode()
        for r in joined[:25]:
            if r.requested_by is not None:
                assert f"<td>{r.requested_by.display_name}</td>" in body, username
