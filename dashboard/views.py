"""The home page of each role: what the user must do and what their region looks like.

It reads from every domain app (hierarchy, execution, questionnaires), so it lives in its own app
at the top of the layers, where nothing imports it.
"""

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from dashboard import panels
from monitoring import selectors as monitoring_selectors
from questionnaires import selectors as questionnaire_selectors
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
            is_admin=scope.is_admin,
            **kwargs,
        )
