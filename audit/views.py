"""The audit log pages: the list with filters and one event. Read-only, through the gate."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from audit.forms import AuditFilterForm
from audit.models import AuditEvent
from audit.rules import may_read_log
from schools.gate import GatedViewMixin
from schools.models import User

PAGE_SIZE = 50


class AuditAccessMixin(GatedViewMixin):
    """Only the platform administrator and regional coordinators read the log at all: anybody
    else gets 403 on the list (and 404 on an event, as for any object out of reach)."""

    @staticmethod
    def admits(user: User) -> bool:
        return may_read_log(user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.admits(request.user) and self.gate_model is None:
            raise PermissionDenied(_("Журнал событий доступен администратору и региональному координатору."))
        return super().dispatch(request, *args, **kwargs)


class AuditListView(AuditAccessMixin, TemplateView):
    template_name = "audit/event_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = AuditFilterForm(self.request.GET or None)
        events = AuditEvent.objects.visible_to(self.request.user).select_related("region")
        if form.is_valid():
            f = form.cleaned_data
            if f["action"]:
                events = events.filter(action=f["action"])
            if f["user"]:
                events = events.filter(
                    Q(username__icontains=f["user"]) | Q(user__full_name__icontains=f["user"])
                )
            tz = timezone.get_current_timezone()
            if f["date_from"]:
                events = events.filter(created_at__gte=dt.datetime.combine(f["date_from"], dt.time.min, tz))
            if f["date_to"]:
                end = dt.datetime.combine(f["date_to"] + dt.timedelta(days=1), dt.time.min, tz)
                events = events.filter(created_at__lt=end)
        page = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(form=form, page=page, **kwargs)


class AuditEventDetailView(AuditAccessMixin, DetailView):
    gate_model = AuditEvent
    template_name = "audit/event_detail.html"
    context_object_name = "event"
