"""«Корзина»: what coordinators deleted in their region (roadmaps, execution reports, evidence),
with a restore action each; and the coordinator's «delete report» on an obligation.

Every object comes through the gate: the trash proxies are scoped to the regions the user
manages (``roadmaps.rules.scope_trash``), so another region's trash is a 404.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from core.forms import errors_as_messages
from monitoring import rules, trash
from monitoring.models import Obligation, TrashedEvidence, TrashedExecutionReport
from roadmaps import trash as roadmap_trash
from roadmaps.models import TrashedRoadmap
from roadmaps.rules import RESTORE_FROM_TRASH
from schools import access
from schools.gate import GatedViewMixin
from schools.models import User


class TrashView(GatedViewMixin, TemplateView):
    template_name = "monitoring/trash.html"

    @staticmethod
    def admits(user: User) -> bool:
        scope = access.get_scope(user)
        return scope.is_admin or bool(scope.manage_region_ids)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.admits(request.user):
            raise PermissionDenied(_("Корзина доступна региональному координатору."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        roadmaps = TrashedRoadmap.objects.visible_to(user).select_related("owner", "deleted_by", "region")
        reports = TrashedExecutionReport.objects.visible_to(user).select_related(
            "trashed_obligation__item", "trashed_obligation__executor", "deleted_by"
        )
        evidence = TrashedEvidence.objects.visible_to(user).select_related(
            "report__obligation__item", "report__obligation__executor", "deleted_by"
        )
        return super().get_context_data(
            roadmaps=roadmaps.order_by("-deleted_at")[:200],
            reports=reports.order_by("-deleted_at")[:200],
            evidence=evidence.order_by("-deleted_at")[:200],
            retention_days=settings.SOFT_DELETE_RETENTION_DAYS,
            **kwargs,
        )


class _RestoreView(GatedViewMixin, DetailView):
    write_action = RESTORE_FROM_TRASH
    http_method_names = ["post"]

    def restore(self, obj: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        with errors_as_messages(request):
            self.restore(obj)
            messages.success(request, _("Восстановлено: %(what)s.") % {"what": obj})
        return redirect("trash")


class RoadmapRestoreView(_RestoreView):
    gate_model = TrashedRoadmap

    def restore(self, obj: Any) -> None:
        roadmap_trash.do_restore_roadmap(actor=self.request.user, roadmap=obj)


class ReportRestoreView(_RestoreView):
    gate_model = TrashedExecutionReport

    def restore(self, obj: Any) -> None:
        trash.do_restore_report(actor=self.request.user, report=obj)


class EvidenceRestoreView(_RestoreView):
    gate_model = TrashedEvidence

    def restore(self, obj: Any) -> None:
        trash.do_restore_evidence(actor=self.request.user, evidence=obj)


class ReportDeleteView(GatedViewMixin, DetailView):
    """A coordinator takes a filed report back into the trash; the obligation is open again."""

    gate_model = Obligation
    write_action = rules.DELETE_REPORT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obligation = self.get_object()
        with errors_as_messages(request):
            trash.do_delete_report(actor=request.user, obligation=obligation)
            messages.success(request, _("Отчёт перенесён в корзину."))
        return redirect("obligation-detail", pk=obligation.pk)
