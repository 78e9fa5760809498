"""Pages for running a questionnaire: assigning schools, tracking, reminders, results, reopening."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

import audit
from core.downloads import XLSX_TYPE, bytes_download
from core.filters import describe
from core.forms import errors_as_messages, errors_on_form
from questionnaires import exports, rules, selectors, services
from questionnaires.filters import AssignmentFilter
from questionnaires.forms import (
    AssignForm,
    ReopenForm,
)
from questionnaires.models import Assignment, Questionnaire
from schools import access
from schools import selectors as school_selectors
from schools.filters import OrganizationFilter
from schools.gate import GatedViewMixin
from schools.models import Municipality, Organization


class AssignView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    read_action = rules.ASSIGN
    write_action = rules.ASSIGN
    template_name = "questionnaires/assign.html"
    context_object_name = "questionnaire"
    MAX_SHOWN = 500

    def _schools(self, params: QueryDict) -> tuple[forms.Form, QuerySet]:
        q, user = self.object, self.request.user
        scope = access.get_scope(user)
        municipalities = Municipality.objects.visible_to(self.request.user).filter(region=q.region)
        if not scope.may_manage(q.region_id):
            municipalities = municipalities.filter(pk__in=scope.municipality_ids)
        municipalities = list(municipalities.order_by("name"))
        filterset = OrganizationFilter(
            params or None,
            queryset=Organization.objects.visible_to(user).filter(
                kind=Organization.Kind.SCHOOL,
                region=q.region,
                municipality__in=[m.pk for m in municipalities],
            ),
            request=self.request,
        ).for_page(years=school_selectors.status_years(user), municipalities=municipalities)
        form = filterset.form
        form.visible = [form[n] for n in ("municipality", "category", "year", "search")]
        year = form.cleaned_data.get("year") if form.is_valid() else None
        schools = school_selectors.with_statuses(filterset.qs, user=user, year=year)
        return form, schools.order_by("municipality__name", "short_name")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(
            self.get_context_data(assign_form=AssignForm(), **self._context(request.GET))
        )

    def _context(self, params: QueryDict, ticked: set[int] | None = None) -> dict[str, Any]:
        filter_form, schools = self._schools(params)
        schools = list(schools[: self.MAX_SHOWN + 1])
        existing = {a.school_id: a for a in self.object.assignments.select_related("response")}
        return {
            "filter_form": filter_form,
            "schools": schools[: self.MAX_SHOWN],
            "too_many": len(schools) > self.MAX_SHOWN,
            "existing": existing,
            "ticked": ticked if ticked is not None else {s.pk for s in schools} if params else set(),
            "filtered": bool(params),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = q = self.get_object()
        form = AssignForm(request.POST)
        ids = {int(x) for x in request.POST.getlist("school") if x.isdigit()}
        if form.is_valid():
            schools = Organization.objects.visible_to(self.request.user).filter(
                pk__in=ids, kind=Organization.Kind.SCHOOL, region=q.region
            )
            with errors_on_form(form):
                created, updated = services.do_assign(
                    actor=request.user,
                    questionnaire=q,
                    schools=schools,
                    deadline=form.cleaned_data["deadline"],
                    lock_date=form.cleaned_data["lock_date"],
                )
                messages.success(
                    request,
                    _("Назначено школам: %(c)s; изменены сроки: %(u)s.") % {"c": created, "u": updated},
                )
                return redirect("questionnaire-tracking", pk=q.pk)
        params = request.GET.copy()
        return self.render_to_response(
            self.get_context_data(assign_form=form, **self._context(params, ticked=ids))
        )


class TrackingView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    read_action = rules.TRACK
    template_name = "questionnaires/tracking.html"
    context_object_name = "questionnaire"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data())

    def filterset(self) -> AssignmentFilter:
        q, user = self.object, self.request.user
        municipalities = (
            Assignment.objects.visible_to(user)
            .filter(questionnaire=q)
            .values_list("school__municipality_id", "school__municipality__name")
            .distinct()
            .order_by("school__municipality__name")
        )
        return AssignmentFilter(
            self.request.GET or None, queryset=selectors.tracking_rows(user, q), request=self.request
        ).for_page(municipalities=municipalities)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        q, user = self.object, self.request.user
        filterset = self.filterset()
        form = filterset.form
        rows, counts = filterset.qs, selectors.tracking_counts(user, q)
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        now = timezone.now()
        for a in page:
            a.locked = a.is_locked(now)
            a.overdue = a.is_overdue(now)
        return super().get_context_data(
            form=form,
            page=page,
            counts=counts,
            total=sum(counts.values()),
            states=selectors.STATES,
            can_remind=access.can(user, rules.REMIND, q),
            can_reopen=access.can(user, rules.ASSIGN, q) or access.get_scope(user).may_manage(q.region_id),
            reopen_form=ReopenForm(initial={"until": services.region_today(q.region) + dt.timedelta(days=3)}),
            **kwargs,
        )


class TrackingExportView(TrackingView):
    """«Кто ответил» as XLSX, cut by the same filters as the page."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = q = self.get_object()
        filterset = self.filterset()
        data = exports.tracking_xlsx(filterset.qs, q, filters=describe(filterset.form))
        name = _("Кто ответил — %(period)s") % {"period": q.period_label}
        response = bytes_download(
            data, filename=f"{name}.xlsx".replace("/", "-"), content_type=XLSX_TYPE, ascii_fallback="tracking"
        )
        audit.record(audit.EXPORT, request=request, obj=q, details={"format": "xlsx", "what": "tracking"})
        return response


class RemindView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    write_action = rules.REMIND
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        q = self.get_object()
        ids = [int(x) for x in request.POST.getlist("assignment") if x.isdigit()] or None
        with errors_as_messages(request):
            n = services.do_send_reminders(actor=request.user, questionnaire=q, assignment_ids=ids)
            if n:
                messages.success(request, _("Напоминание отправлено школам: %(n)s.") % {"n": n})
            else:
                messages.info(request, _("Напоминать некому: все школы отправили ответы."))
        return redirect("questionnaire-tracking", pk=q.pk)


class ResultsView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    read_action = rules.TRACK
    template_name = "questionnaires/results.html"
    context_object_name = "questionnaire"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(**selectors.results(request.user, self.object)))


class ResultsExportView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    read_action = rules.TRACK

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        q = self.get_object()
        data = exports.results_xlsx(request.user, q)
        response = bytes_download(
            data, filename=exports.filename(q, "xlsx"), content_type=XLSX_TYPE, ascii_fallback="questionnaire"
        )
        audit.record(audit.EXPORT, request=request, obj=q, details={"format": "xlsx", "what": "results"})
        return response


class ReopenView(GatedViewMixin, DetailView):
    gate_model = Assignment
    write_action = rules.REOPEN
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        a = self.get_object()
        form = ReopenForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Укажите дату, до которой открыть ответы."))
        else:
            with errors_as_messages(request):
                services.do_reopen(actor=request.user, assignment=a, until=form.cleaned_data["until"])
                messages.success(
                    request,
                    _("Ответы школы «%(s)s» открыты до %(d)s.")
                    % {"s": a.school.short_name, "d": form.cleaned_data["until"].strftime("%d.%m.%Y")},
                )
        return redirect(
            request.POST.get("next") == "answer"
            and reverse("questionnaire-answer", args=[a.pk])
            or reverse("questionnaire-tracking", args=[a.questionnaire_id])
        )
