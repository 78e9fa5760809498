"""Filing, evidence, submission, review, reopening — and who may do each, through the gate."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from core.uploads import UploadRejected
from monitoring import services
from monitoring.demo import tiny_pdf
from monitoring.models import Evidence, ExecutionReport, Obligation, ReportEvent

pytestmark = pytest.mark.django_db


def obligation_of(
    executor: str, roadmap: str = "000-tomsk-shnor-2023.docx", number: str | None = None
) -> Obligation:
    qs = Obligation.objects.filter(
        executor__short_name=executor, roadmap__source_name=roadmap, report__isnull=True
    )
    if number:
        qs = qs.filter(item__number=number)
    return qs.order_by("due_date").first()


def test_the_full_cycle_for_a_municipal_report(cast):
    municipal, coordinator = cast["zyryanka-municipal"], cast["tomsk-coordinator"]
    obligation = obligation_of("УО Зырянского района")
    services.do_save_report(
        actor=municipal,
        obligation=obligation,
        status="done",
        comment="Проведено",
        done_on=dt.date(2023, 4, 20),
    )
    services.do_add_link(
        actor=municipal, obligation=obligation, url="https://zyr-edu.ru/shnor", description="раздел сайта"
    )
    report = services.do_submit_report(actor=municipal, obligation=obligation)
    assert report.review_state == "submitted" and report.is_late  # 2023 deadlines are long past
    with pytest.raises(ValidationError, match="на проверку"):
        services.do_save_report(actor=municipal, obligation=obligation, status="partial")
    with pytest.raises(ValidationError, match="что нужно исправить"):
        services.do_return_report(actor=coordinator, report=report, comment=" ")
    services.do_return_report(actor=coordinator, report=report, comment="Приложите приказ")
    services.do_add_file(actor=municipal, obligation=obligation, name="приказ.pdf", data=tiny_pdf("order"))
    services.do_submit_report(actor=municipal, obligation=obligation)
    report = services.do_accept_report(actor=coordinator, report=report)
    assert report.review_state == "accepted"
    assert services.lock_reason(report).startswith("Отчёт принят")
    with pytest.raises(ValidationError, match="Отчёт принят"):
        services.do_add_link(actor=municipal, obligation=obligation, url="https://zyr-edu.ru/2")
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", "user__username"))
    assert actions == [
        ("saved", "zyryanka-municipal"),
        ("evidence_added", "zyryanka-municipal"),
        ("submitted", "zyryanka-municipal"),
        ("returned", "tomsk-coordinator"),
        ("evidence_added", "zyryanka-municipal"),
        ("submitted", "zyryanka-municipal"),
        ("accepted", "tomsk-coordinator"),
    ]


def test_only_a_coordinator_reopens_an_accepted_report_and_must_say_why(cast):
    obligation = obligation_of("УО Зырянского района")
    municipal, coordinator = cast["zyryanka-municipal"], cast["tomsk-coordinator"]
    services.do_save_report(
        actor=municipal, obligation=obligation, status="not_required", comment="Мероприятие отменено"
    )
    report = services.do_submit_report(actor=municipal, obligation=obligation)
    services.do_accept_report(actor=coordinator, report=report)
    with pytest.raises(PermissionDenied):
        services.do_reopen_report(actor=cast["tomsk-curator"], report=report, reason="x")
    with pytest.raises(ValidationError, match="причину"):
        services.do_reopen_report(actor=coordinator, report=report, reason="")
    services.do_reopen_report(actor=coordinator, report=report, reason="Найдена ошибка в приказе")
    report.refresh_from_db()
    assert report.review_state == "returned" and report.review_comment == "Найдена ошибка в приказе"


def test_a_report_cannot_be_submitted_without_a_result_or_evidence(cast):
    director = cast["cherdaty-director"]
    obligation = obligation_of("МБОУ «Чердатская СОШ»", roadmap="071-cherdaty-school-2023.docx")
    services.do_save_report(actor=director, obligation=obligation, status="in_progress")
    with pytest.raises(ValidationError, match="укажите итог"):
        services.do_submit_report(actor=director, obligation=obligation)
    services.do_save_report(actor=director, obligation=obligation, status="done")
    with pytest.raises(ValidationError, match="приложите хотя бы один файл"):
        services.do_submit_report(actor=director, obligation=obligation)
    assert ExecutionReport.objects.get(obligation=obligation).review_state == "draft"


@pytest.mark.parametrize(
    "name, data",
    [
        ("вирус.docx", b"MZ\x90\x00\x03" + b"\0" * 100),
        ("страница.pdf", b"<html><body>not a pdf</body></html>"),
        ("../../../etc/passwd", b"root:x:0:0"),
    ],
)
def test_a_rejected_upload_saves_nothing(cast, name, data):
    director = cast["cherdaty-director"]
    obligation = obligation_of("МБОУ «Чердатская СОШ»", roadmap="071-cherdaty-school-2023.docx")
    with pytest.raises(UploadRejected):
        services.do_add_file(actor=director, obligation=obligation, name=name, data=data)
    assert not Evidence.objects.filter(report__obligation=obligation).exists()


def test_a_too_large_upload_is_refused(cast, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    obligation = obligation_of("МБОУ «Чердатская СОШ»", roadmap="071-cherdaty-school-2023.docx")
    with pytest.raises(UploadRejected, match="больше"):
        services.do_add_file(
            actor=cast["cherdaty-director"],
            obligation=obligation,
            name="big.pdf",
            data=tiny_pdf("x") + b"0" * 2048,
        )


def test_an_accepted_file_is_stored_under_a_generated_name(cast):
    obligation = obligation_of("МБОУ «Чердатская СОШ»", roadmap="071-cherdaty-school-2023.docx")
    evidence = services.do_add_file(
        actor=cast["cherdaty-director"], obligation=obligation, name="../Приказ № 5.pdf", data=tiny_pdf("x")
    )
    assert evidence.original_name == "Приказ № 5.pdf"
    assert "Приказ" not in evidence.file.name and default_storage.exists(evidence.file.name)
    services.do_remove_evidence(actor=cast["cherdaty-director"], evidence=evidence)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize(
    "username, executor, roadmap, allowed",
    [
        ("cherdaty-director", "МБОУ «Чердатская СОШ»", "071-cherdaty-school-2023.docx", True),
        ("tomsk-director", "МБОУ «Чердатская СОШ»", "071-cherdaty-school-2023.docx", False),
        ("zyryanka-municipal", "УО Зырянского района", "000-tomsk-shnor-2023.docx", True),
        ("tomsk-municipal", "УО Зырянского района", "000-tomsk-shnor-2023.docx", False),
        ("tomsk-curator", "ТОИПКРО", "000-tomsk-shnor-2023.docx", True),
        ("tomsk-department", "ДОО ТО", "000-tomsk-shnor-2023.docx", False),
        ("tomsk-coordinator", "ДОО ТО", "000-tomsk-shnor-2023.docx", True),
        ("tambov-coordinator", "ТОИПКРО", "000-tomsk-shnor-2023.docx", False),
    ],
)
def test_who_may_file_for_whom(cast, username, executor, roadmap, allowed):
    obligation = obligation_of(executor, roadmap=roadmap)

    def call():
        return services.do_save_report(actor=cast[username], obligation=obligation, status="in_progress")

    if allowed:
        call()
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_a_curator_reviews_only_the_schools_assigned_to_them(cast):
    director = cast["cherdaty-director"]
    obligation = obligation_of("МБОУ «Чердатская СОШ»", roadmap="071-cherdaty-school-2023.docx")
    services.do_save_report(actor=director, obligation=obligation, status="not_required", comment="нет")
    report = services.do_submit_report(actor=director, obligation=obligation)
    with pytest.raises(PermissionDenied):
        services.do_accept_report(actor=cast["tomsk-municipal"], report=report)
    services.do_accept_report(actor=cast["tomsk-curator"], report=report)  # Чердатская is theirs
    other = obligation_of("МАОУ СОШ № 44 г. Томска", roadmap="072-tomsk-school44-2023.xlsx")
    assert not services.rules.may_review(services.access.get_scope(cast["tomsk-curator"]), other)
    assert services.rules.may_review(services.access.get_scope(cast["tomsk-coordinator"]), other)
