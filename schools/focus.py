"""One region at a time for those who read the whole country.

The federal viewer and the platform administrator reach all regions. Their list pages — tasks,
execution, the matrix, the overview, results, roadmaps, deadlines, reviews, questionnaires,
organizations — would otherwise fill their filters with every roadmap and municipality of the
country and count its two million obligations on every request (seconds at 85 regions). On those
pages (and the exports of what they list) such a reader looks at one region, chosen at the top of
the page and kept in the session; the page then costs what it costs a department official of that
region. The national picture is the national export («Отчёты»).

Only reads are narrowed: the scope is replaced on GET and HEAD of the pages named in
:data:`FOCUSED_PAGES`, so writes, detail pages and the API keep the reader's full reach (the API
filters by ``region`` itself). The report order form (``reporting.views``) lists the subjects of
the same region through :func:`region_for`, on GET and POST alike. Narrowing only takes away: the focused scope is the full scope cut
to one region.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import View

from schools import access
from schools.gate import GatedViewMixin
from schools.models import Membership, Region

SESSION_KEY = "region_focus"

# List pages (and their exports) that show one region to a reader of the whole country.
FOCUSED_PAGES = frozenset(
    {
        "home",
        "tasks",
        "tasks-export",
        "execution",
        "execution-export",
        "execution-matrix",
        "execution-matrix-export",
        "region-overview",
        "region-overview-export",
        "review-queue",
        "review-queue-export",
        "roadmap-list",
        "roadmap-due",
        "diagnostics-region",
        "diagnostics-region-export",
        "measure-list",
        "measure-export",
        "questionnaire-list",
        "organization-list",
    }
)


def focused(scope: access.Scope, region_id: int) -> access.Scope:
    """``scope`` cut to one region: what the reader reaches there and nothing elsewhere."""
    one = frozenset({region_id})
    if scope.is_admin:
        # The administrator reaches a region as its coordinator does (everything, may change it).
        role = frozenset({Membership.Role.COORDINATOR})
        cut = access.Scope(
            user_id=scope.user_id,
            member_region_ids=one,
            full_region_ids=one,
            manage_region_ids=one,
            roles=role,
            roles_by_region={region_id: role},
        )
    else:
        cut = dataclasses.replace(
            scope,
            member_region_ids=scope.member_region_ids & one,
            full_region_ids=scope.full_region_ids & one,
            manage_region_ids=scope.manage_region_ids & one,
            roles_by_region={k: v for k, v in scope.roles_by_region.items() if k == region_id},
        )
    # The country's regions, if this request has read them, serve the cut scope too: the region
    # bar lists them, and its own region is among them (access.member_regions).
    every = access.memoized(scope, "every_region")
    if every is not None:
        access.memo(cut, "every_region", lambda: every)
    return cut


def default_region(request: HttpRequest, scope: access.Scope) -> Region | None:
    """The region chosen in this session, else one the reader is a member of, else the first."""
    regions = access.every_region(request.user)  # read once per request (the bar lists them)
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        region = next((region for region in regions if region.pk == chosen), None)
        if region is not None:
            return region
    own = {rid for rid, roles in scope.roles_by_region.items() if roles - {access.FEDERAL}}
    return next((region for region in regions if region.pk in own), None) or next(iter(regions), None)


def region_for(request: HttpRequest) -> Region | None:
    """The region a reader of the whole country is shown on a page that narrows its own lists
    (the report order form's subjects, on GET and POST alike); ``None`` for everybody else."""
    scope = access.get_scope(request.user)
    if not scope.reads_every_region:
        return None
    region = default_region(request, scope)
    request.region_focus = region
    return region


class RegionFocusMiddleware:
    """Narrows a reader of the whole country to one region on the pages of :data:`FOCUSED_PAGES`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or match is None or match.url_name not in FOCUSED_PAGES:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        scope = access.get_scope(user)
        if not scope.reads_every_region:
            return None
        region = default_region(request, scope)
        if region is None:
            return None
        user._access_scope = focused(scope, region.pk)
        request.region_focus = region
        timezone.activate(region.tzinfo)  # deadlines in the region's own time, as its people see them
        return None


class RegionFocusView(GatedViewMixin, View):
    """POST ``region`` (a code) and ``next`` (a page of the portal): show that region there."""

    acts_on_self = True  # the choice is the reader's own, kept in their session

    @staticmethod
    def admits(user: Any) -> bool:
        return access.get_scope(user).reads_every_region

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.admits(request.user):
            raise PermissionDenied(
                _("Выбор региона нужен только федеральному наблюдателю и администратору платформы.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(reverse("home"))  # the choice is made in the bar of a page

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        region = Region.objects.visible_to(request.user).filter(code=request.POST.get("region", "")).first()
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("home")
        if region is None:
            messages.error(request, _("Такого региона нет. Выберите регион из списка."))
        else:
            request.session[SESSION_KEY] = region.pk
        return HttpResponseRedirect(target)
