"""Every filtered list downloads as XLSX with the same filters as its page."""

import io

import openpyxl
import pytest

from roadmaps.models import Roadmap

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = [
        [c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows()
    ]
    header = next(n for n, r in enumerate(rows) if r[0] in ("Срок", "Школа"))
    return rows[:header], rows[header + 1 :]


def test_the_execution_list_exports_what_the_page_counts(client_for):
    client = client_for("tomsk-department")
    regional = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    params = {"roadmap": regional.pk, "overdue": "true", "programme": "shnor"}
    page = client.get("/execution/", params)
    heading, body = sheet(client.get("/execution/export.xlsx", params))
    assert len(body) == page.context["page"].paginator.count > 0
    described = " ".join(str(h[0]) for h in heading if h and h[0])
    assert "Программа: ШНОР" in described and "Просрочено: только просроченные" in described
    assert {r[9] for r in body} == {"да"}
    # The page links to it with its own query.
    assert "/execution/export.xlsx?roadmap=" in page.content.decode()


def test_my_tasks_export_the_chosen_tab(client_for):
    client = client_for("zyryanka-municipal")
    page = client.get("/tasks/", {"bucket": "overdue"})
    heading, body = sheet(client.get("/tasks/export.xlsx", {"bucket": "overdue"}))
    assert len(body) == page.context["page"].paginator.count > 0
    assert any("Просрочено" in str(h[0]) for h in heading if h)


def test_the_review_queue_exports_its_filtered_rows(client_for):
    client = client_for("tomsk-coordinator")
    params = {"search": "Томск"}
    page = client.get("/reviews/", params)
    _heading, body = sheet(client.get("/reviews/export.xlsx", params))
    assert len(body) == page.context["page"].paginator.count


def test_questionnaire_tracking_exports_the_filtered_schools(client_for):
    from questionnaires.models import Questionnaire

    q = Questionnaire.objects.get(is_template=False, owner__short_name="МАУ ИМЦ")
    client = client_for("tomsk-coordinator")
    params = {"state": "submitted"}
    page = client.get(f"/questionnaires/{q.pk}/tracking/", params)
    _heading, body = sheet(client.get(f"/questionnaires/{q.pk}/tracking.xlsx", params))
    assert len(body) == page.context["page"].paginator.count > 0
    assert {r[4] for r in body} == {"отправлена"}


def test_a_director_exports_only_their_own_obligations(client_for):
    client = client_for("cherdaty-director")
    _heading, body = sheet(client.get("/execution/export.xlsx"))
    assert body and {r[4] for r in body} <= {
        "МБОУ «Чердатская СОШ»",
        "Филиал МБОУ «Чердатская СОШ» в с. Высокий Яр",
    }
