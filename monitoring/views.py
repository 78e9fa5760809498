"""Execution tracking pages: «Мои задачи», an obligation with its report and evidence, the review
queue, execution lists with completeness figures and the region matrix. Thin views."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from core.uploads import UploadRejected
from monitoring import rules, selectors, services
from monitoring.forms import EvidenceForm, ExecutionFilterForm, ReportForm, ReviewForm
from monitoring.models import Evidence, ExecutionReport, Obligation
from roadmaps import selectors as roadmap_selectors
from roadmaps.models import Item, Roadmap
from schools import access
from schools.gate import GatedViewMixin, attachment
from schools.models import Municipality, Organization

PAGE = 30


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class TasksView(GatedViewMixin, TemplateView):
    template_name = "monitoring/tasks.html"
    BUCKETS = [
        ("open", _("К исполнению")),
        ("soon", _("Срок в ближайшие 7 дней")),
        ("overdue", _("Просрочено")),
        ("returned", _("Возвращено на доработку")),
        ("done", _("Отправлено и принято")),
    ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        bucket = self.request.GET.get("bucket", "open")
        if bucket not in dict(self.BUCKETS):
            bucket = "open"
        roadmap_id = self.request.GET.get("roadmap")
        roadmap_id = int(roadmap_id) if roadmap_id and roadmap_id.isdigit() else None
        qs = selectors.tasks(user, bucket=bucket, roadmap_id=roadmap_id)
        roadmaps = Roadmap.objects.filter(
            pk__in=selectors.fileable(user).values("roadmap_id")
        ).select_related("owner")
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

    def get_queryset(self):
        return super().get_queryset().select_related("item", "item__section", "roadmap", "executor", "region")

    def get_context_data(self, **kwargs):
        obligation, user = self.object, self.request.user
        report = ExecutionReport.objects.filter(obligation=obligation).first()
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

    def post(self, request, *args, **kwargs):
        self.object = obligation = self.get_object()
        form = ReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Проверьте поля отчёта."))
            return self.render_to_response(self.get_context_data(form=form))
        try:
            submitting = request.POST.get("action") == "submit"
            services.do_save_report(
                actor=request.user, obligation=obligation, record=not submitting, **form.cleaned_data
            )
            if submitting:
                services.do_submit_report(actor=request.user, obligation=obligation)
                messages.success(request, _("Отчёт отправлен на проверку."))
            else:
                messages.success(request, _("Черновик отчёта сохранён."))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                return self.render_to_response(self.get_context_data(form=form))
            messages.error(request, _errors(exc))
        return redirect("obligation-detail", pk=obligation.pk)


class EvidenceAddView(GatedViewMixin, DetailView):
    gate_model = Obligation
    write_action = rules.FILE_REPORT
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        obligation = self.get_object()
        form = EvidenceForm(request.POST, request.FILES, max_mb=settings.UPLOAD_MAX_BYTES // 2**20)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("obligation-detail", pk=obligation.pk)
        data = form.cleaned_data
        try:
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
        except UploadRejected as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("obligation-detail", pk=obligation.pk)


class EvidenceDeleteView(GatedViewMixin, DetailView):
    gate_model = Evidence
    write_action = rules.FILE_REPORT
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        evidence = self.get_object()
        obligation_id = evidence.report.obligation_id
        try:
            services.do_remove_evidence(actor=request.user, evidence=evidence)
            messages.success(request, _("Подтверждение удалено."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("obligation-detail", pk=obligation_id)


class EvidenceDownloadView(GatedViewMixin, DetailView):
    """Files are always downloaded, never shown inline: an uploaded file cannot run in our origin."""

    gate_model = Evidence

    def get(self, request, *args, **kwargs):
        evidence = self.get_object()
        if evidence.kind != Evidence.Kind.FILE:
            raise Http404
        return attachment(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


class ReviewView(GatedViewMixin, DetailView):
    gate_model = Obligation
    write_action = rules.REVIEW_REPORT
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        # Reopening is the coordinator's right, not every reviewer's: check that action instead.
        if request.POST.get("action") == "reopen":
            self.write_action = rules.REOPEN_REPORT
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        obligation = self.get_object()
        report = ExecutionReport.objects.filter(obligation=obligation).first()
        if report is None:
            messages.error(request, _("По этому обязательству ещё нет отчёта."))
            return redirect("obligation-detail", pk=obligation.pk)
        comment = request.POST.get("comment", "")
        action = request.POST.get("action")
        try:
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
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        nxt = request.POST.get("next")
        if nxt == "queue":
            return redirect("review-queue")
        return redirect("obligation-detail", pk=obligation.pk)


class ReviewQueueView(GatedViewMixin, TemplateView):
    template_name = "monitoring/reviews.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        municipality = self.request.GET.get("municipality", "")
        query = self.request.GET.get("q", "").strip()[:100]
        qs = selectors.review_queue(
            user, municipality_id=int(municipality) if municipality.isdigit() else None, query=query
        )
        return super().get_context_data(
            page=Paginator(qs, PAGE).get_page(self.request.GET.get("page")),
            municipalities=selectors.visible(Municipality, user).order_by("name"),
            municipality=municipality,
            query=query,
            **kwargs,
        )


class ExecutionView(GatedViewMixin, TemplateView):
    """Obligations with filters and completeness/timeliness figures; per municipality or school."""

    template_name = "monitoring/execution.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        roadmaps = (
            selectors.visible(Roadmap, user).filter(status=Roadmap.Status.APPROVED).select_related("owner")
        )
        municipalities = selectors.visible(Municipality, user).order_by("name")
        form = ExecutionFilterForm(self.request.GET or None, roadmaps=roadmaps, municipalities=municipalities)
        f = form.cleaned_data if form.is_valid() else {}
        period = roadmap_selectors.parse_range(f.get("period") or "")
        executor = self.request.GET.get("executor")
        executor_org = None
        if executor and executor.isdigit():
            executor_org = selectors.visible(Organization, user).filter(pk=int(executor)).first()
        item = self.request.GET.get("item")
        item_obj = (
            selectors.visible(Item, user).filter(pk=int(item)).first() if item and item.isdigit() else None
        )
        qs = selectors.obligations(
            user,
            roadmap_id=f.get("roadmap"),
            municipality_id=f.get("municipality"),
            executor_id=executor_org.pk if executor_org else None,
            item_id=item_obj.pk if item_obj else None,
            start=period.start if period else None,
            end=period.end if period else None,
            state=f.get("state") or "",
        )
        rows = selectors._with_relations(qs).order_by("due_date", "item__position", "executor__short_name")
        return super().get_context_data(
            form=form,
            figures=selectors.figures(qs),
            executor_org=executor_org,
            item_obj=item_obj,
            page=Paginator(rows, PAGE).get_page(self.request.GET.get("page")),
            today=timezone.localdate(),
            **kwargs,
        )


class MatrixView(GatedViewMixin, TemplateView):
    template_name = "monitoring/matrix.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        roadmaps = list(
            selectors.visible(Roadmap, user).filter(status=Roadmap.Status.APPROVED).select_related("owner")
        )
        chosen = self.request.GET.get("roadmap")
        roadmap = next((r for r in roadmaps if str(r.pk) == chosen), roadmaps[0] if roadmaps else None)
        by = "municipality" if self.request.GET.get("by") == "municipality" else "executor"
        context = {"roadmaps": roadmaps, "roadmap": roadmap, "by": by}
        if roadmap is not None:
            data = selectors.matrix(user, roadmap=roadmap, by=by)
            items = list(roadmap.items.exclude(schedule_kind=Item.ScheduleKind.SUBITEMS).order_by("position"))
            if by == "municipality":
                names = dict(
                    Municipality.objects.filter(pk__in=[c for c in data["columns"] if c]).values_list(
                        "pk", "name"
                    )
                )
                names[None] = _("Региональный уровень")
            else:
                names = dict(
                    Organization.objects.filter(pk__in=data["columns"]).values_list("pk", "short_name")
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
                    selectors.visible(Obligation, user).filter(roadmap=roadmap, cancelled=False)
                ),
            )
        return super().get_context_data(**context, **kwargs)
