"""Pages a school answers on: the form (autosaved), the PDF copy, uploaded files."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

import audit
from core.downloads import attachment, bytes_download
from core.forms import message_of
from questionnaires import exports, formatting, rules, services
from questionnaires.answering import field_name
from questionnaires.forms import (
    ReopenForm,
)
from questionnaires.models import Answer, Assignment, Response
from schools import access
from schools.gate import GatedViewMixin


class AnswerView(GatedViewMixin, DetailView):
    """The director's answer page; everyone else who sees the assignment gets a read-only view."""

    gate_model = Assignment
    write_action = rules.ANSWER
    template_name = "questionnaires/answer.html"
    context_object_name = "assignment"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("questionnaire", "school", "region", "response")

    def _context(
        self, *, data: QueryDict | None = None, errors: dict[int, str] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        a, user = self.object, self.request.user
        questions = services.questions_of(a.questionnaire)
        if data is None:
            # The gate's query brought the response along (select_related); whoever sees the
            # assignment sees its response (rules.scope_responses is the assignment's scope).
            response = getattr(a, "response", None)
        else:  # after a save the object's cached response may be missing or stale
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

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self._context())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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
            # The page opens on its error summary (links to each question), which says it all.
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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        a = self.get_object()
        response = (
            Response.objects.visible_to(self.request.user)
            .filter(assignment=a, status=Response.Status.SUBMITTED)
            .first()
        )
        if response is None:
            raise Http404(_("Ответы ещё не отправлены."))
        data = exports.response_pdf(a, response)
        out = bytes_download(
            data,
            filename=exports.response_filename(a),
            content_type="application/pdf",
            ascii_fallback="questionnaire",
        )
        audit.record(audit.EXPORT, request=request, obj=a, details={"format": "pdf", "what": "response"})
        return out


class AnswerFileView(GatedViewMixin, DetailView):
    """Uploaded files only through the gate, always as a download, never inline."""

    gate_model = Answer

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        answer = self.get_object()
        return attachment(answer.file, filename=answer.file_name or "file")
