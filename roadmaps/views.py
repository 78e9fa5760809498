"""Roadmap pages: list, detail with filters, item edit, approve, revisions, «what is due», import,
exports. Thin: parse, gate (GatedViewMixin), call a selector or a service, render."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, TemplateView

import audit
from core import periods
from core.downloads import bytes_download
from core.forms import errors_as_messages, errors_on_form
from core.paging import SplitJoinPaginator, attach
from roadmaps import exports, panels, rules, selectors, services, trash
from roadmaps.filters import ItemFilter, RoadmapFilter
from roadmaps.forms import (
    AmendmentActForm,
    ImportSettingsForm,
    ImportUploadForm,
    ItemForm,
    ItemRemoveForm,
    NewItemForm,
    RevisionForm,
)
from roadmaps.importing.analysis import ManualDatesError
from roadmaps.models import ImportDraft, Item, ItemHistory, Revision, Roadmap
from schools import access
from schools.gate import GatedViewMixin
from schools.models import ExecutorAlias, Organization, Region
from schools.onboarding import do_save_executor_alias


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value


class RoadmapListView(GatedViewMixin, TemplateView):
    template_name = "roadmaps/roadmap_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        all_visible = Roadmap.objects.visible_to(user)
        years = sorted(
            {
                y
                # No order: the model's sorts by region code, which joined the regions table.
                for s, e in all_visible.order_by().values_list("period_start__year", "period_end__year")
                for y in range(s, e + 1)
            },
            reverse=True,
        )
        owners = list(self.owners(all_visible))
        filterset = RoadmapFilter(self.request.GET or None, queryset=all_visible, request=self.request)
        form = filterset.for_page(years=years, owners=owners).form
        # The user's regions were read for this request already (the middleware's time zone);
        # the administrator, a member of none, may import into any.
        regions = (
            Region.objects.visible_to(user)
            if access.get_scope(user).is_admin
            else access.member_regions(user)
        )
        import_regions = [r for r in regions if access.can(user, rules.IMPORT_ROADMAP, r)]
        return super().get_context_data(
            form=form,
            page=self.page(filterset.qs.order_by(*selectors.LIST_ORDER), owners),
            import_regions=import_regions,
            **kwargs,
        )

    def page(self, roadmaps: QuerySet, owners: list[Organization]) -> Page:
        """The page's roadmaps, with their owners and item counts.

        Sorted and cut on the bare roadmaps, then read apart (``core.paging``): the page's rows
        without a join, their owners from the filter's list (read already; an owner missing
        there is read by id within the rows' regions), the item counts in one grouped query.
        Joined in one query, PostgreSQL expected one row of the region and read the regions,
        owners and parents by a descent per row — three pages each at 85 regions, one hash of a
        small table at 1 (the page's buffers grew 2.1×)."""
        paginator = SplitJoinPaginator(
            roadmaps.select_related("owner"),
            self.paginate_by,
            known={Organization: lambda: {owner.pk: owner for owner in owners}},
        )
        page = paginator.get_page(self.request.GET.get("page"))
        selectors.count_items(page.object_list)
        return page

    def owners(self, roadmaps: QuerySet) -> QuerySet:
        """Organizations owning the visible roadmaps, for the filter. An owner belongs to its
        roadmap's region (Roadmap.clean), so they are read by the user's regions first: by the
        owners' ids alone PostgreSQL looked the region's roadmap owners up one by one."""
        owners = Organization.objects.visible_to(self.request.user).filter(pk__in=roadmaps.values("owner_id"))
        scope = access.get_scope(self.request.user)
        if not scope.is_admin:
            owners = owners.filter(region_id__in=scope.member_region_ids)
        return owners.order_by("short_name")


class RoadmapDetailView(GatedViewMixin, DetailView):
    gate_model = Roadmap
    template_name = "roadmaps/roadmap_detail.html"
    context_object_name = "roadmap"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("owner", "region", "parent", "approved_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        roadmap, user = self.object, self.request.user
        choices = []
        for year in roadmap.years:
            choices += [(f"{year}-Q{q}", periods.parse_range(f"{year}-Q{q}").label) for q in range(1, 5)]
            choices += [(f"{year}-{m:02d}", f"{periods.MONTHS[m - 1]} {year}") for m in range(1, 13)]
        executors = selectors.roadmap_executors(roadmap)
        filterset = ItemFilter(
            self.request.GET or None, queryset=roadmap.items.all(), request=self.request
        ).for_page(executors=selectors.executor_choices(executors), periods=choices)
        form = filterset.form
        items = selectors.page_items(filterset.qs, executors)
        preview = services.assignment_preview(roadmap, with_counts=False, items=items) or {}
        unmatched = preview.get("unmatched", {})
        sections: dict = {}
        for item in items:
            item.unmatched_executors = unmatched.get(item.pk, [])
            sections.setdefault(item.section, []).append(item)
        total = roadmap.items.count()
        return super().get_context_data(
            form=form,
            sections=list(sections.items()),
            shown=len(items),
            total=total,
            instant_export=total <= settings.ROADMAP_INSTANT_EXPORT_MAX_ITEMS,
            unknown_total=roadmap.items.filter(schedule_understood=False).count(),
            revisions=roadmap.revisions.all(),
            children=self.children(roadmap),
            can_edit=access.can(user, rules.EDIT_ROADMAP, roadmap),
            can_approve=access.can(user, rules.APPROVE_ROADMAP, roadmap),
            can_delete=access.can(user, rules.DELETE_ROADMAP, roadmap),
            panels=panels.collect(panels.ROADMAP_PANELS, self.request, roadmap),
            **kwargs,
        )

    def children(self, roadmap: Roadmap) -> list[Roadmap]:
        """Roadmaps drafted from this one. They share its region (an import looks the parent up
        in the draft's region), so the model's order by region is left out: it joined regions
        once per child, PostgreSQL expecting a single child of the region."""
        children = list(
            Roadmap.objects.visible_to(self.request.user)
            .filter(parent=roadmap)
            .order_by("-period_start", "level", "title")
        )
        # Their owners read apart, within the region: joined, PostgreSQL looked each one up by
        # its id (three pages a child at 85 regions).
        attach(children, {"owner": {}}, {roadmap.region_id})
        return children


class RoadmapApproveView(GatedViewMixin, DetailView):
    gate_model = Roadmap
    write_action = rules.APPROVE_ROADMAP
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roadmap = self.get_object()
        with errors_as_messages(request):
            if request.POST.get("action") == "archive":
                services.do_archive_roadmap(actor=request.user, roadmap=roadmap)
                messages.success(request, _("Дорожная карта перенесена в архив."))
            else:
                services.do_approve_roadmap(actor=request.user, roadmap=roadmap)
                _approval_messages(request, roadmap)
        return redirect("roadmap-detail", pk=roadmap.pk)


class RoadmapDeleteView(GatedViewMixin, DetailView):
    """Into the trash (README «Корзина»); a coordinator restores it from there."""

    gate_model = Roadmap
    write_action = rules.DELETE_ROADMAP
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roadmap = self.get_object()
        with errors_as_messages(request):
            trash.do_delete_roadmap(actor=request.user, roadmap=roadmap)
            messages.success(request, _("Дорожная карта перенесена в корзину."))
            return redirect("roadmap-list")
        return redirect("roadmap-detail", pk=roadmap.pk)


def _approval_messages(request: HttpRequest, roadmap: Roadmap) -> None:
    """«Утверждена: назначено 412 обязательств 37 исполнителям» and, by number, the items whose
    group executor matches nobody in the roadmap's years (they get no obligations)."""
    preview = services.assignment_preview(roadmap)
    if preview is None:
        messages.success(request, _("Дорожная карта утверждена."))
        return
    n, executors = preview["obligations"], preview["executors"]
    messages.success(
        request,
        ngettext(
            "Дорожная карта утверждена: назначено %(n)s обязательство",
            "Дорожная карта утверждена: назначено %(n)s обязательств",
            n,
        )
        % {"n": n}
        + " "
        + ngettext("(%(e)s исполнитель).", "(%(e)s исполнителей).", executors) % {"e": executors},
    )
    unmatched = preview["unmatched"]
    if unmatched:
        numbers = dict(
            Item.objects.visible_to(request.user).filter(pk__in=unmatched).values_list("pk", "number")
        )
        listed = "; ".join(
            _("п. %(n)s — %(who)s")
            % {"n": numbers[pk].rstrip("."), "who": ", ".join(f"«{t}»" for t in texts)}
            for pk, texts in unmatched.items()
        )
        messages.warning(
            request,
            ngettext(
                "Мероприятию не назначен исполнитель — группа никого не обозначает в годы карты "
                "(нет организаций или статусов школ): %(items)s.",
                "%(n)s мероприятиям не назначены исполнители — группа никого не обозначает в годы "
                "карты (нет организаций или статусов школ): %(items)s.",
                len(unmatched),
            )
            % {"n": len(unmatched), "items": listed},
        )


class ItemEditView(GatedViewMixin, DetailView):
    gate_model = Item
    read_action = rules.EDIT_ROADMAP
    write_action = rules.EDIT_ROADMAP
    template_name = "roadmaps/item_form.html"
    context_object_name = "item"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self._form()))

    def _form(self, data: QueryDict | None = None) -> ItemForm:
        item = self.object
        initial = {f: getattr(item, f) for f in services.EDITABLE} | {"version": item.version}
        if item.schedule_kind == Item.ScheduleKind.MANUAL:
            initial["manual_dates"] = "\n".join(
                c.due_date.strftime("%d.%m.%Y")
                if c.window_start == c.due_date
                else f"{c.window_start:%d.%m.%Y}–{c.due_date:%d.%m.%Y}"
                for c in item.control_dates.all()
            )
        return ItemForm(data, initial=initial, revisions=item.roadmap.revisions.all())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        history = (
            ItemHistory.objects.visible_to(self.request.user)
            .filter(item=self.object)
            .select_related("user", "revision")
        )
        return super().get_context_data(
            history=history,
            dates=self.object.control_dates.all(),
            panels=panels.collect(panels.ITEM_PANELS, self.request, self.object),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = item = self.get_object()
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with errors_on_form(form):
                services.do_update_item(
                    actor=request.user,
                    item=item,
                    values={f: data[f] for f in services.EDITABLE},
                    manual_dates=data["manual_dates"],
                    revision=data["revision"],
                    comment=data["comment"],
                    version=data["version"],
                )
                messages.success(request, _("Мероприятие п. %(n)s сохранено.") % {"n": item.number})
                return redirect(reverse("roadmap-detail", args=[item.roadmap_id]) + f"#item-{item.pk}")
        return self.render_to_response(self.get_context_data(form=form))


class RevisionCreateView(GatedViewMixin, DetailView):
    gate_model = Roadmap
    read_action = rules.EDIT_ROADMAP
    write_action = rules.EDIT_ROADMAP
    template_name = "roadmaps/revision_form.html"
    context_object_name = "roadmap"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=RevisionForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = roadmap = self.get_object()
        form = RevisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with errors_on_form(form):
                revision = services.do_add_revision(
                    actor=request.user,
                    roadmap=roadmap,
                    act_kind=data["act_kind"],
                    act_number=data["act_number"],
                    act_date=data["act_date"],
                    act_issuer=data["act_issuer"],
                    summary=data["summary"],
                    added_numbers=[n for n in data["added_numbers"].split(",") if n.strip()],
                )
                messages.success(
                    request, _("Редакция добавлена. Изменяя мероприятия, выберите её в поле «По редакции».")
                )
                return redirect("revision-detail", pk=revision.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RevisionDetailView(GatedViewMixin, DetailView):
    gate_model = Revision
    template_name = "roadmaps/revision_detail.html"
    context_object_name = "revision"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rev = self.object
        return super().get_context_data(
            added=rev.added_items.order_by("position"),
            changes=ItemHistory.objects.visible_to(self.request.user)
            .filter(revision=rev)
            .select_related("item", "user")
            .order_by("item__position", "at"),
            **kwargs,
        )


class DueView(GatedViewMixin, TemplateView):
    template_name = "roadmaps/due.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        kind = "quarter" if self.request.GET.get("kind") == "quarter" else "month"
        value = self.request.GET.get("period") or periods.current_range(kind, today)
        period = periods.parse_range(value) or periods.parse_range(periods.current_range(kind, today))
        rows = selectors.due_in(self.request.user, period)
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        prev_day, next_day = period.start - dt.timedelta(days=1), period.end + dt.timedelta(days=1)
        return super().get_context_data(
            kind=kind,
            period=period,
            page=page,
            today=today,
            prev=periods.current_range(kind, prev_day),
            next=periods.current_range(kind, next_day),
            **kwargs,
        )


class RoadmapExportView(GatedViewMixin, DetailView):
    gate_model = Roadmap
    fmt = "xlsx"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        roadmap = self.get_object()
        if roadmap.items.count() > settings.ROADMAP_INSTANT_EXPORT_MAX_ITEMS:
            # Too big to render inside a web worker: the roadmap page orders it from a worker.
            messages.info(
                request,
                _(
                    "Дорожная карта большая: её %(fmt)s строится в фоне. Нажмите кнопку %(fmt)s — "
                    "файл появится на странице отчёта."
                )
                % {"fmt": self.fmt.upper()},
            )
            return redirect("roadmap-detail", pk=roadmap.pk)
        data = exports.roadmap_table(roadmap)
        filename = exports.filename(roadmap, self.fmt)
        if self.fmt == "xlsx":
            body = exports.roadmap_xlsx(data)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = exports.roadmap_pdf(data)
            content_type = "application/pdf"
        response = bytes_download(
            body, filename=filename, content_type=content_type, ascii_fallback="roadmap"
        )
        audit.record(
            audit.EXPORT, request=request, obj=roadmap, details={"format": self.fmt, "filename": filename}
        )
        return response


class ImportUploadView(GatedViewMixin, DetailView):
    gate_model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    read_action = rules.IMPORT_ROADMAP
    write_action = rules.IMPORT_ROADMAP
    template_name = "roadmaps/import_upload.html"
    context_object_name = "region"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        drafts = ImportDraft.objects.visible_to(request.user).filter(
            region=self.object, roadmap__isnull=True
        )[:10]
        return self.render_to_response(self.get_context_data(form=ImportUploadForm(), drafts=drafts))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = region = self.get_object()
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]  # its size was checked while it arrived (core/http.py)
            with errors_on_form(form, field="file"):
                draft = services.do_create_import_draft(
                    actor=request.user, region=region, name=upload.name, data=upload.read()
                )
                return redirect("import-preview", pk=draft.pk)
        drafts = ImportDraft.objects.visible_to(request.user).filter(region=region, roadmap__isnull=True)[:10]
        return self.render_to_response(self.get_context_data(form=form, drafts=drafts))


class ImportPreviewView(GatedViewMixin, DetailView):
    gate_model = ImportDraft
    write_action = rules.IMPORT_ROADMAP
    template_name = "roadmaps/import_preview.html"
    context_object_name = "draft"

    def get_template_names(self) -> list[str]:
        if self.object.settings.get("amends"):
            return ["roadmaps/amend_preview.html"]
        return [self.template_name]

    def _act_form(self, data: QueryDict | None = None) -> AmendmentActForm:
        act = self.object.settings.get("act") or {}
        initial = {
            "act_kind": act.get("kind") or _("приказ"),
            "act_number": act.get("number", ""),
            "act_date": _date(act.get("date")),
            "act_issuer": act.get("issuer", ""),
        }
        return AmendmentActForm(data, initial=initial)

    def _settings_form(self, data: QueryDict | None = None) -> ImportSettingsForm:
        draft = self.object
        s = draft.settings
        act = s.get("act") or {}
        period = s.get("period") or [None, None]
        initial = {
            "title": s.get("title"),
            "level": s.get("level"),
            "owner": s.get("owner"),
            "parent": s.get("parent"),
            "period_start": _date(period[0]),
            "period_end": _date(period[1]),
            "act_kind": act.get("kind", ""),
            "act_number": act.get("number", ""),
            "act_date": _date(act.get("date")),
            "act_issuer": act.get("issuer", ""),
        }
        owners = (
            Organization.objects.visible_to(self.request.user)
            .filter(region=draft.region)
            .exclude(kind=Organization.Kind.OTHER)
            .order_by("kind", "short_name")
        )
        parents = (
            Roadmap.objects.visible_to(self.request.user)
            .filter(region=draft.region)
            .exclude(level=Roadmap.Level.SCHOOL)
            .order_by("-period_start", "title")
        )
        return ImportSettingsForm(data, initial=initial, owners=owners, parents=parents)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        draft = self.object
        kwargs.setdefault("settings_form", self._settings_form())
        analysis = services.draft_analysis(draft)
        if draft.settings.get("amends"):
            kwargs.setdefault("act_form", self._act_form())
            kwargs.update(changes=services.amendment_diff(draft), amended=services.amended_roadmap(draft))
        unknown = unresolved_executors(analysis) if analysis and not draft.roadmap_id else []
        if unknown:
            kwargs["unknown_executors"] = unknown
            kwargs["alias_organizations"] = (
                Organization.objects.visible_to(self.request.user)
                .filter(region=draft.region)
                .order_by("kind", "short_name")
            )
            kwargs["alias_groups"] = ExecutorAlias.Group.choices
        return super().get_context_data(
            analysis=analysis,
            date_errors=kwargs.pop("date_errors", {}),
            duplicates=[] if draft.roadmap_id else services.import_duplicates(draft, self.request.user),
            **kwargs,
        )

    def _confirm_refused(self, exc: ValidationError) -> HttpResponse:
        """Show why confirming failed where the user looks: on the settings field to fix (focused,
        so the browser scrolls to it) and beside the confirm button."""
        form = self._settings_form()
        s = self.object.settings
        field = "period_start" if not s.get("period") else "owner" if not s.get("owner") else None
        if field:
            form.fields[field].widget.attrs.update(
                {"autofocus": True, "aria-invalid": "true", "aria-describedby": "confirm-error"}
            )
        return self.render_to_response(
            self.get_context_data(
                settings_form=form, confirm_error=" ".join(exc.messages), confirm_field=field
            )
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = draft = self.get_object()
        action = request.POST.get("action")
        with errors_as_messages(request):
            if action == "settings":
                form = self._settings_form(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(settings_form=form))
                d = form.cleaned_data
                services.do_update_import_settings(
                    actor=request.user,
                    draft=draft,
                    values={
                        "title": d["title"].strip(),
                        "level": d["level"],
                        "owner": d["owner"].pk,
                        "parent": d["parent"].pk if d["parent"] else None,
                        "period": [d["period_start"].isoformat(), d["period_end"].isoformat()],
                        "act": {
                            "kind": d["act_kind"],
                            "number": d["act_number"],
                            "date": d["act_date"].isoformat() if d["act_date"] else None,
                            "issuer": d["act_issuer"],
                        },
                    },
                )
                messages.success(request, _("Параметры сохранены, предпросмотр пересчитан."))
            elif action == "dates":
                key = request.POST.get("key", "")
                try:
                    services.do_set_manual_dates(
                        actor=request.user, draft=draft, key=key, text=request.POST.get("dates", "")
                    )
                except ManualDatesError as exc:
                    return self.render_to_response(
                        self.get_context_data(
                            date_errors={key: str(exc)}, date_values={key: request.POST.get("dates", "")}
                        )
                    )
                messages.success(request, _("Даты сохранены."))
                return redirect(reverse("import-preview", args=[draft.pk]) + f"#key-{key}")
            elif action == "amend":
                form = self._act_form(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(act_form=form))
                d = form.cleaned_data
                revision = services.do_confirm_amendment(
                    actor=request.user,
                    draft=draft,
                    act_kind=d["act_kind"],
                    act_number=d["act_number"],
                    act_date=d["act_date"],
                    act_issuer=d["act_issuer"],
                )
                messages.success(request, _("Новая редакция записана: %(s)s.") % {"s": revision.summary})
                return redirect("revision-detail", pk=revision.pk)
            elif action == "alias":
                # An executor the importer did not recognise, mapped in one step and remembered
                # for the region's later imports; the preview is recomputed with it.
                org_id = request.POST.get("organization", "")
                organization = (
                    Organization.objects.visible_to(request.user)
                    .filter(region=draft.region, pk=org_id)
                    .first()
                    if org_id.isdigit()
                    else None
                )
                row = do_save_executor_alias(
                    actor=request.user,
                    region=draft.region,
                    alias=request.POST.get("alias", ""),
                    organization=organization,
                    group=request.POST.get("group", "") if organization is None else "",
                )
                messages.success(
                    request, _("«%(alias)s» запомнено для следующих загрузок.") % {"alias": row.alias}
                )
            elif action == "confirm":
                try:
                    roadmap = services.do_confirm_import(actor=request.user, draft=draft)
                except ValidationError as exc:
                    return self._confirm_refused(exc)
                n = roadmap.items.count()
                messages.success(
                    request,
                    ngettext(
                        "Дорожная карта загружена: %(n)s мероприятие.",
                        "Дорожная карта загружена: %(n)s мероприятий.",
                        n,
                    )
                    % {"n": n},
                )
                return redirect("roadmap-detail", pk=roadmap.pk)
        return redirect("import-preview", pk=draft.pk)


class ItemCreateView(GatedViewMixin, DetailView):
    """A new item in a roadmap (an amendment adds one; a municipality adds to its own plan)."""

    gate_model = Roadmap
    read_action = rules.EDIT_ROADMAP
    write_action = rules.EDIT_ROADMAP
    template_name = "roadmaps/item_new.html"
    context_object_name = "roadmap"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=NewItemForm(roadmap=self.object)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = roadmap = self.get_object()
        form = NewItemForm(request.POST, roadmap=roadmap)
        if form.is_valid():
            with errors_on_form(form):
                item = services.do_create_item(actor=request.user, roadmap=roadmap, **form.cleaned_data)
                messages.success(request, _("Мероприятие добавлено."))
                return redirect(reverse("roadmap-detail", args=[roadmap.pk]) + f"#item-{item.pk}")
        return self.render_to_response(self.get_context_data(form=form))


class RoadmapAmendView(GatedViewMixin, DetailView):
    """Upload a new version of an imported plan; the preview shows what it changes."""

    gate_model = Roadmap
    read_action = rules.EDIT_ROADMAP
    write_action = rules.EDIT_ROADMAP
    template_name = "roadmaps/amend_upload.html"
    context_object_name = "roadmap"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=ImportUploadForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = roadmap = self.get_object()
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with errors_on_form(form, field="file"):
                draft = services.do_create_amendment_draft(
                    actor=request.user, roadmap=roadmap, name=upload.name, data=upload.read()
                )
                return redirect("import-preview", pk=draft.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ItemRemoveView(GatedViewMixin, DetailView):
    """Take an item out of the plan (its history and reports stay)."""

    gate_model = Item
    read_action = rules.EDIT_ROADMAP
    write_action = rules.EDIT_ROADMAP
    template_name = "roadmaps/item_remove.html"
    context_object_name = "item"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=ItemRemoveForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = item = self.get_object()
        form = ItemRemoveForm(request.POST)
        if form.is_valid():
            with errors_on_form(form):
                services.do_remove_item(actor=request.user, item=item, comment=form.cleaned_data["comment"])
                messages.success(
                    request, _("Мероприятие п. %(n)s исключено; его история сохранена.") % {"n": item.number}
                )
                return redirect("roadmap-detail", pk=item.roadmap_id)
        return self.render_to_response(self.get_context_data(form=form))


class ItemMoveView(GatedViewMixin, DetailView):
    """Move an item up or down among its siblings (POST ``direction``)."""

    gate_model = Item
    write_action = rules.EDIT_ROADMAP
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item = self.get_object()
        with errors_as_messages(request):
            services.do_move_item(actor=request.user, item=item, direction=request.POST.get("direction", ""))
        return redirect(reverse("roadmap-detail", args=[item.roadmap_id]) + f"#item-{item.pk}")


def unresolved_executors(analysis: dict) -> list[str]:
    """Executor names of a previewed plan that no alias or organization name covered, once each."""
    seen: dict[str, None] = {}
    for section in analysis.get("sections", []):
        for top in section.get("items", []):
            for item in [top, *top.get("children", [])]:
                for e in item.get("executors", []):
                    if not e.get("resolved") and e.get("text"):
                        seen.setdefault(e["text"], None)
    return list(seen)
