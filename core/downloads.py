"""Files leave the portal one way: as attachments that cannot run in our origin."""

from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse

from core.signals import file_downloaded

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(name: str, *, ascii_fallback: str = "file") -> str:
    """``attachment`` with the Russian name for browsers that read RFC 6266 and a plain one for
    those that do not."""
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    plain = f"{ascii_fallback}.{ext}" if ext else ascii_fallback
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"


def _harden(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def attachment(field_file: FieldFile, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A stored file as a download, never rendered inline: uploaded content cannot run in our
    origin (no sniffing, sandboxed). A missing file is a 404, like an object out of reach."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = _harden(FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type))
    instance = getattr(field_file, "instance", None)
    if instance is not None:
        file_downloaded.send(sender=type(instance), instance=instance, filename=filename)
    return response


def bytes_download(
    data: bytes, *, filename: str, content_type: str, ascii_fallback: str = "file"
) -> HttpResponse:
    """Bytes built in memory (an export) as an attachment, with the same hardening."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, ascii_fallback=ascii_fallback)
    return _harden(response)
