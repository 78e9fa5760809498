from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from schools import access


def access_scope(request: HttpRequest) -> dict[str, Any]:
    """Templates ask «what can this user reach» without every view passing it along."""
    user = getattr(request, "user", None)
    return {"scope": SimpleLazyObject(lambda: access.get_scope(user))}
