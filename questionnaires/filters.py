"""Filters of questionnaire lists: the list and tracking pages and the API read the same names."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.filters import as_select, id_filter
from questionnaires.models import Assignment, Questionnaire, Response
from questionnaires.selectors import STATES, with_state
from schools.filters import region_filter


class QuestionnaireFilter(filters.FilterSet):
    region = region_filter()
    search = filters.CharFilter(
        method="filter_search", label=_("Поиск"), help_text=_("Часть названия или периода")
    )
    status = filters.ChoiceFilter(choices=Questionnaire.Status.choices, label=_("Статус"))
    is_template = filters.BooleanFilter(
        label=_("Шаблон"), help_text=_("Только шаблоны (true) или только анкеты (false)")
    )
    owner = id_filter(field_name="owner_id", label=_("Владелец"))

    class Meta:
        model = Questionnaire
        fields = ["status", "is_template", "owner"]

    def filter_search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(title__icontains=value) | Q(period_label__icontains=value))

    def for_page(self) -> "QuestionnaireFilter":
        self.form.fields["status"].choices = [("", _("все")), *Questionnaire.Status.choices]
        self.form.fields["is_template"].widget.choices = [
            ("", _("все")),
            ("true", _("шаблоны")),
            ("false", _("анкеты")),
        ]
        self.form.visible = [self.form[n] for n in ("search", "status", "is_template")]
        return self


class AssignmentFilter(filters.FilterSet):
    region = region_filter()
    submitted = filters.BooleanFilter(
        method="filter_submitted", label=_("Отправлено"), help_text=_("Ответ отправлен")
    )
    questionnaire = id_filter(field_name="questionnaire_id", label=_("Анкета"))
    school = id_filter(field_name="school_id", label=_("Школа"))
    state = filters.ChoiceFilter(
        method="filter_state",
        choices=list(STATES.items()),
        label=_("Состояние"),
        help_text=_("не начата (new), черновик (draft), отправлена (submitted)"),
    )
    municipality = id_filter(field_name="school__municipality_id", label=_("Муниципалитет"))
    search = filters.CharFilter(field_name="school__short_name", lookup_expr="icontains", label=_("Школа"))

    class Meta:
        model = Assignment
        fields = ["questionnaire", "school", "submitted"]

    def filter_submitted(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        sent = {"response__status": Response.Status.SUBMITTED}
        return qs.filter(**sent) if value else qs.exclude(**sent)

    def filter_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return with_state(qs).filter(state=value)

    def for_page(self, *, municipalities: Iterable[tuple[int, str]]) -> "AssignmentFilter":
        self.form.fields["state"].choices = [("", _("все")), *STATES.items()]
        as_select(self, "municipality", list(municipalities), empty_label=_("все"))
        self.form.visible = [self.form[n] for n in ("state", "municipality", "search")]
        return self


class ResponseFilter(filters.FilterSet):
    region = region_filter()
    questionnaire = id_filter(field_name="assignment__questionnaire_id", label=_("Анкета"))
    assignment = id_filter(field_name="assignment_id", label=_("Назначение"))

    class Meta:
        model = Response
        fields = ["status", "assignment", "questionnaire"]
