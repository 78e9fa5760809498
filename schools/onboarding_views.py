"""Pages that bring a region live: create it (platform administrator), upload its organizations
and a year's statuses, invite its people, grant curators their schools, map executor aliases.

Thin: every page is behind the gate (``GatedViewMixin`` on the region, by its code), parses a
form, calls ``schools.onboarding`` / ``schools.people`` and renders. An uploaded list waits for
confirmation in the session (its rows, not the file), so the confirm writes exactly what the
preview showed — recomputed against the database of that moment, atomically.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, FormView

from core.downloads import bytes_download
from core.forms import errors_as_messages, errors_on_form, message_of
from schools import access, onboarding, people
from schools.forms import AliasForm, InviteForm, RegionCreateForm, StatusUploadForm, TableUploadForm
from schools.gate import GatedViewMixin
from schools.models import ExecutorAlias, Membership, Municipality, Organization, Region, SchoolStatus, User
from schools.tables import Table, TableError, read_table

School = Organization.Kind.SCHOOL
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _session_key(kind: str, region: Region) -> str:
    return f"onboarding:{kind}:{region.pk}"


def _stash(request: HttpRequest, kind: str, region: Region, table: Table, **extra: Any) -> None:
    request.session[_session_key(kind, region)] = {
        "name": table.name,
        "headers": table.headers,
        "rows": [[n, r] for n, r in table.rows],
        **extra,
    }


def _stashed(request: HttpRequest, kind: str, region: Region) -> tuple[Table, dict] | None:
    data = request.session.get(_session_key(kind, region))
    if not data:
        return None
    table = Table(name=data["name"], headers=data["headers"], rows=[(n, r) for n, r in data["rows"]])
    return table, data


def _upload(request: HttpRequest, form: TableUploadForm, columns: Any) -> Table | None:
    f = form.cleaned_data["file"]
    try:
        return read_table(f.name, f.read(), columns)
    except TableError as exc:
        form.add_error("file", message_of(exc))
        return None


class RegionCreateView(GatedViewMixin, FormView):
    """The platform administrator creates an empty region; everybody else gets 403."""

    template_name = "schools/onboarding/region_create.html"
    form_class = RegionCreateForm

    @staticmethod
    def admits(user: User) -> bool:
        return user.is_superuser

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.admits(request.user):
            raise PermissionDenied(_("Регионы создаёт администратор платформы."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(regions=Region.objects.visible_to(self.request.user), **kwargs)

    def form_valid(self, form: RegionCreateForm) -> HttpResponse:
        d = form.cleaned_data
        with errors_on_form(form):
            with transaction.atomic():
                region = onboarding.do_create_region(
                    actor=self.request.user,
                    code=d["code"],
                    name=d["name"],
                    short_name=d["short_name"],
                    timezone=d["timezone"],
                    school_year_start=(d["start_month"], d["start_day"]),
                    school_year_end=(d["end_month"], d["end_day"]),
                )
                if d["operator_short_name"]:
                    operator = onboarding.do_add_regional_body(
                        actor=self.request.user,
                        region=region,
                        kind=Organization.Kind.INSTITUTE,
                        short_name=d["operator_short_name"],
                        name=d["operator_name"] or d["operator_short_name"],
                    )
                    if d["coordinator_email"]:
                        people.do_invite_person(
                            actor=self.request.user,
                            email=d["coordinator_email"],
                            full_name=d["coordinator_name"],
                            role=Membership.Role.COORDINATOR,
                            organization=operator,
                        )
            if d["coordinator_email"]:
                messages.success(
                    self.request,
                    _("Регион «%(name)s» создан, приглашение координатору отправлено на %(email)s.")
                    % {"name": region.name, "email": d["coordinator_email"]},
                )
            else:
                messages.success(
                    self.request,
                    _("Регион «%(name)s» создан. Пригласите его координатора.") % {"name": region.name},
                )
            return redirect("region-setup", code=region.code)
        return self.form_invalid(form)


class RegionPageMixin(GatedViewMixin):
    gate_model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "region"

    @property
    def region(self) -> Region:
        return self.get_object()


class RegionSetupView(RegionPageMixin, DetailView):
    """The checklist of a region going live, with what is done so far."""

    template_name = "schools/onboarding/setup.html"
    read_action = access.Action.INVITE_PEOPLE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, region = self.request.user, self.object
        orgs = Organization.objects.visible_to(user).filter(region=region)
        members = Membership.objects.visible_to(user).filter(region=region)
        return super().get_context_data(
            manages=access.can(user, access.Action.MANAGE_REGION, region),
            counts={
                "municipalities": Municipality.objects.visible_to(user).filter(region=region).count(),
                "schools": orgs.filter(kind=School).count(),
                "organizations": orgs.count(),
                "statuses": SchoolStatus.objects.visible_to(user).filter(region=region).count(),
                "people": members.values("user").distinct().count(),
                "pending": members.filter(user__invited_at__isnull=False, user__password__startswith="!")
                .values("user")
                .distinct()
                .count(),
                "aliases": ExecutorAlias.objects.visible_to(user).filter(region=region).count(),
            },
            **kwargs,
        )


class OrganizationImportView(RegionPageMixin, DetailView):
    template_name = "schools/onboarding/organizations.html"
    read_action = access.Action.MANAGE_REGION
    write_action = access.Action.MANAGE_REGION
    kind = "organizations"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        stashed = _stashed(self.request, self.kind, self.object)
        if stashed and "preview" not in kwargs:
            kwargs["preview"] = onboarding.organizations_preview(region=self.object, table=stashed[0])
        kwargs.setdefault("form", TableUploadForm())
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = region = self.get_object()
        op = request.POST.get("op")
        if op == "cancel":
            request.session.pop(_session_key(self.kind, region), None)
            return redirect("onboarding-organizations", code=region.code)
        if op == "confirm":
            stashed = _stashed(request, self.kind, region)
            if stashed is None:
                messages.error(request, _("Сначала загрузите файл."))
                return redirect("onboarding-organizations", code=region.code)
            with errors_as_messages(request):
                result = onboarding.do_import_organizations(
                    actor=request.user, region=region, table=stashed[0]
                )
                request.session.pop(_session_key(self.kind, region), None)
                messages.success(
                    request,
                    _("Организации загружены: новых %(c)s, обновлено %(u)s, без изменений %(n)s.")
                    % {"c": len(result["create"]), "u": len(result["update"]), "n": len(result["unchanged"])},
                )
            return redirect("onboarding-organizations", code=region.code)
        form = TableUploadForm(request.POST, request.FILES)
        table = _upload(request, form, onboarding.ORG_COLUMNS) if form.is_valid() else None
        if table is None:
            return self.render_to_response(self.get_context_data(form=form, preview=None))
        _stash(request, self.kind, region, table)
        return redirect("onboarding-organizations", code=region.code)


class OrganizationSheetView(RegionPageMixin, DetailView):
    """The template (headers and one example row) or the export: the same columns either way."""

    read_action = access.Action.MANAGE_REGION
    export = False

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        region = self.get_object()
        if self.export:
            orgs = (
                Organization.objects.visible_to(request.user)
                .filter(region=region)
                .select_related("municipality", "parent")
                .order_by("municipality__name", "kind", "short_name")
            )
            data, name = (
                onboarding.organizations_xlsx(organizations=orgs),
                f"organizations-{region.code}.xlsx",
            )
        else:
            data, name = onboarding.organizations_xlsx(organizations=None), "organizations-template.xlsx"
        return bytes_download(data, filename=name, content_type=XLSX)


class StatusImportView(RegionPageMixin, DetailView):
    template_name = "schools/onboarding/statuses.html"
    read_action = access.Action.MANAGE_REGION
    write_action = access.Action.MANAGE_REGION
    kind = "statuses"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        region = self.object
        stashed = _stashed(self.request, self.kind, region)
        if stashed and "preview" not in kwargs:
            table, data = stashed
            kwargs["preview"] = onboarding.statuses_preview(
                region=region,
                table=table,
                year=data["year"],
                category=data["category"],
                basis_document=data["basis"],
            )
        kwargs.setdefault("form", StatusUploadForm(initial={"year": onboarding.current_status_year(region)}))
        kwargs["schools"] = (
            Organization.objects.visible_to(self.request.user)
            .filter(region=region, kind=School)
            .order_by("short_name")
        )
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = region = self.get_object()
        op = request.POST.get("op")
        if op == "cancel":
            request.session.pop(_session_key(self.kind, region), None)
            return redirect("onboarding-statuses", code=region.code)
        if op == "confirm":
            stashed = _stashed(request, self.kind, region)
            if stashed is None:
                messages.error(request, _("Сначала загрузите файл."))
                return redirect("onboarding-statuses", code=region.code)
            table, data = stashed
            choices = {}
            for key, value in request.POST.items():
                if key.startswith("choice-") and key[7:].isdigit() and value.isdigit():
                    choices[int(key[7:])] = int(value)
            with errors_as_messages(request):
                result = onboarding.do_import_statuses(
                    actor=request.user,
                    region=region,
                    table=table,
                    year=data["year"],
                    category=data["category"],
                    basis_document=data["basis"],
                    choices=choices,
                )
                request.session.pop(_session_key(self.kind, region), None)
                messages.success(
                    request,
                    _("Статусы %(year)s года загружены: новых %(c)s, обновлено %(u)s, пропущено строк %(s)s.")
                    % {
                        "year": data["year"],
                        "c": result["created"],
                        "u": result["updated"],
                        "s": len(result["unmatched"]),
                    },
                )
            return redirect("onboarding-statuses", code=region.code)
        form = StatusUploadForm(request.POST, request.FILES)
        table = _upload(request, form, onboarding.STATUS_COLUMNS) if form.is_valid() else None
        if table is None:
            return self.render_to_response(self.get_context_data(form=form, preview=None))
        d = form.cleaned_data
        _stash(
            request,
            self.kind,
            region,
            table,
            year=d["year"],
            category=d["category"],
            basis=d["basis_document"],
        )
        return redirect("onboarding-statuses", code=region.code)


class PeopleView(RegionPageMixin, DetailView):
    """People of the region (as far as the user reaches): invite, resend, switch off, roles."""

    template_name = "schools/onboarding/people.html"
    read_action = access.Action.INVITE_PEOPLE
    write_action = access.Action.INVITE_PEOPLE

    def _organizations(self) -> QuerySet:
        region, user = self.object, self.request.user
        orgs = Organization.objects.visible_to(user).filter(region=region).select_related("municipality")
        if not access.get_scope(user).may_manage(region.pk):
            orgs = orgs.filter(kind=School, municipality_id__in=access.get_scope(user).municipality_ids)
        return orgs.order_by("municipality__name", "kind", "short_name")

    def _invite_form(self, data: Any = None) -> InviteForm:
        return InviteForm(
            data,
            roles=people.invitable_roles(self.request.user, self.object),
            organizations=self._organizations(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        region, user = self.object, self.request.user
        memberships = (
            Membership.objects.visible_to(user)
            .filter(region=region)
            .select_related("user", "organization")
            .order_by("user__full_name", "role")
        )
        pending_only = self.request.GET.get("pending") == "1"
        if pending_only:
            memberships = memberships.filter(user__invited_at__isnull=False, user__password__startswith="!")
        rows = people.people_rows(memberships)
        for row in rows:
            row["manageable"] = (
                people.may_manage_person(user, person=row["user"], region=region)
                and not row["user"].is_superuser
            )
        kwargs.setdefault("invite_form", self._invite_form())
        kwargs.setdefault("bulk_form", TableUploadForm())
        return super().get_context_data(
            rows=rows,
            pending_only=pending_only,
            roles=people.invitable_roles(user, region),
            organizations=self._organizations(),
            **kwargs,
        )

    def _person(self, value: str) -> User | None:
        if not value.isdigit():
            return None
        m = (
            Membership.objects.visible_to(self.request.user)
            .filter(region=self.object, user_id=int(value))
            .select_related("user")
            .first()
        )
        return m.user if m else None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = region = self.get_object()
        op = request.POST.get("op")
        back = redirect("onboarding-people", code=region.code)
        if op == "invite":
            form = self._invite_form(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(invite_form=form))
            d = form.cleaned_data
            with errors_on_form(form):
                m = people.do_invite_person(
                    actor=request.user,
                    email=d["email"],
                    full_name=d["full_name"],
                    role=d["role"],
                    organization=d["organization"],
                    position=d["position"],
                )
                if m.user.invitation_pending:
                    messages.success(
                        request, _("Приглашение отправлено на %(email)s.") % {"email": m.user.email}
                    )
                else:
                    messages.success(
                        request,
                        _("%(name)s получил(а) роль «%(role)s».")
                        % {"name": m.user, "role": m.get_role_display()},
                    )
                return back
            return self.render_to_response(self.get_context_data(invite_form=form))
        if op == "bulk":
            form = TableUploadForm(request.POST, request.FILES)
            table = _upload(request, form, people.PEOPLE_COLUMNS) if form.is_valid() else None
            if table is None:
                return self.render_to_response(self.get_context_data(bulk_form=form))
            with errors_on_form(form, field="file"):
                done = people.do_invite_from_table(actor=request.user, region=region, table=table)
                messages.success(
                    request,
                    ngettext("Приглашён %(n)s человек.", "Приглашено %(n)s человек.", len(done))
                    % {"n": len(done)},
                )
                return back
            return self.render_to_response(self.get_context_data(bulk_form=form))
        if op in ("resend", "deactivate", "activate"):
            person = self._person(request.POST.get("user", ""))
            if person is None:
                messages.error(request, _("Пользователь не найден."))
                return back
            with errors_as_messages(request):
                if op == "resend":
                    people.do_resend_invitation(actor=request.user, person=person, region=region)
                    messages.success(
                        request, _("Приглашение отправлено ещё раз: %(email)s.") % {"email": person.email}
                    )
                else:
                    people.do_set_person_active(
                        actor=request.user, person=person, region=region, active=op == "activate"
                    )
                    messages.success(
                        request,
                        _("Пользователь включён.")
                        if op == "activate"
                        else _("Пользователь отключён: войти он не сможет."),
                    )
            return back
        if op in ("change", "remove"):
            m = (
                Membership.objects.visible_to(request.user)
                .filter(
                    region=region,
                    pk=request.POST.get("membership")
                    if (request.POST.get("membership") or "").isdigit()
                    else 0,
                )
                .select_related("user")
                .first()
            )
            if m is None:
                messages.error(request, _("Роль не найдена."))
                return back
            with errors_as_messages(request):
                if op == "remove":
                    people.do_remove_role(actor=request.user, membership=m)
                    messages.success(request, _("Роль снята."))
                else:
                    org = (
                        self._organizations()
                        .filter(
                            pk=request.POST.get("organization")
                            if (request.POST.get("organization") or "").isdigit()
                            else 0
                        )
                        .first()
                    )
                    if org is None:
                        raise ValidationError(_("Выберите организацию из списка."))
                    people.do_change_role(
                        actor=request.user, membership=m, role=request.POST.get("role", ""), organization=org
                    )
                    messages.success(request, _("Роль изменена."))
            return back
        return back


class CuratorGrantsView(RegionPageMixin, DetailView):
    """Curator × school: one checkbox per pair, saved at once."""

    template_name = "schools/onboarding/curators.html"
    read_action = access.Action.ASSIGN_CURATORS
    write_action = access.Action.ASSIGN_CURATORS

    def _schools(self) -> QuerySet:
        schools = (
            Organization.objects.visible_to(self.request.user)
            .filter(region=self.object, kind=School)
            .select_related("municipality")
            .order_by("municipality__name", "short_name")
        )
        municipality = self.request.GET.get("municipality", "")
        if municipality.isdigit():
            schools = schools.filter(municipality_id=int(municipality))
        return schools

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        table = people.grant_table(self.object, self._schools())
        rows = [
            {"school": s, "cells": [(c, (c.pk, s.pk) in table["granted"]) for c in table["curators"]]}
            for s in table["schools"]
        ]
        return super().get_context_data(
            curators=table["curators"],
            rows=rows,
            municipalities=Municipality.objects.visible_to(self.request.user)
            .filter(region=self.object)
            .order_by("name"),
            municipality=self.request.GET.get("municipality", ""),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        region = self.get_object()
        pairs, shown = [], []
        for value in request.POST.getlist("grant"):
            c, _sep, s = value.partition(":")
            if c.isdigit() and s.isdigit():
                pairs.append((int(c), int(s)))
        shown = [int(v) for v in request.POST.getlist("shown") if v.isdigit()]
        with errors_as_messages(request):
            result = people.do_set_curator_grants(
                actor=request.user, region=region, grants=pairs, schools=shown
            )
            messages.success(
                request,
                _("Сохранено: назначено %(g)s, снято %(r)s.")
                % {"g": result["granted"], "r": result["revoked"]},
            )
        query = request.POST.get("municipality", "")
        url = f"?municipality={query}" if query.isdigit() else ""
        return redirect(request.path + url)


class AliasesView(RegionPageMixin, DetailView):
    """How the region's documents name executors; used by every later roadmap import."""

    template_name = "schools/onboarding/aliases.html"
    read_action = access.Action.MANAGE_REGION
    write_action = access.Action.MANAGE_REGION

    def _form(self, data: Any = None) -> AliasForm:
        orgs = (
            Organization.objects.visible_to(self.request.user)
            .filter(region=self.object)
            .order_by("kind", "short_name")
        )
        return AliasForm(data, organizations=orgs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self._form())
        aliases = (
            ExecutorAlias.objects.visible_to(self.request.user)
            .filter(region=self.object)
            .select_related("organization")
        )
        return super().get_context_data(aliases=aliases.order_by("alias"), **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = region = self.get_object()
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        back = redirect(target or request.path)
        if request.POST.get("op") == "delete":
            alias = (
                ExecutorAlias.objects.visible_to(request.user)
                .filter(
                    region=region,
                    pk=request.POST.get("alias") if (request.POST.get("alias") or "").isdigit() else 0,
                )
                .first()
            )
            with errors_as_messages(request):
                if alias is None:
                    raise ValidationError(_("Обозначение не найдено."))
                onboarding.do_delete_executor_alias(actor=request.user, alias=alias)
                messages.success(request, _("Обозначение удалено."))
            return back
        form = self._form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            with errors_on_form(form):
                row = onboarding.do_save_executor_alias(
                    actor=request.user,
                    region=region,
                    alias=d["alias"],
                    organization=d["organization"],
                    group=d["group"],
                )
                messages.success(
                    request, _("«%(alias)s» запомнено для следующих загрузок.") % {"alias": row.alias}
                )
                return back
        if target:
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
            return back
        return self.render_to_response(self.get_context_data(form=form))
