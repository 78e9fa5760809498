"""Questionnaire pages: list, builder, assignment, answering (with autosave), tracking, results,
exports. Thin: parse, gate (GatedViewMixin), call a selector or a service, render."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

import audit
from core.downloads import attachment
from core.forms import errors_as_messages, errors_on_form, message_of
from questionnaires import exports, formatting, rules, selectors, services
from questionnaires.answering import field_name
from questionnaires.forms import (
    AssignForm,
    ListFilterForm,
    QuestionForm,
    QuestionnaireForm,
    ReopenForm,
    TrackingFilterForm,
)
from questionnaires.models import Answer, Assignment, Option, Question, Questionnaire, Response
from roadmaps.models import Item
from schools import access
from schools import selectors as school_selectors
from schools.filters import OrganizationFilter
from schools.gate import GatedViewMixin
from schools.models import Municipality, Organization, Region


class QuestionnaireListView(GatedViewMixin, TemplateView):
    template_name = "questionnaires/questionnaire_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = ListFilterForm(self.request.GET or None)
        f = form.cleaned_data if form.is_valid() else {}
        qs = selectors.questionnaires_for(user, query=f.get("q") or "", status=f.get("status") or "")
        build_regions = [r for r in Region.objects.visible_to(user) if access.can(user, rules.BUILD, r)]
        return super().get_context_data(
            form=form,
            page=Paginator(qs, 25).get_page(self.request.GET.get("page")),
            build_regions=build_regions,
            my_assignments=list(selectors.my_assignments(user)[:50]),
            now=timezone.now(),
            **kwargs,
        )


class QuestionnaireCreateView(GatedViewMixin, DetailView):
    gate_model = Region
    read_action = rules.BUILD
    slug_field = "code"
    slug_url_kwarg = "code"
    write_action = rules.BUILD
    template_name = "questionnaires/questionnaire_form.html"
    context_object_name = "region"

    def _form(self, data=None):
        owners = services.owner_choices(self.request.user, self.object)
        qs = Organization.objects.visible_to(self.request.user).filter(pk__in=[o.pk for o in owners])
        return QuestionnaireForm(data, owners=qs, initial={"owner": owners[0].pk if owners else None})

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self._form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            with errors_on_form(form):
                q = services.do_create_questionnaire(
                    actor=request.user,
                    owner=d["owner"],
                    title=d["title"],
                    period_label=d["period_label"],
                    intro=d["intro"],
                )
                messages.success(request, _("Анкета создана. Добавьте вопросы."))
                return redirect("questionnaire-detail", pk=q.pk)
        return self.render_to_response(self.get_context_data(form=form))


class QuestionnaireDetailView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    template_name = "questionnaires/questionnaire_detail.html"
    context_object_name = "questionnaire"

    def get_queryset(self):
        return super().get_queryset().select_related("owner", "region", "copied_from")

    def get_context_data(self, **kwargs):
        q, user = self.object, self.request.user
        questions = (
            q.questions.select_related("roadmap_item", "show_if_question")
            .prefetch_related("options", "show_if_options")
            .order_by("position", "pk")
        )
        can_build = access.can(user, rules.BUILD, q)
        return super().get_context_data(
            questions=questions,
            can_build=can_build and q.status != Questionnaire.Status.CLOSED,
            can_copy=access.can(user, rules.COPY, q),
            can_assign=access.can(user, rules.ASSIGN, q) and not q.is_template,
            can_track=access.can(user, rules.TRACK, q),
            has_answers=Response.objects.visible_to(self.request.user).filter(assignment__questionnaire=q).exists(),
            problems=services.publish_problems(q) if q.status == Questionnaire.Status.DRAFT else [],
            my_assignments=selectors.my_assignments(user).filter(questionnaire=q),
            **kwargs,
        )


class QuestionnaireEditView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    read_action = rules.BUILD
    write_action = rules.BUILD
    template_name = "questionnaires/questionnaire_form.html"
    context_object_name = "questionnaire"

    def get(self, request, *args, **kwargs):
        self.object = q = self.get_object()
        form = QuestionnaireForm(initial={"title": q.title, "period_label": q.period_label, "intro": q.intro})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self.object = q = self.get_object()
        form = QuestionnaireForm(request.POST)
        if form.is_valid():
            with errors_on_form(form):
                services.do_update_questionnaire(actor=request.user, questionnaire=q, **form.cleaned_data)
                messages.success(request, _("Анкета сохранена."))
                return redirect("questionnaire-detail", pk=q.pk)
        return self.render_to_response(self.get_context_data(form=form))


class QuestionnaireStatusView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    write_action = rules.BUILD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        q = self.get_object()
        status = request.POST.get("status", "")
        with errors_as_messages(request):
            services.do_set_status(actor=request.user, questionnaire=q, status=status)
            messages.success(request, _("Статус анкеты: %(s)s.") % {"s": q.get_status_display()})
        return redirect("questionnaire-detail", pk=q.pk)


class QuestionnaireCopyView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    write_action = rules.COPY
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        source = self.get_object()
        with errors_as_messages(request):
            copy = services.do_copy_questionnaire(actor=request.user, source=source)
            messages.success(
                request,
                _("Копия создана: «%(p)s». Проверьте вопросы и опубликуйте её.") % {"p": copy.period_label},
            )
            return redirect("questionnaire-detail", pk=copy.pk)
        return redirect("questionnaire-detail", pk=source.pk)


class _QuestionFormMixin:
    def question_form(self, questionnaire: Questionnaire, question: Question | None, data=None):
        earlier = questionnaire.questions.filter(kind__in=Question.CHOICE_KINDS)
        if question is not None:
            earlier = earlier.filter(position__lt=question.position)
        condition_options = (
            Option.objects.visible_to(self.request.user).filter(question__in=earlier)
            .select_related("question")
            .order_by("question__position", "position")
        )
        items = (
            Item.objects.visible_to(self.request.user)
            .filter(region=questionnaire.region)
            .select_related("roadmap")
            .order_by("roadmap__title", "position")
        )
        initial = {}
        if question is not None:
            opts = list(question.options.all())
            initial = {
                "number": question.number,
                "text": question.text,
                "kind": question.kind,
                "required": question.required,
                "help_text": question.help_text,
                "options": "\n".join(o.text for o in opts if not o.is_other),
                "other_text": next((o.text for o in opts if o.is_other), ""),
                "roadmap_item": question.roadmap_item_id,
                "show_if_options": [o.pk for o in question.show_if_options.all()],
            }
        return QuestionForm(data, initial=initial, items=items, condition_options=condition_options)

    def values(self, form) -> dict:
        d = form.cleaned_data
        return {
            "number": d["number"],
            "text": d["text"],
            "kind": d["kind"],
            "required": d["required"],
            "help_text": d["help_text"],
            "options": form.option_list(),
            "other_text": d["other_text"],
            "roadmap_item": d["roadmap_item"],
            "show_if_options": list(d["show_if_options"]),
        }


class QuestionCreateView(_QuestionFormMixin, GatedViewMixin, DetailView):
    gate_model = Questionnaire
    read_action = rules.BUILD
    write_action = rules.BUILD
    template_name = "questionnaires/question_form.html"
    context_object_name = "questionnaire"

    def get(self, request, *args, **kwargs):
        self.object = q = self.get_object()
        return self.render_to_response(self.get_context_data(form=self.question_form(q, None)))

    def post(self, request, *args, **kwargs):
        self.object = q = self.get_object()
        form = self.question_form(q, None, request.POST)
        if form.is_valid():
            with errors_on_form(form):
                question = services.do_add_question(actor=request.user, questionnaire=q, **self.values(form))
                messages.success(request, _("Вопрос %(n)s добавлен.") % {"n": question.number})
                if "add_another" in request.POST:
                    return redirect("question-create", pk=q.pk)
                return redirect(reverse("questionnaire-detail", args=[q.pk]) + f"#question-{question.pk}")
        return self.render_to_response(self.get_context_data(form=form))


class QuestionEditView(_QuestionFormMixin, GatedViewMixin, DetailView):
    gate_model = Question
    read_action = rules.BUILD
    write_action = rules.BUILD
    template_name = "questionnaires/question_form.html"
    context_object_name = "question"

    def get_context_data(self, **kwargs):
        return super().get_context_data(questionnaire=self.object.questionnaire, **kwargs)

    def get(self, request, *args, **kwargs):
        self.object = question = self.get_object()
        return self.render_to_response(
            self.get_context_data(form=self.question_form(question.questionnaire, question))
        )

    def post(self, request, *args, **kwargs):
        self.object = question = self.get_object()
        form = self.question_form(question.questionnaire, question, request.POST)
        if form.is_valid():
            values = self.values(form)
            with errors_on_form(form):
                services.do_update_question(actor=request.user, question=question, **values)
                messages.success(request, _("Вопрос %(n)s сохранён.") % {"n": question.number})
                return redirect(
                    reverse("questionnaire-detail", args=[question.questionnaire_id])
                    + f"#question-{question.pk}"
                )
        return self.render_to_response(self.get_context_data(form=form))


class QuestionDeleteView(GatedViewMixin, DetailView):
    gate_model = Question
    write_action = rules.BUILD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        question = self.get_object()
        with errors_as_messages(request):
            services.do_delete_question(actor=request.user, question=question)
            messages.success(request, _("Вопрос %(n)s удалён.") % {"n": question.number})
        return redirect("questionnaire-detail", pk=question.questionnaire_id)


class QuestionMoveView(GatedViewMixin, DetailView):
    gate_model = Question
    write_action = rules.BUILD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        question = self.get_object()
        with errors_as_messages(request):
            services.do_move_question(
                actor=request.user, question=question, up=request.POST.get("direction") == "up"
            )
        return redirect(
            reverse("questionnaire-detail", args=[question.questionnaire_id]) + f"#question-{question.pk}"
        )


class AssignView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    read_action = rules.ASSIGN
    write_action = rules.ASSIGN
    template_name = "questionnaires/assign.html"
    context_object_name = "questionnaire"
    MAX_SHOWN = 500

    def _schools(self, params):
        q, user = self.object, self.request.user
        scope = access.get_scope(user)
        municipalities = Municipality.objects.visible_to(self.request.user).filter(region=q.region)
        if not scope.may_manage(q.region_id):
            municipalities = municipalities.filter(pk__in=scope.municipality_ids)
        municipalities = list(municipalities.order_by("name"))
        filterset = OrganizationFilter(
            params or None,
            queryset=Organization.objects.visible_to(user).filter(
                kind=Organization.Kind.SCHOOL, region=q.region, municipality__in=[m.pk for m in municipalities]
            ),
            request=self.request,
        ).for_page(years=school_selectors.status_years(user), municipalities=municipalities)
        form = filterset.form
        form.visible = [form[n] for n in ("municipality", "category", "year", "search")]
        year = form.cleaned_data.get("year") if form.is_valid() else None
        schools = school_selectors.with_statuses(filterset.qs, year=year)
        return form, schools.order_by("municipality__name", "short_name")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(
            self.get_context_data(assign_form=AssignForm(), **self._context(request.GET))
        )

    def _context(self, params, ticked=None):
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

    def post(self, request, *args, **kwargs):
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

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        q, user = self.object, self.request.user
        municipalities = (
            Assignment.objects.visible_to(user)
            .filter(questionnaire=q)
            .values_list("school__municipality_id", "school__municipality__name")
            .distinct()
            .order_by("school__municipality__name")
        )
        form = TrackingFilterForm(
            self.request.GET or None, states=selectors.STATES.items(), municipalities=municipalities
        )
        f = form.cleaned_data if form.is_valid() else {}
        rows, counts = selectors.tracking(
            user,
            q,
            state=f.get("state") or "",
            municipality=int(f["municipality"]) if f.get("municipality") else None,
            query=f.get("q") or "",
        )
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


class RemindView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    write_action = rules.REMIND
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
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

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(**selectors.results(request.user, self.object)))


class ResultsExportView(GatedViewMixin, DetailView):
    gate_model = Questionnaire
    read_action = rules.TRACK

    def get(self, request, *args, **kwargs):
        q = self.get_object()
        data = exports.results_xlsx(request.user, q)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = exports.content_disposition(exports.filename(q, "xlsx"))
        audit.record(audit.EXPORT, request=request, obj=q, details={"format": "xlsx", "what": "results"})
        return response


class AnswerView(GatedViewMixin, DetailView):
    """The director's answer page; everyone else who sees the assignment gets a read-only view."""

    gate_model = Assignment
    write_action = rules.ANSWER
    template_name = "questionnaires/answer.html"
    context_object_name = "assignment"

    def get_queryset(self):
        return super().get_queryset().select_related("questionnaire", "school", "region", "response")

    def _context(self, *, data=None, errors=None, **kwargs):
        a, user = self.object, self.request.user
        questions = services.questions_of(a.questionnaire)
        response = Response.objects.visible_to(self.request.user).filter(assignment=a).first()
        answers = {}
        if response:
            answers = {x.question_id: x for x in response.answers.prefetch_related("selected_options")}
        locked = a.is_locked()
        can_answer = access.can(user, rules.ANSWER, a) and not locked and a.questionnaire.status != "draft"
        items = []
        for q in questions:
            ans = answers.get(q.pk)
            name = field_name(q)
            if data is not None:
                selected = {int(x) for x in data.getlist(name) if str(x).isdigit()}
                value = data.get(name, "")
                other = data.get(f"{name}_other", "")
            else:
                selected = {o.pk for o in ans.selected_options.all()} if ans else set()
                value = formatting.input_value(ans)
                other = ans.other_text if ans else ""
            items.append(
                {
                    "q": q,
                    "name": name,
                    "answer": ans,
                    "selected": selected,
                    "value": value,
                    "text": formatting.answer_text(q, ans),
                    "other": other,
                    "error": (errors or {}).get(q.pk, ""),
                    "show_if": ",".join(str(o.pk) for o in q.show_if_options.all()),
                }
            )
        return self.get_context_data(
            items=items,
            response=response,
            can_answer=can_answer,
            locked=locked,
            overdue=a.is_overdue(),
            can_reopen=access.can(user, rules.REOPEN, a),
            reopen_form=ReopenForm(initial={"until": services.region_today(a.region) + dt.timedelta(days=3)}),
            error_count=len(errors or {}),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self._context())

    def post(self, request, *args, **kwargs):
        self.object = a = self.get_object()
        action = request.POST.get("action", "draft")
        try:
            if action == "submit":
                services.do_submit_response(
                    actor=request.user, assignment=a, data=request.POST, files=request.FILES
                )
                messages.success(request, _("Ответы отправлены. Спасибо! Копию ответов можно скачать в PDF."))
                return redirect("questionnaire-answer", pk=a.pk)
            _response, errors = services.do_save_draft(
                actor=request.user, assignment=a, data=request.POST, files=request.FILES
            )
        except services.AnswerErrors as exc:
            messages.error(
                request,
                _("Анкета не отправлена: проверьте ответы, отмеченные красным (%(n)s).")
                % {"n": len(exc.by_question)},
            )
            return self.render_to_response(
                self._context(data=request.POST, errors=exc.by_question), status=400
            )
        except ValidationError as exc:
            messages.error(request, message_of(exc))
            return redirect("questionnaire-answer", pk=a.pk)
        if errors:
            messages.warning(request, _("Черновик сохранён, кроме ответов с ошибками."))
            return self.render_to_response(self._context(data=request.POST, errors=errors), status=400)
        messages.success(
            request, _("Черновик сохранён в %(t)s.") % {"t": timezone.localtime().strftime("%H:%M")}
        )
        return redirect("questionnaire-answer", pk=a.pk)


class AutosaveView(GatedViewMixin, DetailView):
    """fetch() target of static/js/questionnaire.js: saves the draft, answers JSON."""

    gate_model = Assignment
    write_action = rules.ANSWER
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        a = self.get_object()
        try:
            response, errors = services.do_save_draft(
                actor=request.user, assignment=a, data=request.POST, files=request.FILES
            )
        except ValidationError as exc:
            return JsonResponse({"ok": False, "message": message_of(exc)}, status=409)
        files = {
            f"q{qid}": name
            for qid, name in response.answers.exclude(file="").values_list("question_id", "file_name")
        }
        return JsonResponse(
            {
                "ok": True,
                "saved_at": timezone.localtime(response.updated_at).strftime("%H:%M"),
                "errors": {f"q{k}": v for k, v in errors.items()},
                "files": files,
            }
        )


class ResponsePdfView(GatedViewMixin, DetailView):
    gate_model = Assignment

    def get(self, request, *args, **kwargs):
        a = self.get_object()
        response = Response.objects.visible_to(self.request.user).filter(assignment=a, status=Response.Status.SUBMITTED).first()
        if response is None:
            raise Http404(_("Ответы ещё не отправлены."))
        data = exports.response_pdf(a, response)
        out = HttpResponse(data, content_type="application/pdf")
        out["Content-Disposition"] = exports.content_disposition(exports.response_filename(a))
        audit.record(audit.EXPORT, request=request, obj=a, details={"format": "pdf", "what": "response"})
        return out


class ReopenView(GatedViewMixin, DetailView):
    gate_model = Assignment
    write_action = rules.REOPEN
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
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


class AnswerFileView(GatedViewMixin, DetailView):
    """Uploaded files only through the gate, always as a download, never inline."""

    gate_model = Answer

    def get(self, request, *args, **kwargs):
        answer = self.get_object()
        return attachment(answer.file, filename=answer.file_name or "file")
