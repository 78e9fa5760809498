"""Pages of the catalogue of measures by deficit (README «Дефициты и мероприятия»): the catalogue
with its XLSX, the coordinator's create / edit / delete (written by hand or taken from a roadmap
item), marking which deficits a roadmap item addresses, and the coverage of a school roadmap with
the catalogue's suggestions (also a panel on the roadmap page and on the item's edit page,
registered in ``roadmaps.panels`` so roadmaps need not know diagnostics).

This is diagnosis and support: the pages say what a school may need, never rate it.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

import audit
from core.downloads import bytes_download
from core.filters import describe
from core.forms import errors_as_messages, errors_on_form
from diagnostics import catalogue, services
from diagnostics.coverage import Coverage, coverage
from diagnostics.measure_exports import measures_xlsx
from diagnostics.measure_forms import ItemDeficitsForm, ItemSearchForm, MeasureFilterForm, MeasureForm
from diagnostics.models import Measure
from diagnostics.rules import MANAGE_MEASURES
from roadmaps import rules as roadmap_rules
from roadmaps.models import Item, Roadmap
from schools import access
from schools.gate import GatedViewMixin
from schools.models import Region

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeasureListView(GatedViewMixin, TemplateView):
    """The catalogue grouped by deficit: everyone in the region reads it, coordinators keep it."""

    template_name = "diagnostics/measures/list.html"

    def catalogue(self) -> tuple[MeasureFilterForm, list[Measure]]:
        form = MeasureFilterForm(self.request.GET or None)
        rows = list(catalogue.measures(self.request.user, **form.values()))
        return form, rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        form, rows = self.catalogue()
        # The regions the request has read already (the same rows as Region.objects.visible_to).
        manage_regions = [r for r in access.readable_regions(user) if access.can(user, MANAGE_MEASURES, r)]
        return super().get_context_data(
            form=form,
            groups=catalogue.grouped(rows),
            total=len(rows),
            manage_regions=manage_regions,
            managed_ids={r.pk for r in manage_regions},
            several_regions=len({m.region_id for m in rows}) > 1,
            **kwargs,
        )


class MeasureExportView(MeasureListView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form, rows = self.catalogue()
        title = _("Каталог мероприятий по дефицитам")
        body = measures_xlsx(catalogue.grouped(rows), title=title, filters=describe(form))
        response = bytes_download(
            body, filename=f"{title}.xlsx", content_type=XLSX_TYPE, ascii_fallback="measures"
        )
        audit.record(
            audit.EXPORT,
            request=request,
            label=title,
            details={"format": "xlsx", "what": "measures", "query": request.GET.urlencode()[:500]},
        )
        return response


def _source_item(request: HttpRequest, region_id: int, value: Any) -> Item | None:
    """A roadmap item of the region the user sees, named by a query or form value (or None)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return (
        Item.objects.visible_to(request.user)
        .filter(pk=pk, region_id=region_id, removed_at__isnull=True)
        .select_related("roadmap__owner")
        .first()
    )


class _MeasureFormMixin:
    """The create and edit pages share the form, the «взять из дорожной карты» item and the save."""

    template_name = "diagnostics/measures/form.html"
    request: HttpRequest

    def region_id(self) -> int:
        raise NotImplementedError

    def form_page(self, form: MeasureForm, item: Item | None, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, source=item, **kwargs))  # type: ignore[attr-defined]

    def taken(self, initial: dict) -> tuple[dict, Item | None]:
        item = _source_item(self.request, self.region_id(), self.request.GET.get("item"))
        if item is not None:
            initial = initial | {"title": item.text[:500], "source_item": item.pk}
        elif initial.get("source_item"):
            item = _source_item(self.request, self.region_id(), initial["source_item"])
        return initial, item


class MeasureCreateView(_MeasureFormMixin, GatedViewMixin, DetailView):
    gate_model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    read_action = MANAGE_MEASURES
    write_action = MANAGE_MEASURES
    context_object_name = "region"

    def region_id(self) -> int:
        return self.object.pk

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        initial, item = self.taken({"deficit": request.GET.get("deficit", "")})
        return self.form_page(MeasureForm(initial=initial), item)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = region = self.get_object()
        form = MeasureForm(request.POST)
        item = _source_item(request, region.pk, request.POST.get("source_item"))
        if form.is_valid():
            data = form.cleaned_data
            with errors_on_form(form):
                measure = services.do_create_measure(
                    actor=request.user,
                    region=region,
                    deficit=data["deficit"],
                    title=data["title"],
                    description=data["description"],
                    source_item=item,
                )
                messages.success(
                    request, _("Мероприятие «%(title)s» добавлено в каталог.") % {"title": measure.title}
                )
                return redirect(reverse("measure-list") + f"#measure-{measure.pk}")
        return self.form_page(form, item)


class MeasureEditView(_MeasureFormMixin, GatedViewMixin, DetailView):
    gate_model = Measure
    read_action = MANAGE_MEASURES
    write_action = MANAGE_MEASURES
    context_object_name = "measure"

    def region_id(self) -> int:
        return self.object.region_id

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = m = self.get_object()
        initial = {
            "deficit": m.deficit,
            "title": m.title,
            "description": m.description,
            "source_item": m.source_item_id,
        }
        initial, item = self.taken(initial)
        return self.form_page(MeasureForm(initial=initial), item)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = measure = self.get_object()
        form = MeasureForm(request.POST)
        item = _source_item(request, measure.region_id, request.POST.get("source_item"))
        if form.is_valid():
            data = form.cleaned_data
            with errors_on_form(form):
                services.do_update_measure(
                    actor=request.user,
                    measure=measure,
                    deficit=data["deficit"],
                    title=data["title"],
                    description=data["description"],
                    source_item=item,
                )
                messages.success(request, _("Мероприятие каталога сохранено."))
                return redirect(reverse("measure-list") + f"#measure-{measure.pk}")
        return self.form_page(form, item)


class MeasureDeleteView(GatedViewMixin, DetailView):
    gate_model = Measure
    read_action = MANAGE_MEASURES
    write_action = MANAGE_MEASURES
    template_name = "diagnostics/measures/delete.html"
    context_object_name = "measure"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        measure = self.get_object()
        with errors_as_messages(request):
            services.do_delete_measure(actor=request.user, measure=measure)
            messages.success(
                request,
                _(
                    "Мероприятие «%(title)s» удалено из каталога; отметки дефицитов у пунктов дорожных карт сохранены."
                )
                % {"title": measure.title},
            )
        return redirect("measure-list")


class MeasurePickItemView(GatedViewMixin, DetailView):
    """«Взять из дорожной карты»: items of the region's roadmaps by text, page by page; taking one
    opens the create form (or the edit form of ``?measure=``) filled with the item's text."""

    gate_model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    read_action = MANAGE_MEASURES
    template_name = "diagnostics/measures/pick_item.html"
    context_object_name = "region"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        region = self.object
        form = ItemSearchForm(self.request.GET or None)
        search = form.cleaned_data["q"].strip() if form.is_valid() else ""
        measure = None
        if self.request.GET.get("measure", "").isdigit():
            measure = (
                Measure.objects.visible_to(self.request.user)
                .filter(pk=int(self.request.GET["measure"]), region=region)
                .first()
            )
        target = (
            reverse("measure-edit", args=[measure.pk])
            if measure
            else reverse("measure-create", args=[region.code])
        )
        items = catalogue.pickable_items(self.request.user, region, search)
        return super().get_context_data(
            form=form,
            search=search,
            measure=measure,
            target=target,
            page=Paginator(items, 20).get_page(self.request.GET.get("page")),
            **kwargs,
        )


class ItemDeficitsView(GatedViewMixin, DetailView):
    """Which deficits a roadmap item addresses; whoever may edit the roadmap sets them."""

    gate_model = Item
    read_action = roadmap_rules.EDIT_ROADMAP
    write_action = roadmap_rules.EDIT_ROADMAP
    template_name = "diagnostics/measures/item_deficits.html"
    context_object_name = "item"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("roadmap__owner")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        item, user = self.object, self.request.user
        current = catalogue.item_deficits(user, [item.pk]).get(item.pk, [])
        proposed = catalogue.proposals(user, [item]).get(item.pk, [])
        if "form" not in kwargs:
            initial = current or [m.deficit for m in proposed]
            kwargs["form"] = ItemDeficitsForm(initial={"deficits": initial})
        return super().get_context_data(
            current=current,
            proposed=[(m, catalogue.deficit_name(m.deficit)) for m in proposed],
            proposed_preselected=bool(proposed) and not current,
            back=_back_to(item.roadmap),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = item = self.get_object()
        form = ItemDeficitsForm(request.POST)
        if form.is_valid():
            proposed = {m.deficit: m for m in catalogue.proposals(request.user, [item]).get(item.pk, [])}
            with errors_on_form(form, field="deficits"):
                codes = services.do_set_item_deficits(
                    actor=request.user, item=item, deficits=form.cleaned_data["deficits"], measures=proposed
                )
                if codes:
                    names = ", ".join(f"«{catalogue.deficit_name(c)}»" for c in codes)
                    messages.success(
                        request,
                        _("Пункт %(n)s направлен на: %(names)s.") % {"n": item.number or "—", "names": names},
                    )
                else:
                    messages.success(
                        request, _("У пункта %(n)s дефициты не отмечены.") % {"n": item.number or "—"}
                    )
                return redirect(_back_to(item.roadmap) + f"#item-{item.pk}")
        return self.render_to_response(self.get_context_data(form=form))


def _back_to(roadmap: Roadmap) -> str:
    if roadmap.level == Roadmap.Level.SCHOOL:
        return reverse("roadmap-coverage", args=[roadmap.pk])
    return reverse("roadmap-detail", args=[roadmap.pk])


def coverage_rows(result: Coverage) -> list[dict]:
    """One row per deficit the school has: what it is, the items that answer it, or the catalogue's
    suggestions when none does."""
    return [
        {
            "code": code,
            "name": catalogue.deficit_name(code),
            "risk": catalogue.is_risk_factor(code),
            "items": result.covered.get(code, []),
            "suggestions": result.suggestions.get(code, []),
        }
        for code in result.needs
    ]


class CoverageView(GatedViewMixin, DetailView):
    """Does the school roadmap answer its school's deficits? Seen by whoever sees the roadmap."""

    gate_model = Roadmap
    template_name = "diagnostics/measures/coverage.html"
    context_object_name = "roadmap"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("owner")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        roadmap, user = self.object, self.request.user
        result = coverage(user, roadmap)
        can_edit = access.can(user, roadmap_rules.EDIT_ROADMAP, roadmap)
        items = list(
            Item.objects.visible_to(user)
            .filter(roadmap=roadmap, removed_at__isnull=True)
            .order_by("position")
        )
        marked = catalogue.item_deficits(user, [i.pk for i in items])
        proposed = catalogue.proposals(user, [i for i in items if i.pk not in marked]) if can_edit else {}
        for item in items:
            item.deficit_names = [catalogue.deficit_name(c) for c in marked.get(item.pk, [])]
            item.proposed_names = sorted(
                {catalogue.deficit_name(m.deficit) for m in proposed.get(item.pk, [])}
            )
        return super().get_context_data(
            coverage=result,
            rows=coverage_rows(result) if result else [],
            items=items,
            can_edit=can_edit,
            can_add=can_edit and roadmap.status == Roadmap.Status.DRAFT,
            **kwargs,
        )


class CoverageAddView(GatedViewMixin, DetailView):
    """«Добавить в дорожную карту»: a suggested catalogue measure becomes an item of a draft."""

    gate_model = Roadmap
    write_action = roadmap_rules.EDIT_ROADMAP
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roadmap = self.get_object()
        value = request.POST.get("measure", "")
        measure = (
            Measure.objects.visible_to(request.user)
            .filter(pk=int(value), region_id=roadmap.region_id)
            .first()
            if value.isdigit() and len(value) < 19
            else None
        )
        if measure is None:
            messages.error(
                request, _("Мероприятие каталога не найдено: обновите страницу и выберите его снова.")
            )
            return redirect("roadmap-coverage", pk=roadmap.pk)
        with errors_as_messages(request):
            item = services.do_add_suggested_measure(actor=request.user, roadmap=roadmap, measure=measure)
            messages.success(
                request,
                _(
                    "Мероприятие «%(title)s» добавлено в конец дорожной карты и отмечено как направленное на "
                    "«%(deficit)s». Укажите номер, сроки и исполнителей."
                )
                % {"title": measure.title, "deficit": catalogue.deficit_name(measure.deficit)},
            )
            return redirect("item-edit", pk=item.pk)
        return redirect("roadmap-coverage", pk=roadmap.pk)


# --- Panels on the roadmap pages (registered in DiagnosticsConfig.ready) -----------------------


def roadmap_panel(request: HttpRequest, roadmap: Roadmap) -> dict | None:
    """The school roadmap's coverage of its school's deficits, in short, on the roadmap page."""
    if roadmap.level != Roadmap.Level.SCHOOL:
        return None
    result = coverage(request.user, roadmap)
    if result is None:
        return None
    can_edit = access.can(request.user, roadmap_rules.EDIT_ROADMAP, roadmap)
    return {
        "template": "diagnostics/measures/_roadmap_panel.html",
        "coverage": result,
        "rows": coverage_rows(result),
        "can_add": can_edit and roadmap.status == Roadmap.Status.DRAFT,
    }


def item_panel(request: HttpRequest, item: Item) -> dict | None:
    """On the item's edit page: the deficits it is marked with, or the ones proposed for it."""
    user = request.user
    current = catalogue.item_deficits(user, [item.pk]).get(item.pk, [])
    proposed = [] if current else catalogue.proposals(user, [item]).get(item.pk, [])
    return {
        "template": "diagnostics/measures/_item_panel.html",
        "item": item,
        "names": [catalogue.deficit_name(c) for c in current],
        "proposed": sorted({catalogue.deficit_name(m.deficit) for m in proposed}),
    }
