"""A region that is not in the fixtures goes live through the browser alone.

The platform administrator creates «Кемеровская область — Кузбасс» with its operator and invites
the coordinator; the coordinator sets a password from the e-mail, uploads the organizations
(XLSX) and the year's list of schools (CSV, one name as an order writes it, picked from the
suggestions), invites a municipal official and a director; the official's and director's
links work too; the coordinator imports a shipped school roadmap (mapping an executor the
importer did not know in one step) and approves it; the director sees their tasks.
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from schools.models import Membership, Organization, Region, SchoolStatus
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS
from tests.schools.onboarding_files import ORG_HEADER, org_row, xlsx

pytestmark = pytest.mark.e2e

ROADMAP = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps" / "071-cherdaty-school-2023.docx"
SCHOOL = "МБОУ «Чердатская СОШ»"
NEW_PASSWORD = "Кузбасс-2026-пароль"


def shot(page, step: str, width: int = 1366):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(ARTIFACTS / f"onboarding-{step}-{width}.png"), full_page=True)


def both_widths(page, step: str):
    shot(page, step, 390)
    shot(page, step, 1366)


def log_in(page, username: str, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name=re.compile(r"^Выйти"))).to_be_visible()


def log_out(page):
    page.get_by_role("button", name=re.compile(r"^Выйти")).click()
    expect(page.get_by_label("Имя пользователя")).to_be_visible()


def accept_invitation(page, email: str):
    """Open the link of the last invitation to ``email``, choose a password, land signed in."""
    message = [m for m in mail.outbox if m.to == [email]][-1]
    path = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)
    page.goto(path)
    expect(page.get_by_role("heading", name="Добро пожаловать на портал")).to_be_visible()
    page.get_by_label("Новый пароль", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Подтверждение нового пароля").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Задать пароль и войти").click()
    expect(page.get_by_role("button", name=re.compile(r"^Выйти"))).to_be_visible()


def organizations_file(tmp_path: Path) -> Path:
    path = tmp_path / "организации.xlsx"
    path.write_bytes(
        xlsx(
            ORG_HEADER,
            [
                org_row(
                    "4200001",
                    "Управление образования Зырянского района",
                    municipality="Зырянский район",
                    kind="МОУО",
                    mkind="муниципальный район",
                ),
                org_row(
                    "4200002",
                    SCHOOL,
                    municipality="Зырянский район",
                    mkind="муниципальный район",
                    rural="да",
                    director="Петров П. П.",
                    name="Муниципальное бюджетное общеобразовательное учреждение «Чердатская средняя общеобразовательная школа»",
                ),
                org_row("4200003", "МАОУ СОШ № 5", municipality="Город Кемерово", mkind="городской округ"),
            ],
        )
    )
    return path


def statuses_file(tmp_path: Path) -> Path:
    path = tmp_path / "шнор-2023.csv"
    path.write_text(
        'Название;Категория\nМБОУ "Чердатская СОШ";ШНОР\nМАОУ СОШ № 5 им. А.К. Ерохина;ШНСУ\n',
        encoding="utf-8",
    )
    return path


def test_a_new_region_goes_live_in_the_browser(page, tmp_path):
    # 1. The platform administrator creates the region with its operator and coordinator.
    log_in(page, "admin")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Регионы").click()
    page.get_by_label("Код субъекта РФ").fill("42")
    page.get_by_label("Название", exact=True).fill("Кемеровская область — Кузбасс")
    page.get_by_label("Часовой пояс").fill("Asia/Novokuznetsk")
    page.get_by_label("Региональный оператор: краткое название").fill("КРИПКиПРО")
    page.get_by_label("E-mail координатора").fill("coordinator@kuzbass.example")
    page.get_by_label("ФИО координатора").fill("Соколова Елена Игоревна")
    both_widths(page, "1-region-form")
    page.get_by_role("button", name="Создать регион").click()
    expect(page.get_by_text("приглашение координатору отправлено")).to_be_visible()
    region = Region.objects.get(code="42")
    assert region.timezone == "Asia/Novokuznetsk"
    log_out(page)

    # 2. The coordinator accepts the invitation.
    accept_invitation(page, "coordinator@kuzbass.example")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Подключение").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Кемеровская область")

    # 3. Organizations from a spreadsheet: preview, then confirm.
    page.get_by_role("navigation", name="Подключение региона").get_by_role("link", name="Организации").click()
    broken = tmp_path / "с-ошибкой.xlsx"
    broken.write_bytes(xlsx(ORG_HEADER, [org_row("4200009", "СОШ № 9", kind="интернат", mkind="")]))
    page.get_by_label("Файл XLSX или CSV").set_input_files(str(broken))
    page.get_by_role("button", name="Проверить файл").click()
    problems = page.locator("table", has=page.get_by_role("columnheader", name="Что не так"))
    expect(problems.locator("tbody tr")).to_have_count(2)  # «Вид» and «Вид муниципалитета», row 2
    expect(page.get_by_role("button", name="Подтвердить и сохранить")).to_have_count(0)
    both_widths(page, "2a-organizations-problems")
    page.get_by_role("button", name="Отменить").click()
    page.get_by_label("Файл XLSX или CSV").set_input_files(str(organizations_file(tmp_path)))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_text("Новых: 3")).to_be_visible()
    both_widths(page, "2-organizations-preview")
    page.get_by_role("button", name="Подтвердить и сохранить").click()
    expect(page.get_by_text("Организации загружены: новых 3")).to_be_visible()
    school = Organization.objects.get(region=region, short_name=SCHOOL)

    # 4. The year's list: one exact name, one near miss picked from the suggestions.
    page.get_by_role("navigation", name="Подключение региона").get_by_role(
        "link", name="Статусы школ"
    ).click()
    page.get_by_label("Год").fill("2023")
    page.get_by_label("Основание (документ)").fill("Приказ № 25 от 20.01.2023")
    page.get_by_label("Файл XLSX или CSV").set_input_files(str(statuses_file(tmp_path)))
    page.get_by_role("button", name="Проверить список").click()
    expect(page.get_by_text("Найдено школ: 1, не найдено: 1")).to_be_visible()
    near_miss = page.get_by_label("Школа для строки 3")
    expect(near_miss.locator("optgroup[label='Похожие'] option")).to_have_text(
        ["МАОУ СОШ № 5 (Город Кемерово)"]
    )
    near_miss.select_option(label="МАОУ СОШ № 5 (Город Кемерово)")
    both_widths(page, "3-statuses-preview")
    page.get_by_role("button", name="Подтвердить и сохранить").click()
    expect(page.get_by_text("Статусы 2023 года загружены: новых 2")).to_be_visible()
    assert SchoolStatus.objects.get(school=school, year=2023).basis_document == "Приказ № 25 от 20.01.2023"

    # 5. People: a municipal official and the school's director.
    page.get_by_role("navigation", name="Подключение региона").get_by_role("link", name="Люди").click()
    for email, name, role, org in (
        ("uo@zyr.example", "Морозова Анна", "специалист МОУО", "Управление образования Зырянского района"),
        ("director@cherdaty.example", "Петров Пётр Петрович", "руководитель ОО", SCHOOL),
    ):
        form = page.locator("form", has=page.get_by_role("button", name="Отправить приглашение"))
        form.get_by_label("E-mail").fill(email)
        form.get_by_label("ФИО").fill(name)
        form.get_by_label("Роль").select_option(label=role)
        form.get_by_label("Организация").select_option(label=org)
        form.get_by_role("button", name="Отправить приглашение").click()
        expect(page.get_by_text(f"Приглашение отправлено на {email}")).to_be_visible()
    page.get_by_role("link", name="Не приняли приглашение").click()
    expect(page.get_by_text("Петров Пётр Петрович")).to_be_visible()
    both_widths(page, "4-people")
    page.get_by_role("navigation", name="Подключение региона").get_by_role("link", name="Обзор").click()
    expect(page.get_by_text("Пользователей: 3, не приняли приглашение: 2.")).to_be_visible()
    both_widths(page, "4a-overview")

    # 6. A shipped school roadmap: an unknown executor mapped in one step, then confirm, approve.
    page.goto("/regions/42/roadmaps/import/")
    page.get_by_label(re.compile("Файл")).set_input_files(str(ROADMAP))
    page.get_by_role("button", name="Загрузить и проверить").click()
    expect(page.get_by_role("heading", name="Проверка перед загрузкой")).to_be_visible()
    page.get_by_label("Уровень").select_option(value="school")
    page.get_by_label("Владелец").select_option(label=SCHOOL)
    page.get_by_role("button", name="Сохранить параметры").click()
    unknown = page.locator("#unknown-executors form")
    for _ in range(unknown.count()):
        form = unknown.first
        form.get_by_label("Группа").select_option(value="curators")
        form.get_by_role("button", name="Запомнить").click()
        expect(page.get_by_text("запомнено для следующих загрузок")).to_be_visible()
    expect(page.locator("#unknown-executors")).to_have_count(0)
    shot(page, "5-roadmap-preview")
    page.get_by_role("button", name="Подтвердить и загрузить").click()
    expect(page.get_by_text("Дорожная карта загружена")).to_be_visible()
    page.get_by_role("button", name="Утвердить").click()
    expect(page.locator(".badge.status-approved")).to_be_visible()
    log_out(page)

    # 7. The municipal official's link works; the director's too, and the director sees tasks.
    accept_invitation(page, "uo@zyr.example")
    assert Membership.objects.get(user__username="uo@zyr.example").role == "municipal"
    log_out(page)
    accept_invitation(page, "director@cherdaty.example")
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Мои задачи").click()
    page.get_by_role("link", name=re.compile("^Просрочено")).click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 0
    expect(page.locator("main")).to_contain_text("Чердатская")
    both_widths(page, "6-director-tasks")
