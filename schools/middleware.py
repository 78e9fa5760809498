from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from schools import access


class RegionTimezoneMiddleware:
    """Show times in the user's region's own time zone (Tomsk is UTC+7, Moscow UTC+3)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        region = access.primary_region(request.user) if request.user.is_authenticated else None
        if region is not None:
            timezone.activate(region.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
