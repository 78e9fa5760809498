"""Pages for building a questionnaire: the list, create and edit, status, copy, questions."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from core.forms import errors_as_messages, errors_on_form
from questionnaires import rules, selectors, services
from questionnaires.filters import QuestionnaireFilter
from questionnaires.forms import (
    QuestionForm,
    QuestionnaireForm,
)
from questionnaires.models import Option, Question, Questionnaire, Response
from roadmaps.models import Item
from schools import access
from schools.gate import GatedViewMixin
from schools.models import Organization, Region


class QuestionnaireListView(GatedViewMixin, TemplateView):
    template_name = "questionnaires/questionnaire_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filterset = QuestionnaireFilter(
            self.request.GET or None, queryset=Questionnaire.objects.visible_to(user), request=self.request
        ).for_page()
        form = filterset.form
        qs = selectors.with_counts(filterset.qs)
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

    def _form(self, data: QueryDict | None = None) -> QuestionnaireForm:
        owners = services.owner_choices(self.request.user, self.object)
        qs = Organization.objects.visible_to(self.request.user).filter(pk__in=[o.pk for o in owners])
        return QuestionnaireForm(data, owners=qs, initial={"owner": owners[0].pk if owners else None})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("owner", "region", "copied_from")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
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
            has_answers=Response.objects.visible_to(self.request.user)
            .filter(assignment__questionnaire=q)
            .exists(),
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

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = q = self.get_object()
        form = QuestionnaireForm(
            initial={"title": q.title, "period_label": q.period_label, "intro": q.intro, "version": q.version}
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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
    def question_form(
        self, questionnaire: Questionnaire, question: Question | None, data: QueryDict | None = None
    ) -> QuestionForm:
        earlier = questionnaire.questions.filter(kind__in=Question.CHOICE_KINDS)
        if question is not None:
            earlier = earlier.filter(position__lt=question.position)
        condition_options = (
            Option.objects.visible_to(self.request.user)
            .filter(question__in=earlier)
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
                "version": question.version,
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

    def values(self, form: QuestionForm) -> dict:
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

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = q = self.get_object()
        return self.render_to_response(self.get_context_data(form=self.question_form(q, None)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(questionnaire=self.object.questionnaire, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = question = self.get_object()
        return self.render_to_response(
            self.get_context_data(form=self.question_form(question.questionnaire, question))
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = question = self.get_object()
        form = self.question_form(question.questionnaire, question, request.POST)
        if form.is_valid():
            values = self.values(form)
            with errors_on_form(form):
                services.do_update_question(
                    actor=request.user, question=question, version=form.cleaned_data["version"], **values
                )
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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        question = self.get_object()
        with errors_as_messages(request):
            services.do_delete_question(actor=request.user, question=question)
            messages.success(request, _("Вопрос %(n)s удалён.") % {"n": question.number})
        return redirect("questionnaire-detail", pk=question.questionnaire_id)


class QuestionMoveView(GatedViewMixin, DetailView):
    gate_model = Question
    write_action = rules.BUILD
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        question = self.get_object()
        with errors_as_messages(request):
            services.do_move_question(
                actor=request.user, question=question, up=request.POST.get("direction") == "up"
            )
        return redirect(
            reverse("questionnaire-detail", args=[question.questionnaire_id]) + f"#question-{question.pk}"
        )
