"""Execution and review, in the browser: a municipal official uploads evidence and submits, the
coordinator returns it with a comment, the official resubmits, the coordinator accepts.

The demo roadmaps are for 2023, so every obligation of «УО Зырянского района» is overdue: the
report goes in with the mark «с опозданием». A school director of another municipality opening
the same obligation gets 404, like anything else outside their reach.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from monitoring.demo import tiny_pdf
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

EXECUTOR = "УО Зырянского района"
OFFICIAL = "zyryanka-municipal"
COORDINATOR = "tomsk-coordinator"
RETURN_COMMENT = "Приложите приказ с подписью"
LINK = "https://zyr-edu.ru/shnor/prikaz"


def log_in(page, username: str):
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name=re.compile(r"^Выйти"))).to_be_visible()
    return page


def log_out(page):
    page.get_by_role("button", name=re.compile(r"^Выйти")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_label("Имя пользователя")).to_be_visible()


def shot(page, step: str):
    """A screenshot of an intermediate step, next to the one the fixture takes at the end."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"execution-journey-{step}.png"), full_page=True)


def menu(page, name: str):
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name=name, exact=True).click()


def open_from_list(page, obligation, screenshot: str = ""):
    """Click «п. N» in the row of this obligation, following «дальше →» while it is not shown.

    The caller has already waited for the list page itself to load."""
    href = f"/obligations/{obligation.pk}/"
    rows = page.locator("tbody tr", has=page.locator(f'a[href="{href}"]'))
    pages = page.get_by_role("navigation", name="Страницы")
    number = 1
    while not rows.count():
        number += 1
        pages.get_by_role("link", name=re.compile("дальше")).click()
        expect(pages.get_by_text(f"Страница {number} из ")).to_be_visible()
    expect(rows).to_have_count(1)
    if screenshot:
        shot(page, screenshot)
    rows.get_by_role("link", name=f"п. {obligation.item.number}", exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(href)}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"п. {obligation.item.number}")


def test_a_report_is_returned_resubmitted_and_accepted(page, tmp_path):
    from monitoring import selectors
    from monitoring.models import ExecutionReport, Obligation, ReportEvent
    from schools.models import User

    obligation = (
        Obligation.objects.filter(executor__short_name=EXECUTOR, report__isnull=True)
        .select_related("item", "region")
        .order_by("due_date", "pk")
        .first()
    )
    assert obligation is not None, "в демо-данных нет обязательства УО Зырянского района без отчёта"
    official = User.objects.get(username=OFFICIAL)
    overdue_first_page = list(selectors.tasks(official, bucket="overdue").values_list("pk", flat=True)[:30])
    pdf = tmp_path / "prikaz-shnor.pdf"
    pdf.write_bytes(tiny_pdf("Prikaz ShNOR"))
    fake = tmp_path / "отчёт.pdf"
    fake.write_text("<!doctype html><html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    done_on = timezone.localdate(timezone=obligation.region.tzinfo).strftime("%d.%m.%Y")

    # 1. The official finds the obligation under «Просрочено» in «Мои задачи».
    log_in(page, OFFICIAL)
    menu(page, "Мои задачи")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои задачи")
    tabs = page.get_by_role("navigation", name="Отбор задач")
    tabs.get_by_role("link", name=re.compile(r"^Просрочено")).click()
    expect(tabs.get_by_role("link", name=re.compile(r"^Просрочено"))).to_have_attribute(
        "aria-current", "page"
    )
    if obligation.pk in overdue_first_page:
        open_from_list(page, obligation, screenshot="1-overdue-tab")
    else:  # paginated past the first page: go straight to it
        page.goto(f"/obligations/{obligation.pk}/")
    expect(page.locator("dl.props").first).to_contain_text(EXECUTOR)
    expect(page.get_by_text("Пока ничего не приложено.")).to_be_visible()

    # 2. A PDF is accepted; an HTML page named «отчёт.pdf» is refused in Russian, nothing added.
    page.get_by_label("Файл", exact=True).set_input_files(pdf)
    page.get_by_label("Что это", exact=True).fill("Приказ УО о сопровождении ШНОР")
    page.get_by_role("button", name="Добавить подтверждение").click()
    expect(page.locator(".msg-success")).to_have_text("Подтверждение добавлено.")
    evidence = page.locator("ul.evidence > li")
    expect(evidence).to_have_count(1)
    expect(evidence.get_by_role("link", name="prikaz-shnor.pdf")).to_be_visible()

    page.get_by_label("Файл", exact=True).set_input_files(fake)
    page.get_by_role("button", name="Добавить подтверждение").click()
    expect(page.locator(".msg-error")).to_contain_text("«отчёт.pdf» не похоже на документ")
    expect(page.locator(".msg-success")).to_have_count(0)
    expect(evidence).to_have_count(1)
    expect(page.get_by_text("отчёт.pdf", exact=True)).to_have_count(0)
    shot(page, "2-upload-refused")

    # 3. Status, comment, date; submitted after the deadline, so marked late and locked.
    page.get_by_label("Статус исполнения").select_option(label="выполнено")
    page.get_by_label("Комментарий", exact=True).fill("Совещание проведено, приказ издан.")
    page.get_by_label("Дата выполнения").fill(done_on)
    expect(page.get_by_text("Срок прошёл: отчёт будет принят с отметкой «с опозданием».")).to_be_visible()
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.locator(".msg-success")).to_have_text("Отчёт отправлен на проверку.")
    expect(
        page.get_by_role("status").filter(has_text="до решения проверяющего изменить его нельзя")
    ).to_be_visible()
    state = page.locator("dl.props").first.locator("dd").last
    expect(state).to_contain_text("на проверке")
    expect(state).to_contain_text("с опозданием")
    expect(page.get_by_role("button", name="Отправить на проверку")).to_have_count(0)
    expect(page.get_by_role("button", name="Добавить подтверждение")).to_have_count(0)
    shot(page, "3-submitted")
    log_out(page)

    # 4. The coordinator finds it in «Проверка» and returns it with a comment.
    log_in(page, COORDINATOR)
    menu(page, "Проверка")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Отчёты на проверке")
    open_from_list(page, obligation, screenshot="4-queue")
    shot(page, "4-review")
    expect(page.get_by_text("Совещание проведено, приказ издан.")).to_be_visible()
    page.get_by_label("Комментарий (обязателен при возврате)").fill(RETURN_COMMENT)
    page.get_by_role("button", name="Вернуть на доработку").click()
    # The reviewer goes back to the queue, the report no longer in it.
    expect(page.locator(".msg-success")).to_have_text("Отчёт возвращён исполнителю на доработку.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Отчёты на проверке")
    page.goto(f"/obligations/{obligation.pk}/")
    expect(page.locator("dl.props").first.locator("dd").last).to_contain_text("возвращено на доработку")
    shot(page, "4-returned-by-coordinator")
    expect(page.get_by_role("button", name="Принять")).to_have_count(0)
    log_out(page)

    # 5. The official sees it under «Возвращено на доработку», reads the comment, adds a link, resubmits.
    log_in(page, OFFICIAL)
    menu(page, "Мои задачи")
    tabs.get_by_role("link", name=re.compile(r"^Возвращено на доработку")).click()
    expect(tabs.get_by_role("link", name=re.compile(r"^Возвращено на доработку"))).to_have_attribute(
        "aria-current", "page"
    )
    open_from_list(page, obligation)
    expect(page.locator(".msg-error")).to_have_text(f"Вернули на доработку: {RETURN_COMMENT}")
    shot(page, "5-returned")
    page.get_by_label("или ссылка").fill(LINK)
    page.get_by_role("button", name="Добавить подтверждение").click()
    expect(page.locator(".msg-success")).to_have_text("Подтверждение добавлено.")
    expect(evidence).to_have_count(2)
    expect(evidence.get_by_role("link", name=LINK)).to_be_visible()
    expect(page.get_by_label("Статус исполнения").locator("option:checked")).to_have_text("выполнено")
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.locator(".msg-success")).to_have_text("Отчёт отправлен на проверку.")
    expect(
        page.get_by_role("status").filter(has_text="до решения проверяющего изменить его нельзя")
    ).to_be_visible()
    log_out(page)

    # 6. The coordinator accepts; the history shows every step in order.
    log_in(page, COORDINATOR)
    menu(page, "Проверка")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Отчёты на проверке")
    open_from_list(page, obligation)
    page.get_by_role("button", name="Принять").click()
    expect(page.locator(".msg-success")).to_have_text("Отчёт принят.")
    page.goto(f"/obligations/{obligation.pk}/")
    state = page.locator("dl.props").first.locator("dd").last
    expect(state).to_contain_text("принято")
    expect(state).to_contain_text("с опозданием")
    expect(page.get_by_role("button", name="Открыть повторно")).to_be_visible()
    expect(page.locator("ol.history-list > li")).to_have_text(
        [
            re.compile(r"добавлено подтверждение «prikaz-shnor\.pdf»"),
            re.compile(r"отправлен на проверку «после срока»"),
            re.compile(rf"возвращён на доработку «{RETURN_COMMENT}»"),
            re.compile(rf"добавлено подтверждение «{re.escape(LINK)}»"),
            re.compile(r"отправлен на проверку «после срока»"),
            re.compile(r"принят$"),
        ]
    )

    # 7. The database agrees.
    report = ExecutionReport.objects.get(obligation=obligation)
    assert report.review_state == ExecutionReport.Review.ACCEPTED
    assert report.status == ExecutionReport.Status.DONE
    assert report.is_late
    assert report.evidence.count() == 2
    assert sorted(report.evidence.values_list("kind", flat=True)) == ["file", "link"]
    A = ReportEvent.Action
    assert list(report.events.order_by("at", "pk").values_list("action", flat=True)) == [
        A.EVIDENCE_ADDED,
        A.SUBMITTED,
        A.RETURNED,
        A.EVIDENCE_ADDED,
        A.SUBMITTED,
        A.ACCEPTED,
    ]


def test_a_director_gets_404_for_another_municipalitys_obligation(page):
    from monitoring.models import Obligation

    obligation = Obligation.objects.filter(executor__short_name=EXECUTOR).order_by("due_date", "pk").first()
    assert obligation is not None
    log_in(page, "tomsk-director")
    response = page.goto(f"/obligations/{obligation.pk}/")
    assert response.status == 404
    expect(page.get_by_text(EXECUTOR)).to_have_count(0)
