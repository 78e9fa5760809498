"""Amendments by upload (a new version of an imported plan), removing and reordering items."""

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError

from monitoring.models import Obligation
from roadmaps import services
from roadmaps.models import ImportDraft, Item, ItemHistory, Roadmap

pytestmark = pytest.mark.django_db

HEADER = ["№ п/п", "Мероприятие", "Сроки", "Показатель", "Исполнители"]
V1 = [
    ("Раздел 1. Организация", None),
    ("1.", ["Приказ о рабочей группе", "Март 2023", "приказ", "ТОИПКРО"]),
    ("2.", ["Семинар для директоров", "Апрель 2023", "не менее 20 участников", "ТОИПКРО"]),
    ("Раздел 2. Методическая работа", None),
    ("1.", ["Курсы для учителей", "I-III кварталы 2023 г.", "не менее 50 педагогов", "ТОИПКРО"]),
    ("2.", ["Конференция", "Ноябрь 2023", "проведена", "ТОИПКРО"]),
]
# The new version («в редакции приказа от 01.06.2023 № 77»): п. 2 of section 1 moves to May and
# gets a new target, п. 2 of section 2 is dropped, п. 3 of section 2 is added.
V2 = [
    ("Раздел 1. Организация", None),
    ("1.", ["Приказ о рабочей группе", "Март 2023", "приказ", "ТОИПКРО"]),
    ("2.", ["Семинар для директоров", "Май 2023", "не менее 30 участников", "ТОИПКРО"]),
    ("Раздел 2. Методическая работа", None),
    ("1.", ["Курсы для учителей", "I-III кварталы 2023 г.", "не менее 50 педагогов", "ТОИПКРО"]),
    ("3.", ["Стажировка в школах с высокими результатами", "3 декада октября", "10 педагогов", "ТОИПКРО"]),
]


def plan_docx(rows: list, act_line: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(act_line)
    document.add_paragraph("План мероприятий («дорожная карта») на 2023 год")
    table = document.add_table(rows=0, cols=len(HEADER))
    cells = table.add_row().cells
    for cell, text in zip(cells, HEADER, strict=True):
        cell.text = text
    for number, values in rows:
        row = table.add_row()
        if values is None:
            row.cells[0].merge(row.cells[-1]).text = number
            continue
        for cell, text in zip(row.cells, [number, *values], strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def imported(cast, django_capture_on_commit_callbacks) -> Roadmap:
    coordinator = cast["tomsk-coordinator"]
    from schools.models import Region

    data = plan_docx(V1, "Приложение к приказу ДОО ТО от 13.03.2023 № 50")
    draft = services.do_create_import_draft(
        actor=coordinator, region=Region.objects.get(code="70"), name="v1.docx", data=data
    )
    owner = (
        draft.region.organizations.get(short_name="ДОО ТО")
        if hasattr(draft.region, "organizations")
        else None
    )
    from schools.models import Organization

    owner = Organization.objects.get(region=draft.region, short_name="ДОО ТО")
    services.do_update_import_settings(
        actor=coordinator, draft=draft, values={"owner": owner.pk, "level": "regional"}
    )
    roadmap = services.do_confirm_import(actor=coordinator, draft=draft)
    with django_capture_on_commit_callbacks(execute=True):  # obligations are generated on commit
        return services.do_approve_roadmap(actor=coordinator, roadmap=roadmap)


def test_a_new_version_shows_the_difference_item_by_item(cast, imported):
    data = plan_docx(
        V2, "Приложение к приказу ДОО ТО от 13.03.2023 № 50 (в редакции приказа от 01.06.2023 № 77)"
    )
    draft = services.do_create_amendment_draft(
        actor=cast["tomsk-coordinator"], roadmap=imported, name="v2.docx", data=data
    )
    changes = services.amendment_diff(draft)
    summary = [(c["change"], c["section"], c["number"]) for c in changes]
    assert summary == [
        ("changed", "Раздел 1. Организация", "2."),
        ("added", "Раздел 2. Методическая работа", "3."),
        ("removed", "Раздел 2. Методическая работа", "2."),
    ]
    changed = {f["field"]: (f["old"], f["new"]) for f in changes[0]["fields"]}
    assert changed == {
        "schedule_text": ("Апрель 2023", "Май 2023"),
        "indicator_text": ("не менее 20 участников", "не менее 30 участников"),
    }
    # an amendment draft is not a new roadmap
    with pytest.raises(ValidationError, match="новая редакция"):
        services.do_confirm_import(actor=cast["tomsk-coordinator"], draft=draft)


def test_confirming_records_a_revision_and_obligations_follow(
    cast, imported, django_capture_on_commit_callbacks
):
    coordinator = cast["tomsk-coordinator"]
    seminar = imported.items.get(section__title__startswith="Раздел 1", number="2.")
    conference = imported.items.get(section__title__startswith="Раздел 2", number="2.")
    assert Obligation.objects.filter(item=conference, cancelled=False).exists()
    data = plan_docx(V2, "Приложение к приказу ДОО ТО от 13.03.2023 № 50")
    draft = services.do_create_amendment_draft(actor=coordinator, roadmap=imported, name="v2.docx", data=data)
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.do_confirm_amendment(
            actor=coordinator, draft=draft, act_kind="приказ", act_number="77", act_date=dt.date(2023, 6, 1)
        )
    assert revision.summary == "дополнены п. 3; изменены п. 2; исключены п. 2"
    seminar.refresh_from_db()
    assert seminar.schedule_text == "Май 2023"
    assert [d.due_date for d in seminar.control_dates.all()] == [dt.date(2023, 5, 31)]
    assert ItemHistory.objects.get(item=seminar, action="changed").revision == revision
    conference.refresh_from_db()
    assert conference.removed_by == revision and conference.removed_at is not None
    assert ItemHistory.objects.filter(item=conference, action="created").exists()  # history kept
    added = imported.items.get(number="3.")
    assert added.added_by == revision and added.section.title == "Раздел 2. Методическая работа"
    assert [d.due_date for d in added.control_dates.all()] == [dt.date(2023, 10, 31)]
    # obligations follow: none left open for the removed item, the seminar's moved to May
    assert not Obligation.objects.filter(item=conference, cancelled=False).exists()
    assert set(
        Obligation.objects.filter(item=seminar, cancelled=False).values_list("due_date", flat=True)
    ) == {dt.date(2023, 5, 31)}
    assert Obligation.objects.filter(item=added, cancelled=False).exists()
    # confirming twice changes nothing more
    with pytest.raises(ValidationError):
        services.do_confirm_amendment(
            actor=coordinator, draft=draft, act_kind="приказ", act_number="77", act_date=dt.date(2023, 6, 1)
        )


def test_an_identical_version_is_refused(cast, imported):
    data = plan_docx(V1, "Приложение к приказу ДОО ТО от 13.03.2023 № 50")
    draft = services.do_create_amendment_draft(
        actor=cast["tomsk-coordinator"], roadmap=imported, name="v1.docx", data=data
    )
    assert services.amendment_diff(draft) == []
    with pytest.raises(ValidationError, match="ничем не отличается"):
        services.do_confirm_amendment(
            actor=cast["tomsk-coordinator"],
            draft=draft,
            act_kind="приказ",
            act_number="1",
            act_date=dt.date(2023, 6, 1),
        )


def test_items_are_reordered_within_their_section_by_hand(cast, imported):
    coordinator = cast["tomsk-coordinator"]
    first, second = imported.items.filter(section__title__startswith="Раздел 1").order_by("position")
    services.do_move_item(actor=coordinator, item=second, direction="up")
    order = list(imported.items.filter(section__title__startswith="Раздел 1").order_by("position"))
    assert order == [second, first]
    assert ItemHistory.objects.filter(item=second, action="moved").exists()
    with pytest.raises(ValidationError, match="первое"):
        services.do_move_item(actor=coordinator, item=second, direction="up")


def test_a_removed_item_keeps_its_history_and_cannot_be_removed_twice(cast, imported):
    coordinator = cast["tomsk-coordinator"]
    item = imported.items.order_by("position").first()
    services.do_remove_item(actor=coordinator, item=item, comment="Выполнено досрочно")
    item.refresh_from_db()
    assert item.removed_at is not None
    assert ItemHistory.objects.get(item=item, action="removed").comment == "Выполнено досрочно"
    with pytest.raises(ValidationError, match="уже исключено"):
        services.do_remove_item(actor=coordinator, item=item)


def test_read_only_roles_cannot_amend_remove_or_move(cast, imported):
    from django.core.exceptions import PermissionDenied

    department = cast["tomsk-department"]
    item = imported.items.first()
    with pytest.raises(PermissionDenied):
        services.do_remove_item(actor=department, item=item)
    with pytest.raises(PermissionDenied):
        services.do_move_item(actor=department, item=item, direction="down")
    with pytest.raises(PermissionDenied):
        services.do_create_amendment_draft(actor=department, roadmap=imported, name="v2.docx", data=b"")


def test_the_amendment_pages_upload_compare_and_confirm(client_for, imported):
    client = client_for("tomsk-coordinator")
    assert client.get(f"/roadmaps/{imported.pk}/amend/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("v2.docx", plan_docx(V2, "Приложение к приказу ДОО ТО от 13.03.2023 № 50"))
    response = client.post(f"/roadmaps/{imported.pk}/amend/", {"file": upload})
    draft = ImportDraft.objects.latest("created_at")
    assert response["Location"] == f"/roadmaps/imports/{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "добавлено" in page and "исключено" in page and "Май 2023" in page
    done = client.post(
        response["Location"],
        {"action": "amend", "act_kind": "приказ", "act_number": "77", "act_date": "01.06.2023"},
        follow=True,
    )
    assert done.status_code == 200
    assert imported.revisions.get().act_number == "77"
    detail = client.get(f"/roadmaps/{imported.pk}/").content.decode()
    assert "исключено" in detail
    item = imported.items.filter(removed_at__isnull=True).order_by("position").last()
    moved = client.post(f"/roadmaps/items/{item.pk}/move/", {"direction": "up"})
    assert moved.status_code == 302
    removed = client.post(f"/roadmaps/items/{item.pk}/remove/", {"comment": "не нужно"})
    assert removed.status_code == 302
    assert Item.objects.get(pk=item.pk).removed_at is not None
