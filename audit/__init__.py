"""The audit log. Other apps call :func:`audit.record`; schools never imports this app — its
events (logins, memberships, curator grants, file downloads) are heard through signals."""

from typing import Any

# Actions other apps record themselves (the rest are heard through signals).
EXPORT = "export"
DOWNLOAD = "download"
DIAGNOSTICS_IMPORTED = "diagnostics_imported"


def record(*args: Any, **kwargs: Any) -> Any:
    from audit.services import record as _record

    return _record(*args, **kwargs)
