"""Execution tracking pages: «Мои задачи», an obligation with its report and evidence, the review
queue, execution lists with completeness figures and the region matrix. Thin views."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

import audit
from core.charts import Bar, Segment, stacked_bars
from core.downloads import XLSX_TYPE, attachment, bytes_download
from core.filters import as_select, describe, yes_no_select
from core.forms import errors_as_messages, errors_on_form
from core.paging import DeferredJoinPaginator
from monitoring import exports, rules, selectors, services
from monitoring import overview as overview_selectors
from monitoring.filters import PROGRAMMES, ObligationFilter, OverviewFilter
from monitoring.forms import EvidenceForm, ReportForm, ReviewForm
from monitoring.models import Evidence, ExecutionReport, Obligation
from roadmaps.models import Item, Roadmap
from schools import access
from schools.gate import GatedViewMixin
from schools.models import Municipality, Organization, User

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

    def choice(self) -> tuple[str, int | None]:
        bucket = self.request.GET.get("bucket", "open")
        if bucket not in dict(self.BUCKETS):
            bucket = "open"
        roadmap_id = self.request.GET.get("roadmap")
        return bucket, int(roadmap_id) if roadmap_id and roadmap_id.isdigit() else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        bucket, roadmap_id = self.choice()
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
            # The page's rows read from everything the user files, by id: not the tab's test again.
            page=DeferredJoinPaginator(qs, PAGE, rows=selectors.task_rows(user)).get_page(
                self.request.GET.get("page")
            ),
            today=timezone.localdate(),
            **kwargs,
        )


class TasksExportView(TasksView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        bucket, roadmap_id = self.choice()
        filters = [(_("Вкладка"), str(dict(self.BUCKETS)[bucket]))]
        if roadmap_id:
            roadmap = (
                Roadmap.objects.visible_to(request.user).filter(pk=roadmap_id).select_related("owner").first()
            )
            if roadmap is not None:
                filters.append((_("Дорожная карта"), f"{roadmap.owner.short_name}: {roadmap.title}"))
        title = _("Мои задачи")
        qs = selectors.tasks(request.user, bucket=bucket, roadmap_id=roadmap_id)
        return xlsx_response(
            request, exports.obligations_xlsx(qs, title=title, filters=filters), name=title, what="tasks"
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
        # A report nobody has saved yet is version 1: two first saves cannot both win.
        initial = {"version": 1}
        if report:
            initial = {
                "version": report.version,
                "status": report.status,
                "comment": report.comment,
                # «2», not «2.00»: the field shows what was typed, without the stored scale.
                "actual_value": plain_number(report.actual_value),
                "done_on": report.done_on,
            }
        kwargs.setdefault("form", ReportForm(initial=initial))
        evidence_form = kwargs.setdefault(
            "evidence_form", EvidenceForm(max_mb=settings.UPLOAD_MAX_BYTES // 2**20)
        )
        for field in evidence_form.fields.values():
            field.widget.attrs["form"] = "report-form"  # one form: see templates/monitoring/obligation.html
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
            can_delete_report=report is not None and access.can(user, rules.DELETE_REPORT, obligation),
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
        evidence_form = EvidenceForm(request.POST, request.FILES, max_mb=settings.UPLOAD_MAX_BYTES // 2**20)
        with_evidence = bool(request.FILES.get("file") or request.POST.get("url", "").strip())
        if with_evidence and not evidence_form.is_valid():
            messages.error(request, _("Проверьте поля подтверждения."))
            return self.render_to_response(self.get_context_data(form=form, evidence_form=evidence_form))
        # A refusal keeps what was typed: the form comes back with the error next to its field.
        with errors_on_form(form):
            submitting = request.POST.get("action") == "submit"
            services.do_save_report(
                actor=request.user, obligation=obligation, record=not submitting, **form.cleaned_data
            )
            if with_evidence:  # chosen in the same form before pressing save or submit
                _add_evidence(request, obligation, evidence_form.cleaned_data)
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
        with errors_as_messages(request):
            if "status" in request.POST:
                # The report's fields come along (one form): keep what was typed as the draft.
                report_form = ReportForm(request.POST)
                if report_form.is_valid():  # kept silently: the history records the evidence step
                    services.do_save_report(
                        actor=request.user, obligation=obligation, record=False, **report_form.cleaned_data
                    )
                else:
                    messages.error(request, _("Поля отчёта не сохранены: проверьте их."))
            if not _add_evidence(request, obligation, form.cleaned_data):
                return redirect("obligation-detail", pk=obligation.pk)
            messages.success(request, _("Подтверждение добавлено."))
        return redirect("obligation-detail", pk=obligation.pk)


def _add_evidence(request: HttpRequest, obligation: Obligation, data: dict[str, Any]) -> bool:
    """Adds the file or link; False (with a message) when the same file is already attached."""
    if data.get("file"):
        upload = data["file"]  # its size was checked while it arrived (core/http.py)
        evidence = services.do_add_file(
            actor=request.user,
            obligation=obligation,
            name=upload.name,
            data=upload.read(),
            description=data["description"],
        )
        if getattr(evidence, "duplicate", False):
            messages.info(
                request,
                _("Этот файл уже приложен к отчёту: «%(name)s», %(when)s. Второй раз он не добавлен.")
                % {"name": evidence.original_name, "when": date_format(evidence.uploaded_at, "d.m.Y H:i")},
            )
            return False
    else:
        services.do_add_link(
            actor=request.user, obligation=obligation, url=data["url"], description=data["description"]
        )
    return True


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

    def filterset(self) -> ObligationFilter:
        user = self.request.user
        filterset = ObligationFilter(
            self.request.GET or None, queryset=selectors.review_queue(user), request=self.request
        )
        as_select(
            filterset,
            "municipality",
            Municipality.objects.visible_to(user).order_by("name").values_list("pk", "name"),
        )
        return filterset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filterset = self.filterset()
        form = filterset.form
        form.visible = [form["municipality"], form["search"]]
        return super().get_context_data(
            form=form,
            page=DeferredJoinPaginator(filterset.qs, PAGE).get_page(self.request.GET.get("page")),
            **kwargs,
        )


class ReviewQueueExportView(ReviewQueueView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset = self.filterset()
        title = _("Отчёты на проверке")
        body = exports.obligations_xlsx(filterset.qs, title=title, filters=describe(filterset.form))
        return xlsx_response(request, body, name=title, what="reviews")


class ExecutionView(GatedViewMixin, TemplateView):
    """Obligations with filters and completeness/timeliness figures; per municipality or school."""

    template_name = "monitoring/execution.html"

    FIELDS = ("roadmap", "municipality", "programme", "period", "review_state", "overdue")

    def filterset(self) -> ObligationFilter:
        user = self.request.user
        filterset = ObligationFilter(
            self.request.GET or None,
            queryset=Obligation.objects.visible_to(user).filter(cancelled=False),
            request=self.request,
        )
        roadmaps = approved_roadmaps(user)
        as_select(filterset, "roadmap", [(r.pk, f"{r.owner.short_name}: {r.title[:70]}") for r in roadmaps])
        as_select(
            filterset,
            "municipality",
            Municipality.objects.visible_to(user).order_by("name").values_list("pk", "name"),
        )
        yes_no_select(filterset, "overdue", yes=_("только просроченные"), no=_("кроме просроченных"))
        form = filterset.form
        form.fields["review_state"].choices = [("", _("Все")), *ExecutionReport.Review.choices]
        form.fields["programme"].choices = [("", _("Все")), *PROGRAMMES]
        if form.is_valid():
            # An executor or item given by a link is named, not shown as a bare number.
            user_orgs = Organization.objects.visible_to(user)
            if form.cleaned_data.get("executor"):
                as_select(
                    filterset,
                    "executor",
                    user_orgs.filter(pk=form.cleaned_data["executor"]).values_list("pk", "short_name"),
                )
            if form.cleaned_data.get("item"):
                items = Item.objects.visible_to(user).filter(pk=form.cleaned_data["item"])
                as_select(filterset, "item", [(i.pk, f"{i.number} {i.text[:80]}") for i in items])
        return filterset

    @staticmethod
    def rows(qs: QuerySet) -> QuerySet:
        return selectors._with_relations(qs).order_by("due_date", "item__position", "executor__short_name")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filterset = self.filterset()
        form = filterset.form
        cleaned = form.cleaned_data if form.is_valid() else {}
        executor_org = item_obj = None
        if cleaned.get("executor"):
            executor_org = Organization.objects.visible_to(user).filter(pk=cleaned["executor"]).first()
        if cleaned.get("item"):
            item_obj = Item.objects.visible_to(user).filter(pk=cleaned["item"]).first()
        qs = filterset.qs
        return super().get_context_data(
            form=form,
            filter_fields=[form[name] for name in self.FIELDS],
            figures=selectors.figures(qs),
            executor_org=executor_org,
            item_obj=item_obj,
            export_query=self.request.GET.urlencode(),
            show_overview=OverviewAccessMixin.admits(user),
            page=DeferredJoinPaginator(self.rows(qs), PAGE).get_page(self.request.GET.get("page")),
            today=timezone.localdate(),
            **kwargs,
        )


class ExecutionExportView(ExecutionView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset = self.filterset()
        title = _("Исполнение дорожных карт")
        body = exports.obligations_xlsx(
            self.rows(filterset.qs), title=title, filters=describe(filterset.form)
        )
        return xlsx_response(request, body, name=title, what="execution")


def _sum_cells(cells: Iterable[dict | None]) -> dict:
    total = dict.fromkeys(("total", "accepted", "submitted", "returned", "overdue"), 0)
    for c in cells:
        if c:
            for k in total:
                total[k] += c[k]
    total["lag"] = total["overdue"] + total["returned"]
    return total


def approved_roadmaps(user: User) -> QuerySet:
    """Approved roadmaps the user sees, with their owners (for the roadmap choosers). The owner is
    of the roadmap's region (``Roadmap.clean``); saying so lets PostgreSQL hash the region's
    organizations instead of looking up each owner in the country's index."""
    return (
        Roadmap.objects.visible_to(user)
        .filter(status=Roadmap.Status.APPROVED, owner__region_id=F("region_id"))
        .select_related("owner")
    )


def default_roadmap(roadmaps: list[Roadmap]) -> Roadmap | None:
    """The matrix opens on the region's own roadmap (the latest regional one): the one every
    municipality and school reports on."""
    regional = [r for r in roadmaps if r.level == Roadmap.Level.REGIONAL]
    pool = regional or roadmaps
    return max(pool, key=lambda r: (r.period_start, r.pk)) if pool else None


class MatrixView(GatedViewMixin, TemplateView):
    """Items × executors (or municipalities) of one roadmap, with totals per row and column;
    ``sort=lag`` puts the items and the columns furthest behind first."""

    template_name = "monitoring/matrix.html"

    def matrix(self) -> dict[str, Any]:
        user = self.request.user
        roadmaps = list(approved_roadmaps(user))
        chosen = self.request.GET.get("roadmap")
        roadmap = next((r for r in roadmaps if str(r.pk) == chosen), None) or default_roadmap(roadmaps)
        by = "municipality" if self.request.GET.get("by") == "municipality" else "executor"
        sort = "lag" if self.request.GET.get("sort") == "lag" else "number"
        context: dict[str, Any] = {
            "roadmaps": roadmaps,
            "roadmap": roadmap,
            "by": by,
            "sort": sort,
            "show_overview": OverviewAccessMixin.admits(user),
            "legend_states": MATRIX_STATES,
        }
        if roadmap is None:
            return context
        data = selectors.matrix(user, roadmap=roadmap, by=by)
        items = list(roadmap.items.exclude(schedule_kind=Item.ScheduleKind.SUBITEMS).order_by("position"))
        if by == "municipality":
            names = dict(
                Municipality.objects.visible_to(user)
                .filter(pk__in=[c for c in data["columns"] if c])
                .values_list("pk", "name")
            )
            names[None] = _("Региональный уровень")
        else:
            names = dict(
                Organization.objects.visible_to(user)
                .filter(pk__in=data["columns"])
                .values_list("pk", "short_name")
            )
        cells = data["cells"]
        columns = sorted(data["columns"], key=lambda c: (c is not None, names.get(c, "")))
        column_totals = {c: _sum_cells(cells.get((item.pk, c)) for item in items) for c in columns}
        rows = []
        for item in items:
            row = [cells.get((item.pk, c)) for c in columns]
            if any(row):
                rows.append((item, row, _sum_cells(row)))
        if sort == "lag":
            columns.sort(key=lambda c: -column_totals[c]["lag"])  # stable: ties keep the name order
            rows = [(item, [cells.get((item.pk, c)) for c in columns], total) for item, _row, total in rows]
            rows.sort(key=lambda r: -r[2]["lag"])
        context.update(
            columns=[(c, names.get(c, "—")) for c in columns],
            column_totals=[column_totals[c] for c in columns],
            grand_total=_sum_cells(column_totals.values()),
            rows=rows,
            figures=selectors.figures(
                Obligation.objects.visible_to(user).filter(roadmap=roadmap, cancelled=False)
            ),
        )
        return context

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = self.matrix()
        if context["roadmap"] is not None:
            _dress_cells(context["rows"], roadmap=context["roadmap"], by=context["by"])
        return super().get_context_data(**context, **kwargs)


def _dress_cells(rows: list[tuple[Item, list[dict | None], dict]], *, roadmap: Roadmap, by: str) -> None:
    """Give each matrix cell its link, tooltip, state badge and overdue note, built here once per
    page: as a {% url %}, two {% blocktranslate %} and an {% include %} per cell they were most of
    the page's time (a region has hundreds of cells). Same HTML as those tags gave."""
    base = f"{reverse('execution')}?roadmap={roadmap.pk}&item="
    badges = {
        state: render_to_string("monitoring/_cell_state.html", {"state": state}) for state in MATRIX_STATES
    }
    title = _("принято %(a)s из %(t)s; на проверке %(s)s; на доработке %(r)s; просрочено %(o)s")
    note = _("просрочено %(o)s")
    for item, cells, _total in rows:
        for cell in cells:
            if not cell:
                continue
            if by != "municipality":
                column = f"&executor={cell['executor_id']}"
            elif cell["executor__municipality_id"]:
                column = f"&municipality={cell['executor__municipality_id']}"
            else:
                column = ""
            counts = {
                "a": cell["accepted"],
                "t": cell["total"],
                "s": cell["submitted"],
                "r": cell["returned"],
                "o": cell["overdue"],
            }
            cell["href"] = f"{base}{item.pk}{column}"
            cell["title"] = title % counts
            cell["badge"] = badges[cell["state"]]
            cell["note"] = note % counts if cell["overdue"] else ""


class MatrixExportView(MatrixView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        m = self.matrix()
        title = _("Матрица исполнения")
        if m["roadmap"] is None:
            body = exports.matrix_xlsx(
                title=title,
                filters=[],
                column_names=[],
                rows=[],
                column_totals=[],
                grand_total=_sum_cells([]),
            )
            return xlsx_response(request, body, name=title, what="matrix")
        roadmap = m["roadmap"]
        filters = [
            (_("Дорожная карта"), f"{roadmap.owner.short_name}: {roadmap.title}"),
            (_("Столбцы"), _("муниципалитеты") if m["by"] == "municipality" else _("исполнители")),
        ]
        if m["sort"] == "lag":
            filters.append((_("Порядок"), _("по отставанию")))
        body = exports.matrix_xlsx(
            title=title,
            filters=filters,
            column_names=[name for _c, name in m["columns"]],
            rows=m["rows"],
            column_totals=m["column_totals"],
            grand_total=m["grand_total"],
        )
        return xlsx_response(request, body, name=title, what="matrix")


class OverviewAccessMixin(GatedViewMixin):
    """The overview is for those who answer for many executors: coordinators, the department,
    municipal officials (their municipality) and the platform administrator; anybody else gets
    403 (their own lists are «Мои задачи» and «Исполнение»)."""

    @staticmethod
    def admits(user: User) -> bool:
        scope = access.get_scope(user)
        return scope.is_admin or bool(scope.full_region_ids or scope.municipality_ids)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.admits(request.user):
            raise PermissionDenied(
                _("Сводка по региону доступна координатору, департаменту и специалистам МОУО.")
            )
        return super().dispatch(request, *args, **kwargs)

    def overview(self) -> tuple[OverviewFilter, overview_selectors.Overview]:
        user = self.request.user
        filterset = OverviewFilter(
            self.request.GET or None,
            queryset=Obligation.objects.visible_to(user).filter(cancelled=False),
            request=self.request,
        )
        roadmaps = approved_roadmaps(user)
        as_select(filterset, "roadmap", [(r.pk, f"{r.owner.short_name}: {r.title[:70]}") for r in roadmaps])
        as_select(
            filterset,
            "municipality",
            Municipality.objects.visible_to(user).order_by("name").values_list("pk", "name"),
            empty_label=_("Все (по муниципалитетам)"),
        )
        form = filterset.form
        form.fields["programme"].choices = [("", _("Все")), *PROGRAMMES]
        cleaned = form.cleaned_data if form.is_valid() else {}
        return filterset, overview_selectors.overview(user, filterset.qs, filters=cleaned)


SEGMENTS = [
    Segment("accepted", gettext_lazy("принято"), "#1e7a3e"),
    Segment("submitted", gettext_lazy("на проверке"), "#2f6fb5"),
    Segment("returned", gettext_lazy("на доработке"), "#c77700"),
    Segment("overdue", gettext_lazy("просрочено"), "#b3261e"),
    Segment("pending", gettext_lazy("срок сегодня"), "#9aa5b1"),
]


def overview_chart(rows: list[overview_selectors.Row], *, title: str, limit: int = 15) -> str:
    bars = []
    for r in rows[:limit]:
        reviewing = max(0, r.submitted - r.accepted - r.returned)
        rest = max(0, r.expected - r.accepted - reviewing - r.returned - r.overdue)
        bars.append(
            Bar(
                label=r.name,
                values=[r.accepted, reviewing, r.returned, r.overdue, rest],
                note=_("%(pct)s%% в срок") % {"pct": f"{r.on_time_pct:g}".replace(".", ",")},
            )
        )
    return stacked_bars(bars, SEGMENTS, title=title)


class RegionOverviewView(OverviewAccessMixin, TemplateView):
    """«Сводка по региону»: municipalities (or one municipality's executors) ranked by lag."""

    template_name = "monitoring/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filterset, data = self.overview()
        form = filterset.form
        cleaned = form.cleaned_data if form.is_valid() else {}
        carry = {k: cleaned[k] for k in ("programme", "roadmap", "period") if cleaned.get(k)}
        municipality = None
        if cleaned.get("municipality"):
            municipality = (
                Municipality.objects.visible_to(self.request.user).filter(pk=cleaned["municipality"]).first()
            )
        title = (
            _("Исполнители муниципалитета «%(name)s» по отставанию") % {"name": municipality.name}
            if municipality
            else _("Муниципалитеты по отставанию")
        )
        return super().get_context_data(
            form=form,
            data=data,
            municipality=municipality,
            carry=urlencode(carry),
            export_query=self.request.GET.urlencode(),
            behind=sum(1 for r in data.rows if r.lag),
            chart=overview_chart(data.rows, title=title) if data.rows else "",
            chart_title=title,
            **kwargs,
        )


def xlsx_response(request: HttpRequest, data: bytes, *, name: str, what: str) -> HttpResponse:
    """A list's export as a download, recorded in the audit log with the query it was cut by."""
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response = bytes_download(
        data, filename=f"{name} {stamp}.xlsx", content_type=XLSX_TYPE, ascii_fallback=what
    )
    audit.record(
        audit.EXPORT,
        request=request,
        label=name,
        details={"format": "xlsx", "what": what, "query": request.GET.urlencode()[:500]},
    )
    return response


class RegionOverviewExportView(OverviewAccessMixin, TemplateView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset, data = self.overview()
        title = _("Сводка по региону")
        body = exports.overview_xlsx(data, title=title, filters=describe(filterset.form))
        return xlsx_response(request, body, name=title, what="overview")


def plain_number(value: Decimal | None) -> str | None:
    """A stored value for an input field without trailing zeros: 2.00 → «2», 2.50 → «2.5»."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
