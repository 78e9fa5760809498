"""Checking an uploaded evidence file: by content, size and name. Pure, no database.

The type is decided from the bytes (magic numbers, the parts inside an Office zip), and the
name's extension must agree with it: an HTML page renamed to .pdf or an executable renamed to
.docx is refused. Stored names are generated, never taken from the user.
"""

import hashlib
import io
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

ALLOWED = {
    # detected type → (extensions accepted for it, content type sent on download)
    "pdf": ({".pdf"}, "application/pdf"),
    "docx": ({".docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({".xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ({".odt"}, "application/vnd.oasis.opendocument.text"),
    "ods": ({".ods"}, "application/vnd.oasis.opendocument.spreadsheet"),
    "ole": ({".doc", ".xls"}, "application/octet-stream"),
    "jpg": ({".jpg", ".jpeg"}, "image/jpeg"),
    "png": ({".png"}, "image/png"),
}
ALLOWED_EXTENSIONS = sorted({ext for exts, _ct in ALLOWED.values() for ext in exts})


class UploadRejected(ValueError):
    """The message says what is wrong and what to do, in Russian."""


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    display_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes, data: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names:
                    mimetype = z.read("mimetype").decode("ascii", "replace").strip()
                    return {
                        "application/vnd.oasis.opendocument.text": "odt",
                        "application/vnd.oasis.opendocument.spreadsheet": "ods",
                    }.get(mimetype)
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
    return None


def clean_name(name: str) -> str:
    """A display name: no directories (``../../etc/passwd``), no control characters, bounded."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip()
    stem, ext = os.path.splitext(name)
    if not ext and stem.startswith("."):  # «.pdf»: a bare extension, not a hidden file
        stem, ext = "", stem
    stem = stem.strip(" .")
    return (stem[:150] or "файл") + ext.lower()[:10]


def check_upload(name: str, data: bytes, *, max_bytes: int) -> CheckedUpload:
    if not data:
        raise UploadRejected(_("Файл пустой. Выберите файл с документом."))
    if len(data) > max_bytes:
        raise UploadRejected(
            _("Файл «%(name)s» больше %(mb)s МБ. Сожмите его или разделите на части.")
            % {"name": clean_name(name), "mb": max_bytes // 2**20}
        )
    display = clean_name(name)
    ext = os.path.splitext(display)[1]
    if ext not in ALLOWED_EXTENSIONS:
        raise UploadRejected(
            _("Файлы «%(ext)s» не принимаются. Загрузите PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, JPG или PNG.")
            % {"ext": ext or _("без расширения")}
        )
    kind = sniff(data[:16], data)
    if kind is None:
        raise UploadRejected(
            _(
                "Содержимое файла «%(name)s» не похоже на документ или изображение: возможно, файл повреждён или переименован."
            )
            % {"name": display}
        )
    extensions, content_type = ALLOWED[kind]
    if ext not in extensions:
        raise UploadRejected(
            _(
                "Файл «%(name)s» назван как %(ext)s, но по содержимому это %(kind)s. Сохраните его с правильным расширением."
            )
            % {"name": display, "ext": ext, "kind": kind.upper()}
        )
    return CheckedUpload(
        kind=kind,
        display_name=display,
        stored_name=f"{uuid.uuid4().hex}{ext}",
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
