"""Heavy work out of the request: a large roadmap's XLSX/PDF is ordered, built by a worker and
downloaded from the report page; the order goes through the gate like every other write."""

import io

import openpyxl
import pytest

from reporting.models import Report
from roadmaps.models import Roadmap
from schools.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings):
    """Every roadmap counts as large here (the real threshold is hundreds of items)."""
    settings.ROADMAP_INSTANT_EXPORT_MAX_ITEMS = 1


def tomsk_roadmap() -> Roadmap:
    return Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")


def test_a_large_roadmap_is_exported_by_a_worker_and_downloaded_from_the_report_page(
    large, client_for, django_capture_on_commit_callbacks
):
    client = client_for("tomsk-department")  # a read-only role may export what it reads
    roadmap = tomsk_roadmap()
    page = client.get(f"/roadmaps/{roadmap.pk}/").content.decode()
    assert f'action="/roadmaps/{roadmap.pk}/export/"' in page
    assert f"/roadmaps/{roadmap.pk}/export.xlsx" not in page
    # The old direct link no longer renders inside the request.
    direct = client.get(f"/roadmaps/{roadmap.pk}/export.xlsx", follow=True)
    assert direct.redirect_chain[0][0] == f"/roadmaps/{roadmap.pk}/"
    assert "строится в фоне" in direct.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the worker's part runs here in-process
        response = client.post(f"/roadmaps/{roadmap.pk}/export/", {"fmt": "xlsx"})
    report = Report.objects.get(kind="roadmap", requested_by__username="tomsk-department")
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert report.params == {"roadmap": roadmap.pk}
    report.refresh_from_db()
    assert report.status == "done", report.message
    status = client.get(f"/reports/{report.pk}/", {"format": "json"}).json()
    assert status["status"] == "done"
    download = client.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert {item.text for item in roadmap.items.all()[:5]} <= cells


def test_a_roadmap_export_is_refused_across_regions_and_to_who_cannot_see_it(large, client_for):
    roadmap = tomsk_roadmap()
    assert (
        client_for("tambov-coordinator").post(f"/roadmaps/{roadmap.pk}/export/", {"fmt": "pdf"}).status_code
        == 404
    )
    # Within the region: a school roadmap another school's director does not see.
    director = User.objects.get(username="tomsk-director")
    hidden = (
        Roadmap.objects.filter(region__code="70", level="school")
        .exclude(pk__in=Roadmap.objects.visible_to(director).values("pk"))
        .first()
    )
    assert hidden is not None
    assert (
        client_for("tomsk-director").post(f"/roadmaps/{hidden.pk}/export/", {"fmt": "pdf"}).status_code == 404
    )
    bad = client_for("tomsk-coordinator").post(
        f"/roadmaps/{roadmap.pk}/export/", {"fmt": "docx"}, follow=True
    )
    assert "Выберите формат: PDF или XLSX" in bad.content.decode()
    assert not Report.objects.filter(kind="roadmap").exists()


def test_a_small_roadmap_still_downloads_at_once(client_for):
    roadmap = tomsk_roadmap()
    client = client_for("tomsk-department")
    assert f"/roadmaps/{roadmap.pk}/export.xlsx" in client.get(f"/roadmaps/{roadmap.pk}/").content.decode()
    assert client.get(f"/roadmaps/{roadmap.pk}/export.xlsx").status_code == 200
