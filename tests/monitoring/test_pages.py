"""Execution pages by role: tasks, obligation form, evidence download, review queue, matrix."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from monitoring import services
from monitoring.demo import tiny_pdf
from monitoring.models import Evidence, ExecutionReport, Obligation
from monitoring.reminders import send_reminders
from schools.models import Organization, User

pytestmark = pytest.mark.django_db


def open_obligation(executor: str) -> Obligation:
    return (
        Obligation.objects.filter(executor__short_name=executor, report__isnull=True)
        .order_by("due_date")
        .first()
    )


def test_my_tasks_shows_the_directors_overdue_obligations_only(client_for):
    response = client_for("cherdaty-director").get("/tasks/", {"bucket": "overdue"})
    rows = list(response.context["page"])
    assert rows and {o.executor.short_name for o in rows} <= {
        "МБОУ «Чердатская СОШ»",
        "Филиал МБОУ «Чердатская СОШ» в с. Высокий Яр",
    }
    assert response.context["counts"]["overdue"] == response.context["page"].paginator.count


def test_my_tasks_keeps_a_flat_query_count(client_for, django_assert_max_num_queries):
    client = client_for("tomsk-coordinator")
    with django_assert_max_num_queries(30) as q:
        client.get("/tasks/", {"bucket": "overdue"})
    with django_assert_max_num_queries(len(q.captured_queries)):
        client.get("/tasks/", {"bucket": "overdue", "page": 3})


def test_an_official_files_evidence_and_submits_through_the_pages(client_for):
    client = client_for("zyryanka-municipal")
    obligation = open_obligation("УО Зырянского района")
    url = f"/obligations/{obligation.pk}/"
    client.post(
        f"{url}evidence/", {"file": SimpleUploadedFile("Приказ.pdf", tiny_pdf("x")), "description": "приказ"}
    )
    response = client.post(
        url,
        {"status": "done", "comment": "Проведено", "done_on": "20.04.2023", "action": "submit"},
        follow=True,
    )
    assert "Отчёт отправлен на проверку" in response.content.decode()
    report = ExecutionReport.objects.get(obligation=obligation)
    assert report.review_state == "submitted" and report.evidence.count() == 1
    page = client.get(url).content.decode()
    assert "до решения проверяющего изменить его нельзя" in page


def test_a_bad_file_gets_a_clear_message_on_the_page(client_for):
    client = client_for("zyryanka-municipal")
    obligation = open_obligation("УО Зырянского района")
    response = client.post(
        f"/obligations/{obligation.pk}/evidence/",
        {"file": SimpleUploadedFile("отчёт.pdf", b"<html>hi</html>")},
        follow=True,
    )
    assert "не похоже на документ" in response.content.decode()
    assert not Evidence.objects.filter(report__obligation=obligation).exists()


def test_evidence_downloads_as_an_attachment_and_only_inside_scope(client_for, cast):
    obligation = open_obligation("МБОУ «Чердатская СОШ»")
    evidence = services.do_add_file(
        actor=cast["cherdaty-director"], obligation=obligation, name="скан.pdf", data=tiny_pdf("x")
    )
    response = client_for("tomsk-curator").get(f"/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_for("tomsk-director").get(f"/evidence/{evidence.pk}/download/").status_code == 404
    assert client_for("tambov-coordinator").get(f"/evidence/{evidence.pk}/download/").status_code == 404


def test_the_review_queue_returns_with_a_comment(client_for, cast):
    obligation = open_obligation("МБОУ «Чердатская СОШ»")
    services.do_save_report(
        actor=cast["cherdaty-director"], obligation=obligation, status="failed", comment="не успели"
    )
    services.do_submit_report(actor=cast["cherdaty-director"], obligation=obligation)
    client = client_for("tomsk-curator")
    # The living demo keeps the curator's queue longer than a page: look at this school's part.
    mine = {"executor": obligation.executor_id}
    queue = client.get("/reviews/", mine)
    assert obligation in list(queue.context["page"])
    response = client.post(
        f"/obligations/{obligation.pk}/review/",
        {"action": "return", "comment": "Опишите причины"},
        follow=True,
    )
    assert "возвращён исполнителю" in response.content.decode()
    assert obligation not in list(client.get("/reviews/", mine).context["page"])
    director_view = client_for("cherdaty-director").get(f"/obligations/{obligation.pk}/").content.decode()
    assert "Опишите причины" in director_view


def test_a_curator_cannot_reopen_an_accepted_report(client_for, cast):
    obligation = open_obligation("МБОУ «Чердатская СОШ»")
    services.do_save_report(
        actor=cast["cherdaty-director"], obligation=obligation, status="not_required", comment="x"
    )
    report = services.do_submit_report(actor=cast["cherdaty-director"], obligation=obligation)
    services.do_accept_report(actor=cast["tomsk-curator"], report=report)
    response = client_for("tomsk-curator").post(
        f"/obligations/{obligation.pk}/review/", {"action": "reopen", "comment": "x"}
    )
    assert response.status_code == 403


def test_execution_figures_match_the_database(client_for):
    client = client_for("tomsk-department")
    municipality = Organization.objects.get(short_name="УО Зырянского района").municipality
    response = client.get("/execution/", {"municipality": municipality.pk})
    figures = response.context["figures"]
    # «Due» is judged by the region's date (Tomsk is UTC+7): the living demo has deadlines today.
    today = timezone.localdate(timezone=ZoneInfo(municipality.region.timezone))
    due = Obligation.objects.filter(executor__municipality=municipality, cancelled=False, due_date__lte=today)
    assert figures.expected == due.count()
    assert figures.accepted == due.filter(report__review_state="accepted").count()
    assert figures.submitted == due.filter(report__submitted_at__isnull=False).count()


def test_the_matrix_colours_cells_and_stays_flat(client_for, django_assert_max_num_queries):
    from roadmaps.models import Roadmap

    client = client_for("tomsk-department")
    regional = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    with django_assert_max_num_queries(25):
        response = client.get("/execution/matrix/", {"roadmap": regional.pk, "by": "municipality"})
    body = response.content.decode()
    assert "c-overdue" in body and "c-accepted" in body
    assert len(response.context["rows"]) >= 30


def test_the_daily_digest_lists_what_is_overdue_and_what_waits_for_review(cast):
    User.objects.filter(username__in=["cherdaty-director", "tomsk-curator"]).update(email_reminders=True)
    User.objects.filter(username="tomsk-director").update(email_reminders=False)
    obligation = open_obligation("МБОУ «Чердатская СОШ»")
    services.do_save_report(
        actor=cast["cherdaty-director"], obligation=obligation, status="failed", comment="x"
    )
    services.do_submit_report(actor=cast["cherdaty-director"], obligation=obligation)
    result = send_reminders(today=dt.date(2023, 12, 20))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert result["sent"] == len(mail.outbox)
    director_mail = by_recipient["cherdaty@tomsk.demo"]
    assert "просроч" in director_mail.subject.lower() and "/obligations/" in director_mail.body
    assert (
        "Ждёт вашей проверки" in by_recipient["curator@tomsk.demo"].body
        or "Ждут вашей проверки" in by_recipient["curator@tomsk.demo"].body
    )
    assert "school5@tomsk.demo" not in by_recipient  # opted out


def test_the_review_queue_filters_by_municipality_and_text(client_for):
    client = client_for("tomsk-coordinator")
    zyr = Organization.objects.get(short_name="УО Зырянского района").municipality
    rows = list(client.get("/reviews/", {"municipality": zyr.pk}).context["page"])
    assert rows and all(o.executor.municipality_id == zyr.pk for o in rows)
    rows = list(client.get("/reviews/", {"search": "Чердатская"}).context["page"])
    # The search reads executors and item texts (the school's own plan names it in its items).
    assert rows and all("Чердатская" in o.executor.short_name or "Чердатская" in o.item.text for o in rows)
    assert any("Чердатская" in o.executor.short_name for o in rows)


def test_overdue_and_returned_tabs_do_not_overlap(client_for):
    client = client_for("tomsk-coordinator")
    overdue = set(
        client.get("/tasks/", {"bucket": "overdue"})
        .context["page"]
        .paginator.object_list.values_list("pk", flat=True)
    )
    returned = set(
        client.get("/tasks/", {"bucket": "returned"})
        .context["page"]
        .paginator.object_list.values_list("pk", flat=True)
    )
    assert returned and not overdue & returned
