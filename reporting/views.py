"""Report pages. Reports are built by workers; pages only queue and show."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from core.downloads import attachment
from monitoring.models import MonitoringRound
from questionnaires.models import Questionnaire
from reporting import rules, services
from reporting.forms import ReportRequestForm
from reporting.models import Report
from roadmaps.models import Roadmap
from schools import access, focus
from schools.gate import GatedViewMixin
from schools.models import Municipality, Organization


class ReportsView(GatedViewMixin, TemplateView):
    # A request names its subject (round, municipality, school) in the form; the service checks
    # it against the gate, so the POST creates nothing the user could not see.
    acts_on_self = True
    template_name = "reporting/reports.html"

    def _form(self, data: QueryDict | None = None) -> ReportRequestForm:
        # Only the kinds the user's roles may order (rules.ORDERABLE); subjects as the gate sees them.
        allowed = rules.orderable_kinds(access.get_scope(self.request.user))
        user = self.request.user
        # The platform administrator picks subjects in one region at a time (schools/focus.py):
        # the country's 40,000 schools in one select took seconds to render.
        region = focus.region_for(self.request)
        where = {"region_id": region.pk} if region is not None else {}
        # Subjects are listed only for kinds the user may order: a federal viewer, who sees the
        # whole country but orders only the national export, gets no list of the country's schools.
        return ReportRequestForm(
            data,
            # A roadmap's export is ordered from the roadmap's own page (RoadmapExportOrderView).
            kinds=[k for k in Report.Kind.choices if k[0] in allowed and k[0] != Report.Kind.ROADMAP],
            rounds=MonitoringRound.objects.visible_to(user)
            .filter(**where)
            .select_related("roadmap", "roadmap__owner")
            .order_by("-period_start")[:100]
            if rules.QUARTERLY in allowed
            else [],
            municipalities=Municipality.objects.visible_to(user).filter(**where).order_by("name")
            if rules.MUNICIPAL in allowed
            else [],
            schools=Organization.objects.visible_to(user)
            .filter(kind=Organization.Kind.SCHOOL, **where)
            .order_by("short_name")
            if rules.SCHOOL in allowed
            else [],
            questionnaires=Questionnaire.objects.visible_to(user)
            .filter(is_template=False, **where)
            .order_by("-created_at")[:100]
            if rules.QUESTIONNAIRE in allowed
            else [],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        reports = Report.objects.visible_to(self.request.user)
        # «Готовые» shows no requester. The history's requesters are read for the page's own
        # ids: joined, PostgreSQL hashed every user of the country for ten reports (12 pages of
        # users at 85 regions, one at 1).
        ready = reports.filter(
            kind=Report.Kind.QUARTERLY, automatic=True, status=Report.Status.DONE
        ).order_by("-finished_at")[:10]
        page = Paginator(reports.prefetch_related("requested_by"), 25).get_page(self.request.GET.get("page"))
        kwargs.setdefault("form", self._form())
        return super().get_context_data(
            page=page,
            ready=ready,
            refresh=any(not r.finished for r in page),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            report = services.do_request_report(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["fmt"],
                params=form.params(),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Этот объект вам недоступен."))
            return self.render_to_response(self.get_context_data(form=form))
        except ValidationError as exc:
            form.add_error(None, exc)  # a field's error lands under that field
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Отчёт заказан: он строится в фоне, страница обновится сама."))
        return redirect("report-detail", pk=report.pk)


class ReportDetailView(GatedViewMixin, DetailView):
    gate_model = Report
    template_name = "reporting/report_detail.html"
    context_object_name = "report"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if request.GET.get("format") == "json":
            r = self.object
            return JsonResponse(
                {"status": r.status, "progress": r.progress, "message": r.message, "finished": r.finished}
            )
        return self.render_to_response(self.get_context_data())


class ReportDownloadView(GatedViewMixin, DetailView):
    gate_model = Report

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        report = self.get_object()
        if report.status != Report.Status.DONE:
            raise Http404
        content_type = (
            "application/pdf"
            if report.fmt == "pdf"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        return attachment(
            report.file, filename=report.filename or f"report.{report.fmt}", content_type=content_type
        )


def round_reports_part(request: HttpRequest, round_: MonitoringRound) -> dict:
    """The round page's block listing its quarterly reports (hooked into monitoring's page)."""
    reports = (
        Report.objects.visible_to(request.user)
        .filter(kind=Report.Kind.QUARTERLY, params__round=round_.pk)
        .order_by("-created_at")[:10]
    )
    return {"template": "reporting/_round_reports.html", "reports": list(reports)}


class RoadmapExportOrderView(GatedViewMixin, DetailView):
    """A roadmap's XLSX or PDF, built by a worker: the POST queues it and the report page shows
    its progress and the download (a large roadmap is never rendered inside a request)."""

    gate_model = Roadmap
    write_action = rules.EXPORT_ROADMAP
    # The POST creates a report of the requester's own, not a change to the roadmap: a read-only
    # role (the department) may order it too.
    acts_on_self = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roadmap = self.get_object()
        fmt = request.POST.get("fmt", "")
        try:
            report = services.do_request_report(
                actor=request.user, kind=Report.Kind.ROADMAP, fmt=fmt, params={"roadmap": roadmap.pk}
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("roadmap-detail", pk=roadmap.pk)
        messages.success(request, _("Выгрузка заказана: файл строится в фоне, страница обновится сама."))
        return redirect("report-detail", pk=report.pk)
