"""A regional coordinator imports a roadmap from a DOCX plan: upload, check the preview, set the
owner and a manual date for the schedule the portal could not read, confirm, find it in the list.
The DOCX is built here with python-docx, the way such plans are published (title paragraphs above
one table, a section row merged across the table)."""

import re

import pytest
from docx import Document
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ACT_LINE = "Приложение к распоряжению Департамента общего образования Томской области от 01.02.2024 № 100-р"
TITLE = (
    "План мероприятий («дорожная карта») по повышению качества образования "
    "в школах с низкими результатами обучения на 2024 год"
)
HEADER = ["№ п/п", "Мероприятие", "Сроки реализации", "Показатель реализации", "Результат", "Исполнители"]
SECTION = "1. Организационно-методическое сопровождение школ с низкими результатами обучения"
ITEMS = [
    [
        "1.",
        "Анализ результатов оценочных процедур в школах с низкими результатами",
        "до 31 марта 2024 г.",
        "Доля школ, охваченных анализом, 100 %",
        "Аналитическая справка",
        "ТОИПКРО, МОУО",
    ],
    [
        "2.",
        "Методические семинары для руководителей школ",
        "ежеквартально",
        "Количество семинаров не менее 4",
        "Программы семинаров",
        "ТОИПКРО",
    ],
    [
        "3.",
        "Проведение спортивного фестиваля школ",
        "по окончании ремонта спортзала",
        "Количество участников",
        "Отчёт о фестивале",
        "МОУО",
    ],
    [
        "4.",
        "Мониторинг реализации дорожной карты",
        "до 01.12.2024",
        "Отчёт представлен",
        "Информационная справка",
        "ДОО ТО",
    ],
]
UNKNOWN_KEY = "3"  # keys are counted over the plan's items in order: «1.» → 1, …, «3.» → 3


def build_plan(path):
    document = Document()
    document.add_paragraph(ACT_LINE)
    document.add_paragraph(TITLE)
    table = document.add_table(rows=0, cols=len(HEADER))
    for values in [HEADER, None, *ITEMS]:
        row = table.add_row()
        if values is None:  # the section title: one cell merged across the whole table
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = SECTION
            continue
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(path)
    return path


def build_text_only(path):
    document = Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("1. Анализ результатов оценочных процедур — до 31 марта 2024 г., ТОИПКРО.")
    document.add_paragraph("2. Методические семинары для руководителей школ — ежеквартально, ТОИПКРО.")
    document.save(path)
    return path


def open_upload_page(page):
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Дорожные карты").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Дорожные карты")
    page.get_by_role("link", name="Загрузить дорожную карту").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Загрузка дорожной карты — Томская область")


def test_a_coordinator_imports_a_docx_roadmap_and_fixes_an_unrecognised_date(login, tmp_path):
    from roadmaps.models import Roadmap

    before = Roadmap.objects.count()
    plan = build_plan(tmp_path / "dorozhnaya-karta-2024.docx")
    page = login("tomsk-coordinator")
    open_upload_page(page)

    page.get_by_label("Файл дорожной карты (DOCX, XLSX или PDF с текстом)").set_input_files(plan)
    page.get_by_role("button", name="Загрузить и проверить").click()

    # The preview: what was found, the unreadable schedule flagged and linked to its row.
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверка перед загрузкой")
    expect(page.get_by_text("Разделов: 1, мероприятий: 4, подпунктов: 0.")).to_be_visible()
    summary = page.locator("section.summary")
    expect(summary.locator(".flag")).to_have_text("1 срок не распознан")
    warning = summary.get_by_role(
        "link", name="п. 3: срок «по окончании ремонта спортзала» не распознан — задайте даты вручную."
    )
    expect(warning).to_have_attribute("href", f"#key-{UNKNOWN_KEY}")
    unknown_row = page.locator(f"#key-{UNKNOWN_KEY}")
    expect(unknown_row).to_have_class(re.compile(r"\bunknown\b"))
    expect(unknown_row.locator(".flag")).to_contain_text("Не удалось распознать срок")
    expect(page.locator("tr.unknown")).to_have_count(1)
    expect(page.locator("tr.section")).to_have_text(SECTION)
    # The alias «ТОИПКРО, МОУО» splits into two executors, both found in the region's directory.
    executors = page.locator("#key-1 td").last.locator(".badge")
    expect(executors).to_have_text(["ТОИПКРО", "МОУО"])
    expect(executors.and_(page.locator(".badge-unresolved"))).to_have_count(0)

    # Parameters read from the title paragraphs; the coordinator picks the owner and saves.
    expect(page.get_by_label("Название")).to_have_value(TITLE)
    expect(page.get_by_label("Утверждена: вид акта")).to_have_value("распоряжение")
    expect(page.get_by_label("номер", exact=True)).to_have_value("100-р")
    page.get_by_label("Владелец").select_option(label="ДОО ТО")
    page.get_by_role("button", name="Сохранить параметры").click()
    expect(page.get_by_text("Параметры сохранены, предпросмотр пересчитан.")).to_be_visible()
    expect(page.get_by_label("Владелец")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Владелец").locator("option:checked")).to_have_text("ДОО ТО")

    # A date that does not exist: the Russian error appears next to that item, nothing is saved.
    unknown_row = page.locator(f"#key-{UNKNOWN_KEY}")
    expect(unknown_row.locator("details")).to_have_attribute("open", "")
    unknown_row.locator(f"#dates-{UNKNOWN_KEY}").fill("31.02.2024")
    unknown_row.get_by_role("button", name="Сохранить даты").click()
    expect(unknown_row.locator(".errorlist")).to_have_text("Строка 1: такой даты нет — «31.02.2024».")
    expect(page.locator(".errorlist")).to_have_count(1)
    expect(summary.locator(".flag")).to_have_text("1 срок не распознан")

    unknown_row.locator(f"#dates-{UNKNOWN_KEY}").fill("30.09.2024")
    unknown_row.get_by_role("button", name="Сохранить даты").click()
    expect(page.get_by_text("Даты сохранены.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/roadmaps/imports/\d+/#key-{UNKNOWN_KEY}$"))
    expect(unknown_row).not_to_have_class(re.compile(r"\bunknown\b"))
    expect(unknown_row.locator(".dates .badge")).to_have_count(1)
    expect(unknown_row).to_contain_text("Даты заданы вручную")
    expect(unknown_row.locator("summary")).to_have_text("изменить даты")
    expect(page.locator(".errorlist")).to_have_count(0)
    expect(summary.locator(".ok")).to_have_text("Все сроки распознаны.")
    assert Roadmap.objects.count() == before  # nothing saved until confirmed

    page.get_by_role("button", name="Подтвердить и загрузить").click()

    # The roadmap page: title, owner, items, the section and the manual date, nothing flagged.
    # (Chromium keeps the «#key-3» fragment across the redirect, as browsers do.)
    expect(page).to_have_url(re.compile(r"/roadmaps/\d+/(#.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".msg-success")).to_contain_text("Дорожная карта загружена")
    props = page.locator("dl.props")
    expect(props).to_contain_text("ДОО ТО")
    expect(props).to_contain_text("01.01.2024 — 31.12.2024")
    expect(props).to_contain_text("Распоряжение от 01.02.2024 № 100-р")
    items = page.locator("table.items")
    expect(items.locator("tr.section")).to_have_text(SECTION)
    expect(items.locator("tbody tr[id^=item-]")).to_have_count(4)
    for values in ITEMS:
        expect(items.get_by_text(values[1])).to_be_visible()
    manual = items.locator("tr", has_text="Проведение спортивного фестиваля школ")
    expect(manual.locator(".dates .badge")).to_have_text(["до 30.09.2024"])
    expect(items.locator("tr", has_text="Методические семинары").locator(".dates .badge")).to_have_count(4)
    expect(items.get_by_text("не распознано")).to_have_count(0)
    expect(items.locator(".flag")).to_have_count(0)
    expect(props.get_by_text("не распознан")).to_have_count(0)
    roadmap_path = re.sub(r"#.*$", "", page.url)

    roadmap = Roadmap.objects.get(title=TITLE)
    assert Roadmap.objects.count() == before + 1
    assert (roadmap.owner.short_name, roadmap.level, roadmap.act_number) == ("ДОО ТО", "regional", "100-р")
    assert not roadmap.items.filter(schedule_understood=False).exists()

    # «Дорожные карты» lists it, with its owner, period and item count, and opens it.
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Дорожные карты").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Дорожные карты")
    row = page.locator("tbody tr", has=page.get_by_role("link", name=TITLE))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ДОО ТО")
    expect(row).to_contain_text("01.01.2024 — 31.12.2024")
    expect(row.locator("td.num")).to_have_text("4")
    row.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(roadmap_path)


def test_a_docx_without_a_table_is_refused_with_a_russian_message(login, tmp_path):
    from roadmaps.models import ImportDraft, Roadmap

    before = (Roadmap.objects.count(), ImportDraft.objects.count())
    document = build_text_only(tmp_path / "plan-bez-tablitsy.docx")
    page = login("tomsk-coordinator")
    open_upload_page(page)

    page.get_by_label("Файл дорожной карты (DOCX, XLSX или PDF с текстом)").set_input_files(document)
    page.get_by_role("button", name="Загрузить и проверить").click()

    expect(page.locator(".errorlist")).to_contain_text("В документе нет таблицы")
    expect(page.get_by_role("heading", level=1)).to_have_text("Загрузка дорожной карты — Томская область")
    expect(page).to_have_url(re.compile(r"/regions/70/roadmaps/import/$"))
    assert (Roadmap.objects.count(), ImportDraft.objects.count()) == before
