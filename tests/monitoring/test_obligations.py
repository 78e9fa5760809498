"""Obligations from approved roadmaps: group expansion, quarters, regeneration without loss."""

import datetime as dt

import pytest

from monitoring import services
from monitoring.models import ExecutionReport, Obligation
from roadmaps import services as roadmap_services
from roadmaps.models import Roadmap
from schools.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def roadmap(name: str) -> Roadmap:
    return Roadmap.objects.get(source_name=name)


def test_it_expands_mouo_to_every_municipal_authority_of_the_region():
    r = roadmap("000-tomsk-shnor-2023.docx")
    item = r.items.get(
        number="14."
    )  # «Создание и размещение на сайтах МОУО разделов…» — executor МОУО, «в течение года»
    executors = set(Obligation.objects.filter(item=item).values_list("executor__short_name", flat=True))
    authorities = set(
        Organization.objects.filter(region=r.region, kind="municipal_authority").values_list(
            "short_name", flat=True
        )
    )
    assert executors == authorities and len(authorities) == 20


def test_it_expands_shnor_heads_to_the_schools_with_that_status_in_the_year():
    r = roadmap("000-tomsk-shnor-2023.docx")
    item = r.items.get(number="15.")  # «ТОИПКРО, кураторы, руководители ШНОР»
    schools = set(
        Obligation.objects.filter(item=item, executor__kind="school").values_list(
            "executor__short_name", flat=True
        )
    )
    expected = set(
        Organization.objects.filter(statuses__year=2023, statuses__category="shnor").values_list(
            "short_name", flat=True
        )
    )
    assert schools == expected and "МАОУ СОШ № 44 г. Томска" in schools


def test_a_continuous_item_gets_a_control_point_every_quarter():
    r = roadmap("000-tomsk-shnor-2023.docx")
    item = r.items.get(number="20.")  # «В течение года»
    toipkro = Organization.objects.get(region=r.region, short_name="ТОИПКРО")
    dues = list(
        Obligation.objects.filter(item=item, executor=toipkro)
        .order_by("due_date")
        .values_list("due_date", flat=True)
    )
    assert dues == [dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 9, 30), dt.date(2023, 12, 31)]


def test_a_school_roadmap_names_the_school_for_its_own_people():
    r = roadmap("071-cherdaty-school-2023.docx")
    director_items = r.items.filter(executors_text__icontains="Директор")
    assert director_items.exists()
    for item in director_items:
        executors = set(Obligation.objects.filter(item=item).values_list("executor__short_name", flat=True))
        assert "МБОУ «Чердатская СОШ»" in executors, item.executors_text
    assert not r.items.filter(executors__organization__isnull=True, executors__group="").exists()


def test_regeneration_is_idempotent():
    r = roadmap("000-tomsk-shnor-2023.docx")
    before = Obligation.objects.filter(roadmap=r).count()
    assert services.generate_obligations(r) == {
        "created": 0,
        "updated": 0,
        "cancelled": 0,
        "deleted": 0,
        "restored": 0,
    }
    assert Obligation.objects.filter(roadmap=r).count() == before


def test_an_amendment_keeps_what_was_reported_and_drops_only_empty_obligations(
    cast, django_capture_on_commit_callbacks
):
    r = roadmap("000-tomsk-shnor-2023.docx")
    item = r.items.get(number="2.")  # «Март 2023г.», ТОИПКРО
    old = Obligation.objects.get(item=item)
    ExecutionReport.objects.filter(obligation=old).delete()
    services.do_save_report(actor=cast["tomsk-coordinator"], obligation=old, status="done", comment="сделано")
    # The coordinator moves the item to May and adds МОУО: March is kept (it was reported) but
    # cancelled, May is new, МОУО gets May too.
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.do_update_item(
            actor=cast["tomsk-coordinator"],
            item=item,
            values={"schedule_text": "Май 2023г.", "executors_text": "ТОИПКРО, МОУО"},
        )
    rows = Obligation.objects.filter(item=item)
    old.refresh_from_db()
    assert old.cancelled and old.report.comment == "сделано"
    assert rows.filter(cancelled=False, due_date=dt.date(2023, 5, 31)).count() == 21
    # Moving it back restores the very same obligation rather than duplicating it.
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.do_update_item(
            actor=cast["tomsk-coordinator"], item=item, values={"schedule_text": "Март 2023г."}
        )
    old.refresh_from_db()
    assert not old.cancelled
    assert rows.filter(due_date=dt.date(2023, 3, 31), executor=old.executor).count() == 1
    assert not rows.filter(due_date=dt.date(2023, 5, 31)).exists()


def test_a_draft_roadmap_has_no_obligations_until_approved(cast, django_capture_on_commit_callbacks):
    draft = factories.make_roadmap("70", items=factories.SIMPLE_ITEMS[:2])
    assert not Obligation.objects.filter(roadmap=draft).exists()
    with django_capture_on_commit_callbacks(execute=True):
        roadmap_services.do_approve_roadmap(actor=cast["tomsk-coordinator"], roadmap=draft)
    assert Obligation.objects.filter(roadmap=draft).count() == 1 + 12 * 20  # ТОИПКРО in March; МОУО monthly


def test_the_deadline_is_the_end_of_the_day_in_the_regions_time_zone():
    obligation = Obligation.objects.filter(region__code="70", due_date=dt.date(2023, 3, 31)).first()
    deadline = services.deadline_of(obligation)
    assert deadline.isoformat().startswith("2023-03-31T23:59:59")
    assert deadline.utcoffset() == dt.timedelta(hours=7)  # Томск
    # 23:59 in Tomsk is 16:59 UTC: still in time; a minute past midnight there is late.
    assert not services.is_overdue(obligation, now=dt.datetime(2023, 3, 31, 16, 59, tzinfo=dt.UTC))
    assert services.is_overdue(obligation, now=dt.datetime(2023, 3, 31, 17, 1, tzinfo=dt.UTC))
