"""Files follow transactions: a failed save leaves no file, a replaced file goes only after the
commit, the same file twice is one evidence, and ``check_storage`` finds what a killed process
left behind."""

import io
import json
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from monitoring import services as monitoring_services
from monitoring.demo import tiny_pdf
from monitoring.models import Evidence, ExecutionReport
from questionnaires import services as questionnaire_services
from questionnaires.models import Question
from tests.monitoring.test_pages import open_obligation
from tests.questionnaire_factories import director_school, form, make_assignment, make_questionnaire

pytestmark = pytest.mark.django_db


def media_files(folder: str) -> set[str]:
    root = Path(settings.MEDIA_ROOT) / folder
    return {str(p.relative_to(settings.MEDIA_ROOT)) for p in root.rglob("*") if p.is_file()}


def test_a_failed_evidence_save_leaves_no_file(cast, monkeypatch):
    obligation = open_obligation("УО Зырянского района")
    before = media_files("evidence")

    def broken_event(*args, **kwargs):
        raise RuntimeError("the database went away after the file was written")

    monkeypatch.setattr(monitoring_services, "_event", broken_event)
    with pytest.raises(RuntimeError):
        monitoring_services.do_add_file(
            actor=cast["zyryanka-municipal"], obligation=obligation, name="Приказ.pdf", data=tiny_pdf("a")
        )
    assert not Evidence.objects.filter(report__obligation=obligation).exists()
    assert media_files("evidence") == before


def test_the_same_file_twice_on_one_report_is_one_evidence(client_for):
    client = client_for("zyryanka-municipal")
    obligation = open_obligation("УО Зырянского района")
    url = f"/obligations/{obligation.pk}/evidence/"
    data = tiny_pdf("один и тот же приказ")
    client.post(url, {"file": SimpleUploadedFile("Приказ.pdf", data), "description": "приказ"})
    response = client.post(url, {"file": SimpleUploadedFile("Приказ (1).pdf", data)}, follow=True)
    assert "Этот файл уже приложен к отчёту: «Приказ.pdf»" in response.content.decode()
    report = ExecutionReport.objects.get(obligation=obligation)
    assert report.evidence.count() == 1
    # Another file is another evidence.
    client.post(url, {"file": SimpleUploadedFile("Список.pdf", tiny_pdf("другой"))})
    assert report.evidence.count() == 2


@pytest.fixture
def file_question(cast):
    q = make_questionnaire("70")
    assignment = make_assignment(q, director_school("70"))
    fq = questionnaire_services.do_add_question(
        actor=None, questionnaire=q, text="Приложите приказ", kind=Question.Kind.FILE
    )
    return assignment, fq


def save_file_answer(cast, assignment, question, name: str):
    pdf = SimpleUploadedFile(name, tiny_pdf(name), content_type="application/pdf")
    response, errors = questionnaire_services.do_save_draft(
        actor=cast["tomsk-director"], assignment=assignment, data=form(), files={f"q{question.pk}": pdf}
    )
    assert not errors
    return response.answers.get(question=question)


def test_a_replaced_answer_file_is_deleted_only_after_the_commit(
    cast, file_question, django_capture_on_commit_callbacks
):
    assignment, fq = file_question
    with django_capture_on_commit_callbacks(execute=True):
        first = save_file_answer(cast, assignment, fq, "Приказ 1.pdf")
    old_path = Path(first.file.path)

    # A replacement whose transaction rolls back: the old file and its row stay together.
    with pytest.raises(RuntimeError), transaction.atomic():
        save_file_answer(cast, assignment, fq, "Приказ 2.pdf")
        raise RuntimeError("rolled back")
    first.refresh_from_db()
    assert first.file_name == "Приказ 1.pdf" and old_path.exists()

    # A replacement that commits: the old file goes after the commit, not before.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = save_file_answer(cast, assignment, fq, "Приказ 3.pdf")
        assert old_path.exists()
    for callback in callbacks:
        callback()
    assert not old_path.exists() and Path(second.file.path).exists()


def test_a_failed_answer_save_leaves_no_new_file(cast, file_question, monkeypatch):
    assignment, fq = file_question
    before = media_files("questionnaires")
    from questionnaires.models import Response

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("killed after the file was written")

    monkeypatch.setattr(Response, "save", broken_save)
    with pytest.raises(RuntimeError):
        save_file_answer(cast, assignment, fq, "Приказ.pdf")
    assert media_files("questionnaires") == before


def run_check(*args: str) -> tuple[dict, int]:
    out = io.StringIO()
    code = 0
    try:
        call_command("check_storage", "--json", *args, stdout=out)
    except SystemExit as exc:
        code = exc.code
    return json.loads(out.getvalue()), code


def test_check_storage_lists_orphans_missing_files_and_stale_uploads(cast, tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    # A media folder of its own: --delete-orphans below must not reach the files other tests share.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    baseline, _ = run_check("--grace-minutes", "0")
    hour_ago = time.time() - 3600
    orphan = Path(settings.MEDIA_ROOT) / "evidence" / "2020" / "01" / "orphan-left-by-a-killed-worker.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(tiny_pdf("orphan"))
    os.utime(orphan, (hour_ago, hour_ago))
    fresh = orphan.with_name("being-written-right-now.pdf")
    fresh.write_bytes(b"%PDF-1.4")
    upload = tmp_path / "tmpabc123.upload.pdf"
    upload.write_bytes(b"partial")
    os.utime(upload, (hour_ago, hour_ago))
    obligation = open_obligation("УО Зырянского района")
    report = ExecutionReport.objects.create(obligation=obligation, region_id=obligation.region_id)
    lost = Evidence.objects.create(
        region_id=report.region_id,
        report=report,
        kind="file",
        file="evidence/2020/01/gone.pdf",
        original_name="g",
    )

    found, code = run_check("--grace-minutes", "30")
    assert code == 1
    assert set(found["orphans"]) - set(baseline["orphans"]) == {
        "evidence/2020/01/orphan-left-by-a-killed-worker.pdf"
    }
    assert {"model": "monitoring.Evidence", "pk": lost.pk, "file": "evidence/2020/01/gone.pdf"} in found[
        "missing"
    ]
    assert found["temp_uploads"] == [str(upload)]

    found, code = run_check("--grace-minutes", "30", "--delete-orphans")
    assert not orphan.exists() and not upload.exists()
    assert fresh.exists()  # younger than the grace period: perhaps its transaction is still running
    assert code == 1  # the row naming a missing file is left for a person to decide
    fresh.unlink()
