"""The home page of each role: what the user must do and what their region looks like.

It reads from every domain app (hierarchy, execution, questionnaires), so it lives in its own app
at the top of the layers, where nothing imports it.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from dashboard import panels
from monitoring import selectors as monitoring_selectors
from monitoring.models import ExecutionReport, MonitoringRound
from questionnaires import selectors as questionnaire_selectors
from questionnaires.models import Questionnaire
from reporting.models import Report
from roadmaps.models import Roadmap
from schools import access, selectors
from schools.gate import GatedViewMixin
from schools.models import Membership, Municipality, Organization, Region


class HomeView(GatedViewMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        scope = access.get_scope(user)
        regions = Region.objects.visible_to(user)
        memberships = (
            Membership.objects.visible_to(user)
            .filter(user=user)
            .select_related("organization", "organization__municipality")
        )
        municipalities = (
            Municipality.objects.visible_to(user).select_related("region").order_by("region", "name")
        )
        tasks = questionnaire_selectors.pending_tasks(user)
        execution = monitoring_selectors.task_counts(user)
        review_count = monitoring_selectors.reviewable(user).count()
        return super().get_context_data(
            memberships=memberships,
            regions=regions,
            municipalities=municipalities[:30],
            municipality_count=municipalities.count(),
            my_schools=selectors.schools_for_dashboard(user=user),
            organization_count=Organization.objects.visible_to(user).count(),
            tasks=tasks,
            execution=execution,
            review_count=review_count,
            # «Нет задач» only when there is truly nothing: not under a count of overdue reports.
            nothing_to_do=not (tasks or review_count or any(execution.values())),
            panels=panels.for_user(user, scope),
            today=timezone.localdate(),
            # The administrator, on this page cut to one region (schools/focus.py), is still one.
            is_admin=scope.is_admin or user.is_superuser,
            **kwargs,
        )


class HelpView(GatedViewMixin, TemplateView):
    """«Справка»: how each role does its tasks and what each status means. Open to every logged-in
    user (it shows nothing of any region); the user's own roles come first, opened."""

    template_name = "dashboard/help.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        mine = set(Membership.objects.visible_to(user).filter(user=user).values_list("role", flat=True))
        order = [r for r in Membership.Role.values if r in mine] + [
            r for r in Membership.Role.values if r not in mine
        ]
        labels = dict(Membership.Role.choices)
        return super().get_context_data(
            roles=[{"code": r, "label": labels[r], "mine": r in mine} for r in order],
            statuses=help_statuses(),
            **kwargs,
        )


def help_statuses() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each status vocabulary of the portal with the label the pages show and what it means."""
    Review, Status = ExecutionReport.Review, ExecutionReport.Status
    # Keyed per vocabulary: «черновик» of a roadmap and of a report are different things.
    groups = [
        (
            _("Дорожная карта"),
            {
                Roadmap.Status.DRAFT: _(
                    "загружена, но ещё не утверждена в портале: обязательств по ней нет."
                ),
                Roadmap.Status.APPROVED: _(
                    "действует: по каждому мероприятию назначены обязательства исполнителям."
                ),
                Roadmap.Status.ARCHIVED: _("срок действия прошёл; отчёты сохранены как история."),
            },
        ),
        (
            _("Проверка отчёта об исполнении"),
            {
                Review.DRAFT: _("исполнитель заполняет отчёт, проверяющий его ещё не видит."),
                Review.SUBMITTED: _("отчёт отправлен и ждёт проверки куратора или координатора."),
                Review.ACCEPTED: _(
                    "отчёт принят и закрыт для правки; открыть его снова может координатор с указанием причины."
                ),
                Review.RETURNED: _("проверяющий вернул отчёт с комментарием: исправьте и отправьте снова."),
            },
        ),
        (
            _("Исполнение мероприятия"),
            {
                Status.NOT_STARTED: _("к мероприятию ещё не приступали."),
                Status.IN_PROGRESS: _("мероприятие выполняется."),
                Status.DONE: _("мероприятие выполнено полностью."),
                Status.PARTIAL: _("выполнена часть; объясните в комментарии, что осталось."),
                Status.FAILED: _("мероприятие не выполнено; укажите причину в комментарии."),
                Status.NOT_REQUIRED: _(
                    "выполнять не требуется (например, мероприятие снято); укажите основание."
                ),
            },
        ),
        (
            _("Раунд мониторинга"),
            {
                MonitoringRound.State.OPEN: _("квартал закончился, отчёты за него ещё собираются."),
                MonitoringRound.State.CLOSED: _(
                    "срок сбора прошёл, картина квартала зафиксирована; по ней построены отчёты для департамента."
                ),
            },
        ),
        (
            _("Анкета"),
            {
                Questionnaire.Status.DRAFT: _("анкета составляется, школам она не видна."),
                Questionnaire.Status.PUBLISHED: _("анкета назначена школам и принимает ответы до срока."),
                Questionnaire.Status.CLOSED: _("приём ответов закончен."),
            },
        ),
        (
            _("Отчёт (PDF или XLSX)"),
            {
                Report.Status.QUEUED: _("отчёт заказан и ждёт своей очереди."),
                Report.Status.RUNNING: _("отчёт строится; страница покажет, когда он будет готов."),
                Report.Status.DONE: _("файл готов к скачиванию."),
                Report.Status.FAILED: _(
                    "отчёт не построился; причина указана на странице отчёта, закажите его снова."
                ),
            },
        ),
    ]
    return [(title, [(choice.label, text) for choice, text in meaning.items()]) for title, meaning in groups]
