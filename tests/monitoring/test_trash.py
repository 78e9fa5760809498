"""«Корзина»: deleting a roadmap, an execution report or evidence hides it from every page, list,
API and report; coordinators restore it from the trash of their own region; the purge removes
what is older than SOFT_DELETE_RETENTION_DAYS, files included."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from monitoring import selectors, services, trash
from monitoring.demo import tiny_pdf
from monitoring.models import Evidence, ExecutionReport, Obligation, TrashedEvidence, TrashedExecutionReport
from roadmaps import trash as roadmap_trash
from roadmaps.models import ControlDate, Item, Roadmap, TrashedRoadmap

pytestmark = pytest.mark.django_db


def open_obligation(user: object) -> Obligation:
    """One of the Zyryanka municipality's own, not yet reported (as in test_workflow)."""
    return (
        Obligation.objects.filter(
            executor__short_name="УО Зырянского района",
            roadmap__source_name="000-tomsk-shnor-2023.docx",
            report__isnull=True,
        )
        .order_by("due_date")
        .first()
    )


def school_roadmap() -> Roadmap:
    """A Tomsk school roadmap (nobody implements it) with obligations and filed reports."""
    return (
        Roadmap.objects.filter(
            region__code="70", level="school", children__isnull=True, obligations__report__isnull=False
        )
        .distinct()
        .order_by("pk")
        .first()
    )


def test_it_hides_a_deleted_roadmap_and_everything_under_it(cast, client_for):
    coordinator = cast["tomsk-coordinator"]
    roadmap = school_roadmap()
    obligation = roadmap.obligations.filter(report__isnull=False).first()
    item = roadmap.items.first()
    roadmap_trash.do_delete_roadmap(actor=coordinator, roadmap=roadmap)

    assert not Roadmap.objects.filter(pk=roadmap.pk).exists()
    assert not Item.objects.filter(roadmap_id=roadmap.pk).exists()
    assert not ControlDate.objects.filter(item_id=item.pk).exists()
    assert not Obligation.objects.filter(roadmap_id=roadmap.pk).exists()
    assert not ExecutionReport.objects.filter(pk=obligation.report.pk).exists()
    assert not Evidence.objects.filter(report__obligation__roadmap_id=roadmap.pk).exists()
    row = TrashedRoadmap.objects.get(pk=roadmap.pk)
    assert row.deleted_by == coordinator and row.deleted_at is not None

    client = client_for("tomsk-coordinator")
    assert client.get(f"/roadmaps/{roadmap.pk}/").status_code == 404
    assert client.get(f"/obligations/{obligation.pk}/").status_code == 404
    assert roadmap.title not in client.get("/roadmaps/").content.decode()
    assert client.get(f"/api/v1/obligations/{obligation.pk}/", {"format": "json"}).status_code == 404
    assert client.get(f"/api/v1/roadmaps/{roadmap.pk}/", {"format": "json"}).status_code == 404
    assert (
        client.get(f"/api/v1/execution-reports/{obligation.report.pk}/", {"format": "json"}).status_code
        == 404
    )
    # The figures pages and reports are built from leave it out too.
    before = selectors.figures(Obligation.objects.visible_to(coordinator).filter(region__code="70"))
    roadmap_trash.do_restore_roadmap(actor=coordinator, roadmap=TrashedRoadmap.objects.get(pk=roadmap.pk))
    after = selectors.figures(Obligation.objects.visible_to(coordinator).filter(region__code="70"))
    assert after.expected > before.expected and after.submitted > before.submitted
    roadmap_trash.do_delete_roadmap(actor=coordinator, roadmap=roadmap)

    page = client.get("/trash/").content.decode()
    assert roadmap.title in page
    response = client.post(f"/trash/roadmaps/{roadmap.pk}/restore/")
    assert response.status_code == 302
    assert Roadmap.objects.filter(pk=roadmap.pk).exists()
    assert ExecutionReport.objects.filter(pk=obligation.report.pk).exists()
    assert client.get(f"/obligations/{obligation.pk}/").status_code == 200


def test_only_a_coordinator_of_the_region_deletes_and_restores(cast, client_for):
    roadmap = school_roadmap()
    for username in ("tomsk-department", "tomsk-director", "tomsk-curator"):
        with pytest.raises(PermissionDenied):
            roadmap_trash.do_delete_roadmap(actor=cast[username], roadmap=roadmap)
    assert client_for("tomsk-department").post(f"/roadmaps/{roadmap.pk}/delete/").status_code == 403
    assert Roadmap.objects.filter(pk=roadmap.pk).exists()
    roadmap_trash.do_delete_roadmap(actor=cast["tomsk-coordinator"], roadmap=roadmap)
    # Another region's coordinator neither sees this trash nor restores from it.
    tambov = client_for("tambov-coordinator")
    assert roadmap.title not in tambov.get("/trash/").content.decode()
    assert tambov.post(f"/trash/roadmaps/{roadmap.pk}/restore/").status_code == 404
    assert not Roadmap.objects.filter(pk=roadmap.pk).exists()
    # Roles below the coordinator have no trash at all.
    assert client_for("tomsk-director").get("/trash/").status_code == 403
    assert client_for("tomsk-director").post(f"/trash/roadmaps/{roadmap.pk}/restore/").status_code == 404


def test_a_roadmap_others_implement_is_not_deleted(cast):
    parent = Roadmap.objects.filter(region__code="70", children__isnull=False).first()
    with pytest.raises(ValidationError):
        roadmap_trash.do_delete_roadmap(actor=cast["tomsk-coordinator"], roadmap=parent)
    assert Roadmap.objects.filter(pk=parent.pk).exists()


def test_a_deleted_report_frees_its_obligation_and_comes_back_only_if_nobody_filed_again(cast, client_for):
    coordinator, director = cast["tomsk-coordinator"], cast["zyryanka-municipal"]
    obligation = open_obligation(director)
    services.do_save_report(actor=director, obligation=obligation, status="in_progress", comment="первый")
    old = ExecutionReport.objects.get(obligation=obligation)
    with pytest.raises(PermissionDenied):
        trash.do_delete_report(actor=director, obligation=obligation)
    assert (
        client_for("tomsk-coordinator").post(f"/obligations/{obligation.pk}/report/delete/").status_code
        == 302
    )

    obligation = Obligation.objects.get(pk=obligation.pk)
    assert not ExecutionReport.objects.filter(pk=old.pk).exists()
    assert not Obligation.objects.filter(pk=obligation.pk, report__isnull=False).exists()
    assert (
        "первый"
        not in client_for("zyryanka-municipal").get(f"/obligations/{obligation.pk}/").content.decode()
    )
    trashed = TrashedExecutionReport.objects.visible_to(coordinator).get(pk=old.pk)
    assert trashed.trashed_obligation_id == obligation.pk and trashed.deleted_by == coordinator

    # The executor files afresh; the old report cannot then come back over the new one.
    services.do_save_report(actor=director, obligation=obligation, status="in_progress", comment="второй")
    with pytest.raises(ValidationError):
        trash.do_restore_report(actor=coordinator, report=trashed)
    ExecutionReport.objects.filter(obligation=obligation).delete()
    trash.do_restore_report(actor=coordinator, report=trashed)
    assert ExecutionReport.objects.get(obligation=obligation).comment == "первый"


def test_removed_evidence_goes_to_the_trash_with_its_file(cast, client_for):
    coordinator, director = cast["tomsk-coordinator"], cast["zyryanka-municipal"]
    obligation = open_obligation(director)
    evidence = services.do_add_file(
        actor=director, obligation=obligation, name="приказ.pdf", data=tiny_pdf("x")
    )
    services.do_remove_evidence(actor=director, evidence=evidence)

    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    page = client_for("zyryanka-municipal").get(f"/obligations/{obligation.pk}/").content.decode()
    assert f"/evidence/{evidence.pk}/download/" not in page  # only the history still names it
    assert client_for("zyryanka-municipal").get(f"/evidence/{evidence.pk}/download/").status_code == 404
    api = client_for("tomsk-coordinator").get(f"/api/v1/evidence/{evidence.pk}/", {"format": "json"})
    assert api.status_code == 404
    assert default_storage.exists(evidence.file.name)  # kept until the purge

    client = client_for("tomsk-coordinator")
    assert "приказ.pdf" in client.get("/trash/").content.decode()
    assert client.post(f"/trash/evidence/{evidence.pk}/restore/").status_code == 302
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert TrashedEvidence.objects.filter(pk=evidence.pk).count() == 0
    assert coordinator  # the restore went through the coordinator's gate


def test_the_purge_removes_only_what_is_older_than_the_retention_with_files(
    cast, settings, django_capture_on_commit_callbacks, request
):
    settings.SOFT_DELETE_RETENTION_DAYS = 30
    coordinator, director = cast["tomsk-coordinator"], cast["zyryanka-municipal"]
    obligation = open_obligation(director)
    old_file = services.do_add_file(
        actor=director, obligation=obligation, name="старый.pdf", data=tiny_pdf("a")
    )
    new_file = services.do_add_file(
        actor=director, obligation=obligation, name="новый.pdf", data=tiny_pdf("b")
    )
    services.do_remove_evidence(actor=director, evidence=old_file)
    services.do_remove_evidence(actor=director, evidence=new_file)
    roadmap = school_roadmap()
    roadmap_trash.do_delete_roadmap(actor=coordinator, roadmap=roadmap)
    long_ago = timezone.now() - dt.timedelta(days=31)
    Evidence._base_manager.filter(pk=old_file.pk).update(deleted_at=long_ago)
    Roadmap._base_manager.filter(pk=roadmap.pk).update(deleted_at=long_ago)
    roadmap_files = list(
        Evidence._base_manager.filter(report__obligation__roadmap=roadmap)
        .exclude(file="")
        .values_list("file", flat=True)
    )
    # The demo's files are shared by the session (the rows come back after the test, the files
    # would not): keep their bytes and put them back.
    kept = {name: default_storage.open(name).read() for name in roadmap_files}
    request.addfinalizer(
        lambda: [default_storage.save(name, ContentFile(data)) for name, data in kept.items()]
    )

    with django_capture_on_commit_callbacks(execute=True):
        counts = trash.do_purge_trash()

    assert counts["evidence"] == 1 and counts["roadmaps"] == 1
    assert not Evidence._base_manager.filter(pk=old_file.pk).exists()
    assert not default_storage.exists(old_file.file.name)
    assert TrashedEvidence.objects.filter(pk=new_file.pk).exists()  # 0 days in the trash: kept
    assert default_storage.exists(new_file.file.name)
    assert not Roadmap._base_manager.filter(pk=roadmap.pk).exists()
    assert not Obligation._base_manager.filter(roadmap_id=roadmap.pk).exists()
    assert all(not default_storage.exists(name) for name in roadmap_files)
