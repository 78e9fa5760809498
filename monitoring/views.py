"""Execution tracking pages: «Мои задачи», an obligation with its report and evidence, the review
queue, execution lists with completeness figures and the region matrix. Thin views."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from core.downloads import attachment
from core.filters import as_select, yes_no_select
from core.forms import errors_as_messages, errors_on_form
from monitoring import rules, selectors, services
from monitoring.filters import ObligationFilter
from monitoring.forms import EvidenceForm, ReportForm, ReviewForm
from monitoring.models import Evidence, ExecutionReport, Obligation
from roadmaps.models import Item, Roadmap
from schools import access
from schools.gate import GatedViewMixin
from schools.models import Municipality, Organization

PAGE = 30
# The matrix legend, in the order of selectors._cell_state (each state has an icon and words).
MATRIX_STATES = ["accepted", "partly", "submitted", "returned", "overdue", "pending"]


class TasksView(GatedViewMixin, TemplateView):
    template_name = "monitoring/tasks.html"
    BUCKETS = [
        ("open", _("К исполнению")),
        ("soon", _("Срок в ближайшие 7 дней")),
        ("overdue", _("Просрочено")),
        ("returned", _("Возвращено на доработку")),
        ("done", _("Отправлено и принято")),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        bucket = self.request.GET.get("bucket", "open")
        if bucket not in dict(self.BUCKETS):
            bucket = "open"
        roadmap_id = self.request.GET.get("roadmap")
        roadmap_id = int(roadmap_id) if roadmap_id and roadmap_id.isdigit() else None
        qs = selectors.tasks(user, bucket=bucket, roadmap_id=roadmap_id)
        roadmaps = (
            Roadmap.objects.visible_to(self.request.user)
            .filter(pk__in=selectors.fileable(user).values("roadmap_id"))
            .select_related("owner")
        )
        return super().get_context_data(
            bucket=bucket,
            buckets=self.BUCKETS,
            counts=selectors.task_counts(user),
            roadmaps=roadmaps,
            roadmap_id=roadmap_id,
            page=Paginator(qs, PAGE).get_page(self.request.GET.get("page")),
            today=timezone.localdate(),
            **kwargs,
        )


class ObligationView(GatedViewMixin, DetailView):
    """The obligation, its report form, evidence, review panel and history. POST saves/submits."""

    gate_model = Obligation
    write_action = rules.FILE_REPORT
    template_name = "monitoring/obligation.html"
    context_object_name = "obligation"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("item", "item__section", "roadmap", "executor", "region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        obligation, user = self.object, self.request.user
        report = ExecutionReport.objects.visible_to(self.request.user).filter(obligation=obligation).first()
        can_file = access.can(user, rules.FILE_REPORT, obligation)
        initial = {}
        if report:
            initial = {
                "status": report.status,
                "comment": report.comment,
                "actual_value": report.actual_value,
                "done_on": report.done_on,
            }
        kwargs.setdefault("form", ReportForm(initial=initial))
        kwargs.setdefault("evidence_form", EvidenceForm(max_mb=settings.UPLOAD_MAX_BYTES // 2**20))
        return super().get_context_data(
            report=report,
            evidence=report.evidence.select_related("uploaded_by") if report else [],
            events=report.events.select_related("user") if report else [],
            lock_reason=services.lock_reason(report),
            deadline=services.deadline_of(obligation),
            overdue=services.is_overdue(obligation),
            can_file=can_file and not services.lock_reason(report) and not obligation.cancelled,
            can_review=report is not None
            and report.review_state == ExecutionReport.Review.SUBMITTED
            and access.can(user, rules.REVIEW_REPORT, obligation),
            can_reopen=report is not None
            and report.review_state == ExecutionReport.Review.ACCEPTED
            and access.can(user, rules.REOPEN_REPORT, obligation),
            review_form=ReviewForm(),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = obligation = self.get_object()
        form = ReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Проверьте поля отчёта."))
            return self.render_to_response(self.get_context_data(form=form))
        # A refusal keeps what was typed: the form comes back with the error next to its field.
        with errors_on_form(form):
            submitting = request.POST.get("action") == "submit"
            services.do_save_report(
                actor=request.user, obligation=obligation, record=not submitting, **form.cleaned_data
            )
            if submitting:
                services.do_submit_report(actor=request.user, obligation=obligation)
                messages.success(request, _("Отчёт отправлен на проверку."))
            else:
                messages.success(request, _("Черновик отчёта сохранён."))
            return redirect("obligation-detail", pk=obligation.pk)
        return self.render_to_response(self.get_context_data(form=form))


class EvidenceAddView(GatedViewMixin, DetailView):
    gate_model = Obligation
    write_action = rules.FILE_REPORT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obligation = self.get_object()
        form = EvidenceForm(request.POST, request.FILES, max_mb=settings.UPLOAD_MAX_BYTES // 2**20)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("obligation-detail", pk=obligation.pk)
        data = form.cleaned_data
        with errors_as_messages(request):
            if data.get("file"):
                upload = data["file"]  # its size was checked while it arrived (core/http.py)
                services.do_add_file(
                    actor=request.user,
                    obligation=obligation,
                    name=upload.name,
                    data=upload.read(),
                    description=data["description"],
                )
            else:
                services.do_add_link(
                    actor=request.user,
                    obligation=obligation,
                    url=data["url"],
                    description=data["description"],
                )
            messages.success(request, _("Подтверждение добавлено."))
        return redirect("obligation-detail", pk=obligation.pk)


class EvidenceDeleteView(GatedViewMixin, DetailView):
    gate_model = Evidence
    write_action = rules.FILE_REPORT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        evidence = self.get_object()
        obligation_id = evidence.report.obligation_id
        with errors_as_messages(request):
            services.do_remove_evidence(actor=request.user, evidence=evidence)
            messages.success(request, _("Подтверждение удалено."))
        return redirect("obligation-detail", pk=obligation_id)


class EvidenceDownloadView(GatedViewMixin, DetailView):
    """Files are always downloaded, never shown inline: an uploaded file cannot run in our origin."""

    gate_model = Evidence

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        evidence = self.get_object()
        if evidence.kind != Evidence.Kind.FILE:
            raise Http404
        return attachment(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


class ReviewView(GatedViewMixin, DetailView):
    gate_model = Obligation
    write_action = rules.REVIEW_REPORT
    http_method_names = ["post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Reopening is the coordinator's right, not every reviewer's: check that action instead.
        if request.POST.get("action") == "reopen":
            self.write_action = rules.REOPEN_REPORT
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obligation = self.get_object()
        report = ExecutionReport.objects.visible_to(self.request.user).filter(obligation=obligation).first()
        if report is None:
            messages.error(request, _("По этому обязательству ещё нет отчёта."))
            return redirect("obligation-detail", pk=obligation.pk)
        comment = request.POST.get("comment", "")
        action = request.POST.get("action")
        with errors_as_messages(request):
            if action == "accept":
                services.do_accept_report(actor=request.user, report=report, comment=comment)
                messages.success(request, _("Отчёт принят."))
            elif action == "return":
                services.do_return_report(actor=request.user, report=report, comment=comment)
                messages.success(request, _("Отчёт возвращён исполнителю на доработку."))
            elif action == "reopen":
                services.do_reopen_report(actor=request.user, report=report, reason=comment)
                messages.success(request, _("Отчёт открыт повторно и возвращён исполнителю."))
            else:
                messages.error(request, _("Неизвестное действие."))
        nxt = request.POST.get("next")
        if nxt == "queue":
            return redirect("review-queue")
        return redirect("obligation-detail", pk=obligation.pk)


class ReviewQueueView(GatedViewMixin, TemplateView):
    template_name = "monitoring/reviews.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filterset = ObligationFilter(
            self.request.GET or None, queryset=selectors.review_queue(user), request=self.request
        )
        as_select(
            filterset,
            "municipality",
            Municipality.objects.visible_to(user).order_by("name").values_list("pk", "name"),
        )
        form = filterset.form
        form.visible = [form["municipality"], form["search"]]
        return super().get_context_data(
            form=form, page=Paginator(filterset.qs, PAGE).get_page(self.request.GET.get("page")), **kwargs
        )


class ExecutionView(GatedViewMixin, TemplateView):
    """Obligations with filters and completeness/timeliness figures; per municipality or school."""

    template_name = "monitoring/execution.html"

    FIELDS = ("roadmap", "municipality", "period", "review_state", "overdue")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filterset = ObligationFilter(
            self.request.GET or None,
            queryset=Obligation.objects.visible_to(user).filter(cancelled=False),
            request=self.request,
        )
        roadmaps = (
            Roadmap.objects.visible_to(user).filter(status=Roadmap.Status.APPROVED).select_related("owner")
        )
        as_select(filterset, "roadmap", [(r.pk, f"{r.owner.short_name}: {r.title[:70]}") for r in roadmaps])
        as_select(
            filterset,
            "municipality",
            Municipality.objects.visible_to(user).order_by("name").values_list("pk", "name"),
        )
        yes_no_select(filterset, "overdue", yes=_("только просроченные"), no=_("кроме просроченных"))
        form = filterset.form
        form.fields["review_state"].choices = [("", _("Все")), *ExecutionReport.Review.choices]
        cleaned = form.cleaned_data if form.is_valid() else {}
        executor_org = item_obj = None
        if cleaned.get("executor"):
            executor_org = Organization.objects.visible_to(user).filter(pk=cleaned["executor"]).first()
        if cleaned.get("item"):
            item_obj = Item.objects.visible_to(user).filter(pk=cleaned["item"]).first()
        qs = filterset.qs
        rows = selectors._with_relations(qs).order_by("due_date", "item__position", "executor__short_name")
        return super().get_context_data(
            form=form,
            filter_fields=[form[name] for name in self.FIELDS],
            figures=selectors.figures(qs),
            executor_org=executor_org,
            item_obj=item_obj,
            page=Paginator(rows, PAGE).get_page(self.request.GET.get("page")),
            today=timezone.localdate(),
            **kwargs,
        )


class MatrixView(GatedViewMixin, TemplateView):
    template_name = "monitoring/matrix.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        roadmaps = list(
            Roadmap.objects.visible_to(user).filter(status=Roadmap.Status.APPROVED).select_related("owner")
        )
        chosen = self.request.GET.get("roadmap")
        roadmap = next((r for r in roadmaps if str(r.pk) == chosen), roadmaps[0] if roadmaps else None)
        by = "municipality" if self.request.GET.get("by") == "municipality" else "executor"
        context = {"roadmaps": roadmaps, "roadmap": roadmap, "by": by, "legend_states": MATRIX_STATES}
        if roadmap is not None:
            data = selectors.matrix(user, roadmap=roadmap, by=by)
            items = list(roadmap.items.exclude(schedule_kind=Item.ScheduleKind.SUBITEMS).order_by("position"))
            if by == "municipality":
                names = dict(
                    Municipality.objects.visible_to(self.request.user)
                    .filter(pk__in=[c for c in data["columns"] if c])
                    .values_list("pk", "name")
                )
                names[None] = _("Региональный уровень")
            else:
                names = dict(
                    Organization.objects.visible_to(self.request.user)
                    .filter(pk__in=data["columns"])
                    .values_list("pk", "short_name")
                )
            columns = sorted(data["columns"], key=lambda c: (c is not None, names.get(c, "")))
            context.update(
                columns=[(c, names.get(c, "—")) for c in columns],
                rows=[
                    (item, [data["cells"].get((item.pk, c)) for c in columns])
                    for item in items
                    if any((item.pk, c) in data["cells"] for c in columns)
                ],
                figures=selectors.figures(
                    Obligation.objects.visible_to(user).filter(roadmap=roadmap, cancelled=False)
                ),
            )
        return super().get_context_data(**context, **kwargs)
