"""Pages of the diagnostics import: the three kinds, each uploaded, previewed and confirmed.

Thin, like ``schools/onboarding_views.py``: every page is behind the gate on the region (by its
code) with the ``import_diagnostics`` action (coordinators), parses the form, calls
``diagnostics.imports`` and renders. An uploaded file waits for confirmation in the session (its
cells, not the file), so the confirm writes what the preview showed — recomputed against the
database of that moment, atomically.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from core.downloads import bytes_download
from core.forms import errors_as_messages, message_of
from diagnostics import importing, imports, rules
from diagnostics.import_forms import DiagnosticsUploadForm
from diagnostics.sheets import Grid, read_grid
from schools.gate import GatedViewMixin
from schools.models import Organization, Region
from schools.tables import TableError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLUGS = {kind: kind.replace("_", "-") for kind in importing.KINDS}


class RegionImportMixin(GatedViewMixin):
    gate_model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "region"
    read_action = rules.IMPORT_DIAGNOSTICS
    write_action = rules.IMPORT_DIAGNOSTICS


def kinds_for(region: Region) -> list[dict[str, Any]]:
    return [
        {
            "kind": kind,
            "label": importing.KIND_LABELS[kind],
            "url": reverse(f"diagnostics-import-{SLUGS[kind]}", args=[region.code]),
            "template_url": reverse(f"diagnostics-import-{SLUGS[kind]}-template", args=[region.code]),
        }
        for kind in importing.KINDS
    ]


class ImportIndexView(RegionImportMixin, DetailView):
    """The three files a region loads, with the years loaded so far."""

    template_name = "diagnostics/import/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        loaded = imports.loaded_years(self.object, self.request.user)
        kinds = [{**k, "loaded": loaded[k["kind"]]} for k in kinds_for(self.object)]
        return super().get_context_data(kinds=kinds, **kwargs)


class ImportView(RegionImportMixin, DetailView):
    template_name = "diagnostics/import/upload.html"
    kind = importing.SELF_DIAGNOSIS

    def _key(self, region: Region) -> str:
        return f"diagnostics-import:{self.kind}:{region.pk}"

    def _stashed(self, region: Region) -> tuple[Grid, int, dict[str, int]] | None:
        data = self.request.session.get(self._key(region))
        if not data:
            return None
        return Grid(name=data["name"], rows=data["rows"]), data["year"], data.get("choices", {})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        region = self.object
        stashed = self._stashed(region)
        if stashed and "preview" not in kwargs:
            grid, year, choices = stashed
            kwargs["preview"] = imports.preview(
                region=region, kind=self.kind, year=year, grid=grid, choices=choices
            )
            if kwargs["preview"]["unmatched"]:
                kwargs["schools"] = (
                    Organization.objects.visible_to(self.request.user)
                    .filter(region=region, kind=Organization.Kind.SCHOOL)
                    .order_by("short_name")
                )
        kwargs.setdefault("form", DiagnosticsUploadForm(initial={"year": imports.current_year()}))
        this = next(k for k in kinds_for(region) if k["kind"] == self.kind)
        return super().get_context_data(kind=this, columns=importing.template_columns(self.kind), **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = region = self.get_object()
        back = redirect(f"diagnostics-import-{SLUGS[self.kind]}", code=region.code)
        op = request.POST.get("op")
        if op == "cancel":
            request.session.pop(self._key(region), None)
            return back
        if op in ("confirm", "choose") and self._stashed(region) is None:
            messages.error(request, _("Сначала загрузите файл."))
            return back
        if op == "choose":
            data = request.session[self._key(region)]
            choices = dict(data.get("choices", {}))
            for key, value in request.POST.items():
                if key.startswith("choice-name-") and value:
                    picked = request.POST.get("choice-" + key.removeprefix("choice-name-"), "")
                    if picked.isdigit():
                        choices[value] = int(picked)
            request.session[self._key(region)] = {**data, "choices": choices}
            return back
        if op == "confirm":
            grid, year, choices = self._stashed(region)
            with errors_as_messages(request):
                result = imports.do_import_diagnostics(
                    actor=request.user, region=region, kind=self.kind, year=year, grid=grid, choices=choices
                )
                request.session.pop(self._key(region), None)
                messages.success(
                    request,
                    _(
                        "Загружено за %(year)s год: записей %(n)s по %(s)s школам, заменено прежних записей %(r)s."
                    )
                    % {"year": year, "n": result["records"], "s": result["schools"], "r": result["replaced"]},
                )
                return redirect("diagnostics-import", code=region.code)
            return back
        form = DiagnosticsUploadForm(request.POST, request.FILES)
        grid = None
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                grid = read_grid(f.name, f.read())
            except TableError as exc:
                form.add_error("file", message_of(exc))
        if grid is None:
            return self.render_to_response(self.get_context_data(form=form, preview=None))
        request.session[self._key(region)] = {
            "name": grid.name,
            "rows": grid.rows,
            "year": form.cleaned_data["year"],
        }
        return back


class ImportTemplateView(RegionImportMixin, DetailView):
    """The XLSX template of a kind, the region's schools filled in."""

    kind = importing.SELF_DIAGNOSIS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        region = self.get_object()
        data = imports.template(region=region, kind=self.kind)
        name = f"diagnostics-{SLUGS[self.kind]}-{region.code}.xlsx"
        return bytes_download(data, filename=name, content_type=XLSX, ascii_fallback="template")
