"""Roadmap writes: import all-or-nothing, item edits with history, approval, revisions, permissions."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roadmaps import services
from roadmaps.importing.analysis import ManualDatesError
from roadmaps.models import ControlDate, Item, ItemHistory, Revision, Roadmap, Section
from tests import factories

pytestmark = pytest.mark.django_db


def seed_roadmap(name: str) -> Roadmap:
    return Roadmap.objects.get(source_name=name)


def test_the_demo_holds_the_seed_roadmaps_as_published():
    tomsk = seed_roadmap("000-tomsk-shnor-2023.docx")
    assert tomsk.items.filter(parent__isnull=True).count() == 35
    assert [s.title for s in tomsk.sections.all()] == [
        "Организационно-управленческая деятельность",
        "Организационно-технологическая деятельность",
        "Методическое сопровождение",
        "Аналитическая деятельность",
    ]
    assert (tomsk.act_number, tomsk.act_date) == ("352-р", dt.date(2023, 3, 13))
    tambov = seed_roadmap("001-tambov-2020-2023.docx")
    assert tambov.region.code == "68"
    assert tambov.items.filter(parent__isnull=True).count() == 42
    assert tambov.items.filter(parent__isnull=False).count() == 34
    assert seed_roadmap("002-tomsk-minpros-2022-2024.xlsx").items.count() == 23


def test_the_demo_links_municipal_and_school_roadmaps_to_the_regional_one():
    regional = seed_roadmap("000-tomsk-shnor-2023.docx")
    municipal = seed_roadmap("070-zyryansky-municipal-2023.docx")
    school = seed_roadmap("071-cherdaty-school-2023.docx")
    assert (municipal.parent, municipal.level) == (regional, "municipal")
    assert (school.parent, school.level) == (municipal, "school")


def test_the_tambov_amendment_marks_added_and_changed_items():
    revision = Revision.objects.get(roadmap__source_name="001-tambov-2020-2023.docx")
    assert (revision.act_number, revision.act_date) == ("362", dt.date(2021, 2, 18))
    assert sorted(i.number for i in revision.added_items.all()) == ["10.", "9."]
    assert sorted(h.item.number for h in revision.changes.all()) == ["21.", "27."]


def test_it_reads_dates_targets_and_executors_from_the_tomsk_plan():
    tomsk = seed_roadmap("000-tomsk-shnor-2023.docx")
    monthly = tomsk.items.get(number="13.")
    assert monthly.schedule_kind == "recurring" and monthly.control_dates.count() == 12
    assert (monthly.target_value, monthly.target_comparator, monthly.target_per) == (2, ">=", "month")
    expertise = tomsk.items.get(number="19.")
    assert expertise.target_value == 17
    assert list(expertise.control_dates.values_list("due_date", flat=True)) == [dt.date(2023, 4, 30)]
    executors = {
        (e.text, e.organization.short_name if e.organization else e.group)
        for e in tomsk.items.get(number="11.").executors.all()
    }
    assert executors == {
        ("МОУО", "municipal_authorities"),
        ("кураторы", "curators"),
        ("руководители ОО", "schools"),
    }


def test_an_import_that_fails_halfway_leaves_nothing_behind():
    before = (Roadmap.objects.count(), Section.objects.count(), Item.objects.count())
    with mock.patch(
        "roadmaps.services.ControlDate.objects.bulk_create", side_effect=RuntimeError("disk full")
    ):
        with pytest.raises(RuntimeError):
            factories.make_roadmap("70")
    assert (Roadmap.objects.count(), Section.objects.count(), Item.objects.count()) == before


def test_it_refuses_an_owner_that_cannot_own_the_level(cast):
    from schools.models import Organization, Region

    school = Organization.objects.get(short_name="МАОУ СОШ № 44 г. Томска")
    with pytest.raises(ValidationError, match="не может быть"):
        services.create_roadmap(
            actor=None,
            region=Region.objects.get(code="70"),
            analysis=_analysis(),
            level="regional",
            owner=school,
        )


def _analysis():
    from roadmaps.importing.analysis import analyse

    return analyse(factories.parsed_plan(), period=(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), aliases=[])


def test_it_records_who_changed_an_item_and_rereads_its_dates(cast):
    item = seed_roadmap("000-tomsk-shnor-2023.docx").items.get(number="2.")
    services.do_update_item(
        actor=cast["tomsk-coordinator"],
        item=item,
        values={"schedule_text": "Май 2023г.", "text": item.text},
        comment="перенос",
    )
    item.refresh_from_db()
    assert list(item.control_dates.values_list("due_date", flat=True)) == [dt.date(2023, 5, 31)]
    entry = ItemHistory.objects.filter(item=item, action="changed").get()
    assert entry.user == cast["tomsk-coordinator"]
    assert entry.changes["schedule_text"] == ["Март 2023г.", "Май 2023г."]
    assert entry.changes["control_dates"] == [["2023-03-01…2023-03-31"], ["2023-05-01…2023-05-31"]]
    assert entry.comment == "перенос"


def test_it_sets_dates_by_hand_and_rejects_a_date_that_does_not_exist(cast):
    roadmap = factories.make_roadmap("70")
    item = roadmap.items.get(number="3.")
    assert not item.schedule_understood
    with pytest.raises(ManualDatesError, match="такой даты нет"):
        services.do_update_item(
            actor=cast["tomsk-coordinator"], item=item, values={}, manual_dates="31.02.2023"
        )
    assert not ControlDate.objects.filter(item=item).exists()
    services.do_update_item(
        actor=cast["tomsk-coordinator"],
        item=item,
        values={},
        manual_dates="01.06.2023–30.06.2023\n15.12.2023",
    )
    item.refresh_from_db()
    assert item.schedule_understood and item.schedule_kind == "manual"
    assert list(item.control_dates.values_list("window_start", "due_date")) == [
        (dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
        (dt.date(2023, 12, 15), dt.date(2023, 12, 15)),
    ]


def test_it_will_not_approve_a_roadmap_with_unrecognised_dates(cast):
    roadmap = factories.make_roadmap("70")
    with pytest.raises(ValidationError, match="не распознаны сроки"):
        services.do_approve_roadmap(actor=cast["tomsk-coordinator"], roadmap=roadmap)
    item = roadmap.items.get(number="3.")
    services.do_update_item(actor=cast["tomsk-coordinator"], item=item, values={}, manual_dates="15.12.2023")
    services.do_approve_roadmap(actor=cast["tomsk-coordinator"], roadmap=roadmap)
    roadmap.refresh_from_db()
    assert roadmap.status == "approved" and roadmap.approved_by == cast["tomsk-coordinator"]


def test_a_revision_marks_the_items_it_added_and_refuses_unknown_numbers(cast):
    roadmap = factories.make_roadmap("70")
    with pytest.raises(ValidationError):
        services.do_add_revision(
            actor=cast["tomsk-coordinator"],
            roadmap=roadmap,
            act_kind="приказ",
            act_number="5",
            act_date=dt.date(2023, 7, 1),
            added_numbers=["7"],
        )
    assert not roadmap.revisions.exists()
    revision = services.do_add_revision(
        actor=cast["tomsk-coordinator"],
        roadmap=roadmap,
        act_kind="приказ",
        act_number="5",
        act_date=dt.date(2023, 7, 1),
        added_numbers=["2", "3."],
    )
    assert sorted(i.number for i in revision.added_items.all()) == ["2.", "3."]


@pytest.mark.parametrize(
    "username, roadmap_file, allowed",
    [
        ("tomsk-coordinator", "000-tomsk-shnor-2023.docx", True),
        ("zyryanka-municipal", "070-zyryansky-municipal-2023.docx", True),
        ("zyryanka-municipal", "000-tomsk-shnor-2023.docx", False),
        ("cherdaty-director", "071-cherdaty-school-2023.docx", True),
        ("cherdaty-director", "070-zyryansky-municipal-2023.docx", False),
        ("tomsk-director", "071-cherdaty-school-2023.docx", False),
        ("tomsk-department", "000-tomsk-shnor-2023.docx", False),
        ("tambov-coordinator", "000-tomsk-shnor-2023.docx", False),
    ],
)
def test_who_may_edit_which_roadmap(cast, username, roadmap_file, allowed):
    item = seed_roadmap(roadmap_file).items.first()

    def call():
        return services.do_update_item(
            actor=cast[username], item=item, values={"comment": ""}, manual_dates="01.12.2023"
        )  # noqa: E731

    if allowed:
        call()
        assert ItemHistory.objects.filter(item=item, user=cast[username]).exists()
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_an_amendment_adds_an_item_at_the_end_of_its_section_with_dates_and_history(
    cast, django_capture_on_commit_callbacks
):
    from monitoring.models import Obligation

    r = seed_roadmap("000-tomsk-shnor-2023.docx")
    section = r.sections.get(title="Методическое сопровождение")
    last_before = r.items.filter(section=section).order_by("-position").first()
    following = r.items.filter(position__gt=last_before.position).order_by("position").first()
    revision = services.do_add_revision(
        actor=cast["tomsk-coordinator"],
        roadmap=r,
        act_kind="распоряжение",
        act_number="900-р",
        act_date=dt.date(2023, 6, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        item = services.do_create_item(
            actor=cast["tomsk-coordinator"],
            roadmap=r,
            section=section,
            number="27.1.",
            text="Вебинар для новых кураторов",
            schedule_text="Сентябрь 2023г.",
            executors_text="ТОИПКРО, МОУО",
            revision=revision,
        )
    following.refresh_from_db()
    assert item.position == last_before.position + 1 and following.position == item.position + 1
    assert list(item.control_dates.values_list("due_date", flat=True)) == [dt.date(2023, 9, 30)]
    assert item.added_by == revision and item.history.get().action == "created"
    assert Obligation.objects.filter(item=item).count() == 21  # ТОИПКРО and 20 МОУО: the roadmap is approved


def test_only_editors_add_items(cast):
    r = seed_roadmap("000-tomsk-shnor-2023.docx")
    with pytest.raises(PermissionDenied):
        services.do_create_item(actor=cast["tomsk-department"], roadmap=r, text="x")
    with pytest.raises(ValidationError, match="пустым"):
        services.do_create_item(actor=cast["tomsk-coordinator"], roadmap=r, text=" ")
