"""«Результаты и исполнение»: the region view (schools placed by risk and execution, exportable)
and the school card (diagnostics over the years beside its roadmaps' execution). Thin views over
``diagnostics/region.py`` and ``diagnostics/card.py``; everything is read through the gate."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from core.charts import Dot, count_grid
from core.filters import as_select, describe
from diagnostics import card as card_data
from diagnostics import region
from diagnostics.region_export import region_xlsx
from monitoring.views import xlsx_response
from schools import access
from schools.gate import GatedViewMixin
from schools.models import Municipality, Organization, SchoolStatus

PAGE = 30


def notice() -> str:
    return _(
        "Это диагностика для адресной поддержки, а не рейтинг школ и учителей; результаты оценочных "
        "процедур не используются для оценки работы учителей."
    )


class RegionView(GatedViewMixin, TemplateView):
    """Schools with a programme status in a year, high risk and lagging first."""

    template_name = "diagnostics/region.html"

    def places(self) -> tuple[region.RegionViewFilter, int, list[region.SchoolPlace]]:
        user = self.request.user
        available = region.years(user)
        data = self.request.GET.copy()
        if not data.get("year"):
            data["year"] = str(region.default_year(available))
        filterset = region.RegionViewFilter(
            data, queryset=SchoolStatus.objects.visible_to(user), request=self.request
        )
        as_select(filterset, "year", [(y, str(y)) for y in available] or [(data["year"], data["year"])])
        filterset.form.fields["year"].widget.choices = filterset.form.fields["year"].widget.choices[1:]
        as_select(
            filterset,
            "municipality",
            Municipality.objects.visible_to(user).order_by("name").values_list("pk", "name"),
        )
        form = filterset.form
        if not form.is_valid():
            return filterset, int(data["year"]) if data["year"].isdigit() else 0, []
        year = form.cleaned_data["year"]
        statuses: QuerySet = filterset.qs
        return filterset, year, region.rows(user, statuses, year=year, filters=form.cleaned_data)

    def own_schools(self) -> QuerySet:
        """A director's own schools: their cards are linked whatever the year shows."""
        scope = access.get_scope(self.request.user)
        return (
            Organization.objects.visible_to(self.request.user)
            .filter(pk__in=scope.school_ids, kind=Organization.Kind.SCHOOL)
            .order_by("short_name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filterset, year, places = self.places()
        page = Paginator(places, PAGE).get_page(self.request.GET.get("page"))
        title = _("Школы по рискам и отставанию в исполнении, %(year)s") % {"year": year}
        return super().get_context_data(
            form=filterset.form,
            year=year,
            page=page,
            total=len(places),
            counts=region.counts(places),
            chart=quadrant_chart(places, title=title) if places else "",
            chart_title=title,
            export_query=self.request.GET.urlencode(),
            own_schools=self.own_schools(),
            notice=notice(),
            **kwargs,
        )


def quadrant_chart(places: list[region.SchoolPlace], *, title: str) -> str:
    return count_grid(
        [Dot(x=p.lag, y=len(p.high), label=p.school.short_name) for p in places],
        title=title,
        x_label=_("Отставание: отчётов просрочено и на доработке"),
        y_label=_("Факторов риска высокого уровня"),
        quadrants=[str(words) for _key, words in region.PRIORITIES],
    )


class RegionExportView(RegionView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset, year, places = self.places()
        title = _("Результаты и исполнение")
        body = region_xlsx(places, title=title, filters=describe(filterset.form), notice=notice())
        return xlsx_response(request, body, name=title, what="diagnostics")


class SchoolCardView(GatedViewMixin, DetailView):
    """One school's diagnostics over the years beside its roadmaps' execution, on one page."""

    gate_model = Organization
    template_name = "diagnostics/card.html"
    context_object_name = "school"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .filter(kind=Organization.Kind.SCHOOL)
            .select_related("municipality", "region", "parent")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = card_data.card(self.request.user, self.object)
        return super().get_context_data(card=data, notice=notice(), **kwargs)
