"""The executor's report and its evidence are one form: nothing typed is lost on the way."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring.demo import tiny_pdf
from monitoring.models import ExecutionReport, Obligation

pytestmark = pytest.mark.django_db


def open_obligation(executor: str) -> Obligation:
    return (
        Obligation.objects.filter(executor__short_name=executor, report__isnull=True)
        .order_by("due_date")
        .first()
    )


def test_the_evidence_fields_and_button_belong_to_the_report_form(client_for):
    obligation = open_obligation("УО Зырянского района")
    body = client_for("zyryanka-municipal").get(f"/obligations/{obligation.pk}/").content.decode()
    assert '<form method="post" novalidate id="report-form" enctype="multipart/form-data">' in body
    for name in ("file", "url", "description"):
        tag = re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*>', body).group(0)
        assert 'form="report-form"' in tag, tag
    assert f'formaction="/obligations/{obligation.pk}/evidence/"' in body


def test_adding_evidence_keeps_the_unsaved_comment(client_for):
    obligation = open_obligation("УО Зырянского района")
    client = client_for("zyryanka-municipal")
    url = f"/obligations/{obligation.pk}/"
    client.post(
        f"{url}evidence/",
        {
            "status": "done",
            "comment": "Совещание проведено 12 числа, протокол приложен.",
            "actual_value": "3",
            "url": "https://zyryanka.example.ru/news/1",
            "description": "новость",
        },
    )
    response = client.get(url)
    assert "Совещание проведено 12 числа, протокол приложен." in response.content.decode()
    report = ExecutionReport.objects.get(obligation=obligation)
    assert (
        report.comment == "Совещание проведено 12 числа, протокол приложен." and report.evidence.count() == 1
    )
    assert response.context["form"].initial["actual_value"] == "3"  # «3», not «3.00»
    # Submitting afterwards sends the comment that was typed before the evidence was added.
    client.post(url, {"action": "submit", "status": "done", "comment": report.comment, "actual_value": "3"})
    report.refresh_from_db()
    assert report.review_state == "submitted" and report.comment.startswith("Совещание проведено")


def test_a_file_chosen_before_submit_is_attached_not_lost(client_for):
    obligation = open_obligation("УО Зырянского района")
    client = client_for("zyryanka-municipal")
    client.post(
        f"/obligations/{obligation.pk}/",
        {
            "action": "submit",
            "status": "done",
            "comment": "Готово",
            "file": SimpleUploadedFile("Приказ.pdf", tiny_pdf("x")),
            "description": "приказ",
        },
    )
    report = ExecutionReport.objects.get(obligation=obligation)
    assert report.review_state == "submitted"
    assert [e.original_name for e in report.evidence.all()] == ["Приказ.pdf"]
