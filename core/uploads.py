"""The one check for every uploaded file: content, size, name and archive limits. Pure, no database.

Evidence, questionnaire file answers and the roadmap import all come through here. The type is
decided from the bytes (magic numbers, the parts inside an Office zip), and the name's extension
must agree with it: an HTML page renamed to .pdf or an executable renamed to .docx is refused.
Stored names are generated, never taken from the user.

Office files are zip archives, and a zip can be a bomb: 1.5 MB on disk, gigabytes once unpacked.
So every archive is judged by its directory (total unpacked size, number of parts, compression
ratio, method) *before* anything opens a part. A directory can lie about sizes, and
``ZipFile.read`` inflates a whole part before cutting it to the declared size, so what a parser
gets is ``unpack_checked``: the parts read in small steps that stop at the declared sizes,
re-packed uncompressed. Tests prove both with hostile files (``tests/hostile_files.py``).
"""

import hashlib
import io
import os
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.errors import DomainError

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
# The roadmap import reads plans from Word and Excel only.
OFFICE_KINDS = frozenset({"docx", "xlsx"})
# …and from PDF with a text layer (as Word exports it); a scan is refused by the reader.
PLAN_KINDS = frozenset({"docx", "xlsx", "pdf"})
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MB = 2**20
# What precedes the root element of an XML part: declaration, comments, processing instructions.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
XML_HEAD_BYTES = 64 * 1024
# Parts are inflated in steps of this size, never in one call (see unpack_checked).
READ_STEP = 64 * 1024
_ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)
UNSAFE_XML = gettext_lazy(
    "В документе есть недопустимые XML-конструкции (DTD или сущности). "
    "Откройте его в Word или Excel и сохраните заново."
)
# Small parts (styles, relationships) legitimately compress a lot; the ratio only matters for
# parts big enough to hurt.
RATIO_FLOOR_BYTES = MB


class UploadRejected(DomainError):
    """The message says what is wrong and what to do, in Russian."""

    field = "file"


class UploadTooLarge(UploadRejected):
    """A request body or a file over the size limit, noticed while the bytes arrive (HTTP 413)."""

    http_status = 413
    api_code = "too_large"


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    display_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ArchiveLimits:
    max_unpacked_bytes: int
    max_entries: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> "ArchiveLimits":
        return cls(
            max_unpacked_bytes=settings.UPLOAD_MAX_UNPACKED_BYTES,
            max_entries=settings.UPLOAD_MAX_ARCHIVE_ENTRIES,
            max_ratio=settings.UPLOAD_MAX_COMPRESSION_RATIO,
        )


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def megabytes(n: int) -> str:
    """«4 096» — whole megabytes, rounded up, grouped the Russian way."""
    return f"{-(-n // MB):,}".replace(",", "\u00a0")


def too_large_message(name: str | None, max_bytes: int) -> str:
    if name:
        return _("Файл «%(name)s» больше %(mb)s МБ. Сожмите его или разделите на части.") % {
            "name": clean_name(name),
            "mb": max_bytes // MB,
        }
    return _("Файл больше %(mb)s МБ. Сожмите его или разделите на части.") % {"mb": max_bytes // MB}


def check_size(name: str, data: bytes, *, max_bytes: int | None = None) -> None:
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    if not data:
        raise UploadRejected(_("Файл пустой. Выберите файл с документом."))
    if len(data) > max_bytes:
        raise UploadRejected(too_large_message(name, max_bytes))


def check_archive(data: bytes, *, name: str = "", limits: ArchiveLimits | None = None) -> zipfile.ZipFile:
    """Open a zip only after its directory passes the limits; ``UploadRejected`` otherwise.

    Reads nothing but the central directory, so a bomb is refused in milliseconds.
    """
    limits = limits or ArchiveLimits.from_settings()
    subject = _("Файл «%(name)s»") % {"name": clean_name(name)} if name else _("Файл")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRejected(
            _("%(file)s повреждён: архив документа не читается. Сохраните его заново.") % {"file": subject}
        ) from exc
    entries = archive.infolist()
    again = _("проверьте файл или сохраните его заново.")
    for e in entries:
        # Office writes stored or deflated parts, unencrypted; bzip2/lzma inflate without a bound.
        if e.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or e.flag_bits & 0x1:
            raise UploadRejected(
                _("%(file)s сжат необычным способом или зашифрован; %(again)s")
                % {"file": subject, "again": again}
            )
    if len(entries) > limits.max_entries:
        raise UploadRejected(
            _(
                "%(file)s состоит из слишком многих частей (%(n)s) — это больше допустимого (%(limit)s); %(again)s"
            )
            % {"file": subject, "n": len(entries), "limit": limits.max_entries, "again": again}
        )
    total = sum(e.file_size for e in entries)
    if total > limits.max_unpacked_bytes:
        raise UploadRejected(
            _("%(file)s распаковывается в %(size)s МБ — это больше допустимого (%(limit)s МБ); %(again)s")
            % {
                "file": subject,
                "size": megabytes(total),
                "limit": megabytes(limits.max_unpacked_bytes),
                "again": again,
            }
        )
    for e in entries:
        ratio = e.file_size / max(e.compress_size, 1)
        if e.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise UploadRejected(
                ngettext(
                    "%(file)s распаковывается в %(size)s МБ — это больше допустимого: "
                    "часть «%(part)s» сжата в %(ratio)s раз, а допустимо не больше чем в %(limit)s; %(again)s",
                    "%(file)s распаковывается в %(size)s МБ — это больше допустимого: "
                    "часть «%(part)s» сжата в %(ratio)s раз, а допустимо не больше чем в %(limit)s; %(again)s",
                    int(ratio),
                )
                % {
                    "file": subject,
                    "size": megabytes(total),
                    "part": e.filename[:80],
                    "ratio": f"{int(ratio):,}".replace(",", "\u00a0"),
                    "limit": limits.max_ratio,
                    "again": again,
                }
            )
    return archive


def unpack_checked(data: bytes, *, name: str = "", limits: ArchiveLimits | None = None) -> bytes:
    """The archive after ``check_archive``, re-packed uncompressed from parts read within their
    declared sizes — what parsers (python-docx, openpyxl) may open.

    Each part is inflated in 64 KB steps; ``zipfile`` stops a step at the declared size and
    checks the CRC, so a part whose header understates it is cut off (or refused), and memory
    never holds more than the declared total (itself under the limit).
    """
    out = io.BytesIO()
    with check_archive(data, name=name, limits=limits) as archive, zipfile.ZipFile(out, "w") as honest:
        seen: set[str] = set()
        for info in archive.infolist():
            if info.is_dir() or info.filename in seen:
                continue
            seen.add(info.filename)
            target = zipfile.ZipInfo(info.filename)  # stored, dated 1980: nothing taken on trust
            target.file_size = info.file_size
            try:
                with archive.open(info) as src, honest.open(target, "w") as dst:
                    while chunk := src.read(READ_STEP):
                        dst.write(chunk)
            except _ZIP_READ_ERRORS as exc:
                raise UploadRejected(
                    _("Документ повреждён и не читается. Откройте его в Word или Excel и сохраните заново.")
                ) from exc
    return out.getvalue()


def check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse XML parts that declare a DTD (entity bombs, external entities) before a parser sees them.

    Word and Excel never write one. Only the prolog of each part is read (at most 64 KB); the
    parsers themselves also run without entity resolution — this gives a clear message early.
    """
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(info) as part:
                head = part.read(XML_HEAD_BYTES)
        except _ZIP_READ_ERRORS as exc:
            raise UploadRejected(
                _("Документ повреждён и не читается. Откройте его в Word или Excel и сохраните заново.")
            ) from exc
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", "replace").encode()
        head = head.removeprefix(b"\xef\xbb\xbf")
        rest = head[_PROLOG.match(head).end() :]
        # A DTD, or a prolog too long to be honest.
        if rest.startswith(b"<!") or (not rest and len(head) >= XML_HEAD_BYTES):
            raise UploadRejected(str(UNSAFE_XML))


def sniff(data: bytes, *, name: str = "", limits: ArchiveLimits | None = None) -> str | None:
    """The type by content, or None. An archive over the limits raises ``UploadRejected``."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            return None
        with check_archive(data, name=name, limits=limits) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                try:
                    with z.open("mimetype") as part:  # a step, never the whole part
                        mimetype = part.read(100).decode("ascii", "replace").strip()
                except _ZIP_READ_ERRORS:
                    return None
                return {
                    "application/vnd.oasis.opendocument.text": "odt",
                    "application/vnd.oasis.opendocument.spreadsheet": "ods",
                }.get(mimetype)
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
    return (stem[:150] or _("файл")) + ext.lower()[:10]


def check_upload(
    name: str,
    data: bytes,
    *,
    max_bytes: int | None = None,
    kinds: Collection[str] | None = None,
    limits: ArchiveLimits | None = None,
) -> CheckedUpload:
    """Size, name, archive limits and content; ``kinds`` narrows what is accepted (the import)."""
    check_size(name, data, max_bytes=max_bytes)
    display = clean_name(name)
    ext = os.path.splitext(display)[1]
    accepted = sorted({e for k in (kinds or ALLOWED) for e in ALLOWED[k][0]})
    if kinds and frozenset(kinds) == OFFICE_KINDS:
        what = _("документ DOCX или XLSX")
        hint = _("Загрузите файл DOCX или XLSX (документ Word или книгу Excel).")
    elif kinds and frozenset(kinds) == PLAN_KINDS:
        what = _("документ DOCX, XLSX или PDF")
        hint = _("Загрузите файл DOCX, XLSX или PDF (документ Word, книгу Excel или PDF с текстом).")
    else:
        what = _("документ или изображение")
        hint = _("Загрузите PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, JPG или PNG.")
    if ext not in accepted:
        raise UploadRejected(
            _("Файлы «%(ext)s» не принимаются. %(hint)s") % {"ext": ext or _("без расширения"), "hint": hint}
        )
    kind = sniff(data, name=display, limits=limits)
    if kind == "ole" and ext in {".docx", ".xlsx"}:
        # An encrypted Office file is an OLE container, whatever its extension.
        raise UploadRejected(
            _(
                "Файл «%(name)s» защищён паролем или сохранён в старом формате (DOC/XLS). "
                "Снимите пароль и сохраните документ как DOCX или XLSX."
            )
            % {"name": display}
        )
    if kind is None:
        raise UploadRejected(
            _("Содержимое файла «%(name)s» не похоже на %(what)s: возможно, файл повреждён или переименован.")
            % {"name": display, "what": what}
        )
    if kind == "pdf" and kinds and b"%%EOF" not in data[-2048:]:
        # A PDF is read from its end (the cross-reference table): a cut-off upload is not a plan.
        raise UploadRejected(
            _("PDF «%(name)s» обрезан или повреждён: сохраните его заново и загрузите ещё раз.")
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
