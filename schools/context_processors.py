from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from schools import access
from schools.models import Membership


def access_scope(request: HttpRequest) -> dict[str, Any]:
    """Templates ask «what can this user reach» without every view passing it along."""
    user = getattr(request, "user", None)
    return {
        "scope": SimpleLazyObject(lambda: access.get_scope(user)),
        "setup_region_code": SimpleLazyObject(lambda: _setup_region_code(user)),
        # The region a reader of the whole country is shown (schools/focus.py), and the choice.
        "region_focus": getattr(request, "region_focus", None),
        "focus_regions": SimpleLazyObject(
            lambda: [(region.code, region.name) for region in access.every_region(user)]
        ),
    }


def _setup_region_code(user: Any) -> str:
    """The region whose «Подключение» pages the menu links to: where the user may invite people
    (a coordinator, or a municipal official for their directors); empty for everybody else. The
    first by code of the user's regions, which the request has read already (the middleware's
    time zone): no query of its own."""
    scope = access.get_scope(user)
    ids = [
        rid
        for rid, roles in scope.roles_by_region.items()
        if roles & {Membership.Role.COORDINATOR, Membership.Role.MUNICIPAL}
    ]
    if not ids:
        return ""
    # Among the user's regions, read once per request (the time zone's, the lists' order).
    return next((region.code for region in access.member_regions(user) if region.pk in ids), "")
