"""Every uploaded file is checked by content, size, name and archive limits (pure)."""

import io
import tracemalloc
import zipfile

import pytest

from core.uploads import (
    OFFICE_KINDS,
    ArchiveLimits,
    UploadRejected,
    check_archive,
    check_upload,
    check_xml_parts,
    clean_name,
    unpack_checked,
)
from monitoring.demo import tiny_pdf
from tests import hostile_files

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


def test_it_accepts_open_document_files():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<x/>")
    assert check_upload("протокол.odt", buffer.getvalue(), max_bytes=MB).kind == "odt"


def test_it_explains_a_password_protected_office_file():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100  # what Word saves when a password is set
    with pytest.raises(UploadRejected, match="защищён паролем или сохранён в старом формате"):
        check_upload("план.docx", ole, max_bytes=MB)


def test_the_import_accepts_only_word_and_excel():
    with pytest.raises(UploadRejected, match="Загрузите файл DOCX или XLSX"):
        check_upload("приказ.pdf", tiny_pdf("x"), max_bytes=MB, kinds=OFFICE_KINDS)
    with pytest.raises(UploadRejected, match="не похоже на документ DOCX или XLSX"):
        check_upload("план.docx", b"MZ\x90\x00" + b"\0" * 20, max_bytes=MB, kinds=OFFICE_KINDS)
    assert check_upload("план.xlsx", office("xl/workbook.xml"), kinds=OFFICE_KINDS).kind == "xlsx"


def test_the_size_limit_comes_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(UploadRejected, match="больше 0 МБ"):
        check_upload("big.pdf", b"%PDF-" + b"0" * 200)


# Archive limits: judged from the zip directory, before any part is opened.

LIMITS = ArchiveLimits(max_unpacked_bytes=100 * MB, max_entries=1000, max_ratio=200)


@pytest.mark.parametrize(
    "name, build, message",
    [
        (
            "отчёт.docx",
            hostile_files.docx_bomb,
            "распаковывается в 2\u00a0049 МБ — это больше допустимого (100 МБ)",
        ),
        (
            "свод.xlsx",
            hostile_files.xlsx_bomb,
            "распаковывается в 2\u00a0049 МБ — это больше допустимого (100 МБ)",
        ),
        ("отчёт.docx", hostile_files.many_parts_docx, "из слишком многих частей (5003)"),
    ],
)
def test_it_refuses_a_zip_bomb_from_its_directory(name, build, message):
    data = build()
    assert len(data) < 5 * MB  # small on disk
    with pytest.raises(UploadRejected) as refused:
        check_upload(name, data, max_bytes=20 * MB, limits=LIMITS)
    assert f"Файл «{name}»" in str(refused.value) and message in str(refused.value)
    assert str(refused.value).endswith("проверьте файл или сохраните его заново.")


def test_it_refuses_a_part_compressed_beyond_the_ratio():
    data = hostile_files.docx_bomb(unpacked_mib=50)  # under the total, but ~1000 : 1
    with pytest.raises(UploadRejected, match="сжата в .* раз, а допустимо не больше чем в 200"):
        check_upload("отчёт.docx", data, max_bytes=20 * MB, limits=LIMITS)


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_directory_that_lies_about_sizes_cannot_unpack_more_than_it_declares():
    # The directory claims 200 KB for a 256 MB sheet: the limits pass, the read stops.
    data = hostile_files.xlsx_lying_about_size(unpacked_mib=256, declared=200_000)
    check_archive(data, limits=LIMITS)

    def unpack():
        with pytest.raises(UploadRejected, match="Документ повреждён"):
            unpack_checked(data, limits=LIMITS)

    assert _peak(unpack) < 20 * MB


def test_a_lying_part_with_a_matching_checksum_is_cut_at_its_declared_size():
    data = hostile_files.xlsx_lying_about_size(unpacked_mib=256, declared=200_000, matching_crc=True)
    honest = []
    assert _peak(lambda: honest.append(unpack_checked(data, limits=LIMITS))) < 20 * MB
    with zipfile.ZipFile(io.BytesIO(honest[0])) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert info.compress_type == zipfile.ZIP_STORED and info.file_size == 200_000
        assert len(archive.read(info)) == 200_000  # what a parser gets: no more than declared


def test_it_refuses_unusual_compression():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("word/document.xml", "<x/>")
    with pytest.raises(UploadRejected, match="сжат необычным способом"):
        check_upload("отчёт.docx", buffer.getvalue(), max_bytes=MB, limits=LIMITS)


def test_it_refuses_a_dtd_in_an_xml_part():
    for data in (hostile_files.docx_with_entities(), hostile_files.xlsx_with_entities()):
        with pytest.raises(UploadRejected, match="недопустимые XML-конструкции"):
            check_xml_parts(check_archive(data, limits=LIMITS))


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "install defusedxml: openpyxl then parses without entity expansion"
