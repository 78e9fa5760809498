"""A broken document gets a Russian message saying what to do — never a Python exception name."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps.models import ImportDraft, Roadmap

pytestmark = pytest.mark.django_db

EXCEPTION_NAME = re.compile(r"\b\w*(Error|Exception)\b|Traceback")


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [
        # A zip that claims to be a Word document but has no package parts (python-docx: KeyError).
        ("plan.docx", zipped({"word/document.xml": b"<w:document>broken"})),
        # A workbook whose XML is cut off (openpyxl: a parse error).
        ("plan.xlsx", zipped({"xl/workbook.xml": b"<workbook", "[Content_Types].xml": b"<Types"})),
    ],
)
def test_it_shows_a_russian_message_for_a_broken_document(client_for, name, data):
    before = (ImportDraft.objects.count(), Roadmap.objects.count())
    response = client_for("tomsk-coordinator").post(
        "/regions/70/roadmaps/import/", {"file": SimpleUploadedFile(name, data)}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Документ повреждён и не читается" in body and "сохраните его заново" in body
    assert not EXCEPTION_NAME.search(body), EXCEPTION_NAME.search(body).group(0)
    assert (ImportDraft.objects.count(), Roadmap.objects.count()) == before


def test_a_schedule_the_parser_chokes_on_is_flagged_in_russian(monkeypatch):
    import datetime as dt

    from roadmaps import schedule

    def boom(self):
        raise AttributeError("'NoneType' object has no attribute 'group'")

    monkeypatch.setattr(schedule._Parser, "run", boom)
    result = schedule.parse_schedule("Март 2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert not result.understood
    assert "задайте даты вручную" in result.note and not EXCEPTION_NAME.search(result.note)
