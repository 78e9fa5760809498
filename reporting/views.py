"""Reports and monitoring rounds pages. Reports are built by workers; pages only queue and show."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from core.downloads import attachment
from monitoring import rounds as round_services
from monitoring.models import MonitoringRound
from questionnaires.models import Questionnaire
from reporting import services
from reporting.builders.common import total
from reporting.forms import OpenRoundForm, ReportRequestForm
from reporting.models import Report
from roadmaps.models import Roadmap
from schools import access
from schools.gate import GatedViewMixin
from schools.models import Municipality, Organization, Region


class ReportsView(GatedViewMixin, TemplateView):
    # A request names its subject (round, municipality, school) in the form; the service checks
    # it against the gate, so the POST creates nothing the user could not see.
    acts_on_self = True
    template_name = "reporting/reports.html"

    def _form(self, data=None):
        user = self.request.user
        scope = access.get_scope(user)
        kinds = list(Report.Kind.choices)
        if not (scope.full_region_ids or scope.is_admin):
            kinds = [k for k in kinds if k[0] != Report.Kind.QUARTERLY]  # region-wide roles only
        return ReportRequestForm(
            data,
            kinds=kinds,
            rounds=MonitoringRound.objects.visible_to(user)
            .select_related("roadmap", "roadmap__owner")
            .order_by("-period_start")[:100],
            municipalities=Municipality.objects.visible_to(user).order_by("name"),
            schools=Organization.objects.visible_to(user).filter(kind=Organization.Kind.SCHOOL).order_by("short_name"),
            questionnaires=Questionnaire.objects.visible_to(user)
            .filter(is_template=False)
            .order_by("-created_at")[:100],
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        reports = Report.objects.visible_to(user).select_related("requested_by")
        ready = reports.filter(
            kind=Report.Kind.QUARTERLY, requested_by__isnull=True, status=Report.Status.DONE
        ).order_by("-finished_at")[:10]
        page = Paginator(reports, 25).get_page(self.request.GET.get("page"))
        kwargs.setdefault("form", self._form())
        return super().get_context_data(
            page=page,
            ready=ready,
            refresh=any(not r.finished for r in page),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
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
        except PermissionDenied:
            form.add_error(None, _("Этот объект вам недоступен."))
            return self.render_to_response(self.get_context_data(form=form))
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Отчёт заказан: он строится в фоне, страница обновится сама."))
        return redirect("report-detail", pk=report.pk)


class ReportDetailView(GatedViewMixin, DetailView):
    gate_model = Report
    template_name = "reporting/report_detail.html"
    context_object_name = "report"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.GET.get("format") == "json":
            r = self.object
            return JsonResponse(
                {"status": r.status, "progress": r.progress, "message": r.message, "finished": r.finished}
            )
        return self.render_to_response(self.get_context_data())


class ReportDownloadView(GatedViewMixin, DetailView):
    gate_model = Report

    def get(self, request, *args, **kwargs):
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


def _quarters(roadmaps) -> list[tuple[str, str]]:
    years = sorted({y for r in roadmaps for y in r.years}, reverse=True)
    return [(f"{y}-{3 * q - 2:02d}-01", f"{q} квартал {y}") for y in years for q in (4, 3, 2, 1)]


class RoundListView(GatedViewMixin, TemplateView):
    template_name = "reporting/rounds.html"

    def _form(self, data=None):
        user = self.request.user
        scope = access.get_scope(user)
        roadmaps = list(
            Roadmap.objects.visible_to(user)
            .filter(status=Roadmap.Status.APPROVED, region_id__in=scope.manage_region_ids)
            .select_related("owner")
        )
        return OpenRoundForm(data, roadmaps=roadmaps, quarters=_quarters(roadmaps)) if roadmaps else None

    def get_context_data(self, **kwargs):
        user = self.request.user
        qs = (
            MonitoringRound.objects.visible_to(user)
            .select_related("roadmap", "roadmap__owner")
            .order_by("-period_start", "roadmap__title")
        )
        kwargs.setdefault("form", self._form())
        scope = access.get_scope(user)
        open_region = Region.objects.visible_to(self.request.user).filter(pk__in=scope.manage_region_ids).order_by("code").first()
        return super().get_context_data(
            page=Paginator(qs, 25).get_page(self.request.GET.get("page")), open_region=open_region, **kwargs
        )


class RoundOpenView(GatedViewMixin, DetailView):
    """POST: a coordinator opens a round for a roadmap and quarter of their region."""

    gate_model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    write_action = round_services.OPEN_ROUND
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        region = self.get_object()
        roadmaps = [
            r
            for r in Roadmap.objects.visible_to(request.user)
            .filter(region=region, status=Roadmap.Status.APPROVED)
            .select_related("owner")
        ]
        form = OpenRoundForm(request.POST, roadmaps=roadmaps, quarters=_quarters(roadmaps))
        if not form.is_valid():
            messages.error(request, _("Выберите дорожную карту и квартал."))
            return redirect("round-list")
        roadmap = next(r for r in roadmaps if r.pk == form.cleaned_data["roadmap"])
        try:
            round_ = round_services.do_open_round(
                actor=request.user,
                roadmap=roadmap,
                period_start=dt.date.fromisoformat(form.cleaned_data["quarter"]),
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("round-list")
        messages.success(request, _("Раунд открыт: %(r)s.") % {"r": round_.label})
        return redirect("round-detail", pk=round_.pk)


class RoundDetailView(GatedViewMixin, DetailView):
    gate_model = MonitoringRound
    write_action = round_services.OPEN_ROUND
    template_name = "reporting/round_detail.html"
    context_object_name = "round"

    def get_context_data(self, **kwargs):
        round_ = self.object
        rows = round_services.entries_of(round_)
        previous = round_services.previous_round(round_)
        by_section: dict = {}
        for r in rows:
            by_section.setdefault(r.section or _("Без раздела"), []).append(r)
        return super().get_context_data(
            totals=total(rows).as_dict(),
            previous=previous,
            previous_totals=total(round_services.entries_of(previous)).as_dict() if previous else None,
            sections=[(title, total(items).as_dict()) for title, items in by_section.items()],
            can_close=round_.state == MonitoringRound.State.OPEN
            and access.can(self.request.user, round_services.OPEN_ROUND, round_),
            reports=Report.objects.visible_to(self.request.user).filter(
                kind=Report.Kind.QUARTERLY, params__round=round_.pk
            )[:10],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        round_ = self.get_object()
        round_services.close_round(round_)
        services.auto_quarterly_reports(round_)
        messages.success(request, _("Раунд закрыт: данные зафиксированы, квартальные отчёты строятся."))
        return redirect("round-detail", pk=round_.pk)
