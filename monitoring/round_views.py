"""Quarterly monitoring round pages: the list (and opening a round), one round's figures, closing it.

Figures are counted over the rows the viewer may see (``rounds.entries_of`` goes through the gate).
Other apps add a block to the round page through :data:`ROUND_PAGE_PARTS` (reporting lists the
round's reports there), so monitoring never imports them.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from monitoring import rounds as round_services
from monitoring.models import MonitoringRound
from monitoring.tally import total
from roadmaps.models import Roadmap
from schools import access
from schools.gate import GatedViewMixin
from schools.models import Region

# (request, round) → {"template": …, **context} or None: extra blocks of the round page.
ROUND_PAGE_PARTS: list[Callable] = []


class OpenRoundForm(forms.Form):
    roadmap = forms.TypedChoiceField(label=gettext_lazy("Дорожная карта"), coerce=int)
    quarter = forms.ChoiceField(label=gettext_lazy("Квартал"))
    deadline = forms.DateField(
        label=gettext_lazy("Срок сбора отчётов"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        help_text=gettext_lazy("По умолчанию — через 15 дней после конца квартала."),
    )

    def __init__(
        self, *args: Any, roadmaps: Iterable[Roadmap], quarters: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].choices = [(r.pk, f"{r.owner.short_name}: {r.title[:80]}") for r in roadmaps]
        self.fields["quarter"].choices = quarters


def _quarters(roadmaps: Iterable[Roadmap]) -> list[tuple[str, str]]:
    years = sorted({y for r in roadmaps for y in r.years}, reverse=True)
    return [
        (f"{y}-{3 * q - 2:02d}-01", _("%(quarter)s квартал %(year)s") % {"quarter": q, "year": y})
        for y in years
        for q in (4, 3, 2, 1)
    ]


class RoundListView(GatedViewMixin, TemplateView):
    template_name = "monitoring/rounds.html"

    def _form(self, data: QueryDict | None = None) -> OpenRoundForm | None:
        scope = access.get_scope(self.request.user)
        roadmaps = list(
            Roadmap.objects.visible_to(self.request.user)
            .filter(status=Roadmap.Status.APPROVED, region_id__in=scope.manage_region_ids)
            .select_related("owner")
        )
        return OpenRoundForm(data, roadmaps=roadmaps, quarters=_quarters(roadmaps)) if roadmaps else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        qs = (
            MonitoringRound.objects.visible_to(self.request.user)
            .select_related("roadmap", "roadmap__owner")
            .order_by("-period_start", "roadmap__title")
        )
        kwargs.setdefault("form", self._form())
        scope = access.get_scope(self.request.user)
        open_region = (
            Region.objects.visible_to(self.request.user)
            .filter(pk__in=scope.manage_region_ids)
            .order_by("code")
            .first()
        )
        return super().get_context_data(
            page=Paginator(qs, 25).get_page(self.request.GET.get("page")), open_region=open_region, **kwargs
        )


class RoundOpenView(GatedViewMixin, DetailView):
    """POST: a coordinator opens a round for a roadmap and quarter of their region."""

    gate_model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    write_action = round_services.OPEN_ROUND
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        region = self.get_object()
        roadmaps = list(
            Roadmap.objects.visible_to(self.request.user)
            .filter(region=region, status=Roadmap.Status.APPROVED)
            .select_related("owner")
        )
        form = OpenRoundForm(request.POST, roadmaps=roadmaps, quarters=_quarters(roadmaps))
        if not form.is_valid():
            messages.error(request, _("Выберите дорожную карту и квартал."))
            return redirect("round-list")
        roadmap = next(r for r in roadmaps if r.pk == form.cleaned_data["roadmap"])
        try:
            round_ = round_services.do_open_round(
                actor=request.user,
                roadmap=roadmap,
                period_start=dt.date.fromisoformat(form.cleaned_data["quarter"]),
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("round-list")
        messages.success(request, _("Раунд открыт: %(r)s.") % {"r": round_.label})
        return redirect("round-detail", pk=round_.pk)


class RoundDetailView(GatedViewMixin, DetailView):
    gate_model = MonitoringRound
    write_action = round_services.OPEN_ROUND
    template_name = "monitoring/round_detail.html"
    context_object_name = "round"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        round_, user = self.object, self.request.user
        rows = round_services.entries_of(round_, requester=user)
        previous = round_services.previous_round(round_)
        by_section: dict = {}
        for r in rows:
            by_section.setdefault(r.section or _("Без раздела"), []).append(r)
        parts = [part for hook in ROUND_PAGE_PARTS if (part := hook(self.request, round_))]
        return super().get_context_data(
            totals=total(rows).as_dict(),
            previous=previous,
            previous_totals=total(round_services.entries_of(previous, requester=user)).as_dict()
            if previous
            else None,
            sections=[(title, total(items).as_dict()) for title, items in by_section.items()],
            can_close=round_.state == MonitoringRound.State.OPEN
            and access.can(user, round_services.OPEN_ROUND, round_),
            parts=parts,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        round_services.do_close_round(actor=request.user, round_=self.get_object())
        messages.success(request, _("Раунд закрыт: данные зафиксированы, квартальные отчёты строятся."))
        return redirect("round-detail", pk=self.get_object().pk)
