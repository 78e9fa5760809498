"""Evidence files are checked by content, size and name (pure)."""

import io
import zipfile

import pytest

from monitoring.demo import tiny_pdf
from core.uploads import UploadRejected, check_upload, clean_name

MB = 2**20


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("приказ.pdf", tiny_pdf("x"), "pdf"),
        ("Список участников.docx", office("word/document.xml"), "docx"),
        ("свод.XLSX", office("xl/workbook.xml"), "xlsx"),
        ("фото.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpg"),
        ("скан.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"),
        ("старый.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, "ole"),
    ],
)
def test_it_accepts_documents_and_images(name, data, kind):
    checked = check_upload(name, data, max_bytes=20 * MB)
    assert checked.kind == kind
    assert checked.stored_name.endswith(checked.display_name[checked.display_name.rfind(".") :])
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("отчёт.docx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 64, "не похоже на документ"),
        ("отчёт.pdf", b"<!doctype html><script>alert(1)</script>", "не похоже на документ"),
        ("setup.exe", b"MZ\x90\x00", "не принимаются"),
        ("page.html", b"<html></html>", "не принимаются"),
        ("приказ.pdf", office("word/document.xml"), "по содержимому это DOCX"),
        ("пусто.pdf", b"", "Файл пустой"),
        ("без_расширения", tiny_pdf("x"), "без расширения"),
    ],
)
def test_it_rejects_what_is_not_what_it_claims(name, data, message):
    with pytest.raises(UploadRejected, match=message):
        check_upload(name, data, max_bytes=20 * MB)


def test_it_rejects_a_file_over_the_limit():
    with pytest.raises(UploadRejected, match="больше 1 МБ"):
        check_upload("big.pdf", b"%PDF-" + b"0" * MB, max_bytes=MB)


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Директор\\Приказ.PDF", "Приказ.pdf"),
        ("скан\x00\x1b[31m.pdf", "скан[31m.pdf"),
        ("   .pdf", "файл.pdf"),
    ],
)
def test_it_keeps_only_a_safe_display_name(raw, clean):
    assert clean_name(raw) == clean


def test_the_stored_name_is_never_the_users():
    checked = check_upload("../../../app/config/settings.pdf", tiny_pdf("x"), max_bytes=MB)
    assert "/" not in checked.stored_name and ".." not in checked.stored_name
    assert checked.display_name == "settings.pdf"
