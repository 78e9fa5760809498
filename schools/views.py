"""Pages of the hierarchy. Thin: parse, gate (GatedViewMixin), call a selector or service, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from core.forms import errors_as_messages, errors_on_form, message_of
from schools import access, selectors, services, tokens
from schools.filters import OrganizationFilter
from schools.forms import CuratorAssignForm, ProfileForm
from schools.gate import GatedViewMixin
from schools.models import ApiToken, Membership, Municipality, Organization, Region, SchoolStatus

PAGE_SIZE = 25
School = Organization.Kind.SCHOOL


def _paginate(request: HttpRequest, qs: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


class RegionDetailView(GatedViewMixin, DetailView):
    gate_model = Region
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "schools/region_detail.html"
    context_object_name = "region"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        years = selectors.status_years(user)
        year = years[0] if years else None
        regional = Organization.objects.visible_to(user).filter(region=self.object, municipality__isnull=True)
        return super().get_context_data(
            year=year,
            municipalities=selectors.municipalities_with_counts(user=user, region=self.object, year=year),
            regional_organizations=regional.order_by("kind", "short_name"),
            **kwargs,
        )


class MunicipalityDetailView(GatedViewMixin, DetailView):
    gate_model = Municipality
    template_name = "schools/municipality_detail.html"
    context_object_name = "municipality"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filterset = OrganizationFilter(
            self.request.GET or None,
            queryset=Organization.objects.visible_to(user).filter(municipality=self.object, kind=School),
            request=self.request,
        ).for_page(years=selectors.status_years(user))
        form = filterset.form
        schools = selectors.with_statuses(
            filterset.qs, user=user, year=form.cleaned_data.get("year") if form.is_valid() else None
        )
        form.visible = [form[n] for n in ("search", "category", "year")]
        bodies = (
            Organization.objects.visible_to(user)
            .filter(municipality=self.object)
            .exclude(kind=Organization.Kind.SCHOOL)
        )
        return super().get_context_data(
            form=form, page=_paginate(self.request, schools), bodies=bodies, **kwargs
        )


class OrganizationListView(GatedViewMixin, TemplateView):
    template_name = "schools/organization_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        # Read once: the filter's select and the listed organizations' municipalities.
        municipalities = list(Municipality.objects.visible_to(user).order_by("name"))
        filterset = OrganizationFilter(
            self.request.GET or None, queryset=Organization.objects.visible_to(user), request=self.request
        ).for_page(years=selectors.status_years(user), municipalities=municipalities)
        form = filterset.form
        orgs = selectors.with_statuses(
            filterset.qs,
            user=user,
            year=form.cleaned_data.get("year") if form.is_valid() else None,
            municipality=False,
        )
        form.visible = [form[n] for n in ("search", "kind", "municipality", "category", "year")]
        page = _paginate(self.request, orgs)
        page.object_list = list(page.object_list)
        selectors.attach_municipalities(page.object_list, user=user, known=municipalities)
        return super().get_context_data(form=form, page=page, **kwargs)


class OrganizationDetailView(GatedViewMixin, DetailView):
    gate_model = Organization
    template_name = "schools/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("region", "municipality", "parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        org = self.object
        context = {
            "people": selectors.people_of(user=user, organization=org),
            "branches": Organization.objects.visible_to(user).filter(parent=org),
            "statuses": SchoolStatus.objects.visible_to(user)
            .filter(school=org)
            .order_by("-year", "category"),
        }
        if org.is_school:
            context["curators"] = selectors.curators_of(org)
            if access.can(user, access.Action.ASSIGN_CURATORS, org):
                context["curator_form"] = CuratorAssignForm(
                    candidates=selectors.curator_candidates(region=org.region), initial={"action": "assign"}
                )
        return super().get_context_data(**context, **kwargs)


class CuratorAssignView(GatedViewMixin, DetailView):
    """POST only: a coordinator grants or withdraws a curator's access to a school."""

    gate_model = Organization
    write_action = access.Action.ASSIGN_CURATORS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        school = self.get_object()
        form = CuratorAssignForm(request.POST, candidates=selectors.curator_candidates(region=school.region))
        if not form.is_valid():
            messages.error(request, _("Выберите куратора из списка."))
            return redirect("organization-detail", pk=school.pk)
        curator = form.cleaned_data["curator"]
        with errors_as_messages(request):
            if form.cleaned_data["action"] == "assign":
                services.do_assign_curator(actor=request.user, school=school, curator=curator)
                messages.success(request, _("%(name)s назначен(а) куратором школы.") % {"name": curator})
            else:
                services.do_unassign_curator(actor=request.user, school=school, curator=curator)
                messages.success(request, _("%(name)s больше не курирует школу.") % {"name": curator})
        return redirect("organization-detail", pk=school.pk)


class ProfileView(GatedViewMixin, FormView):
    """The user's own profile; acts only on request.user, so there is no object to gate."""

    acts_on_self = True
    template_name = "schools/profile.html"
    form_class = ProfileForm

    def get_initial(self) -> dict[str, Any]:
        u = self.request.user
        return {
            "full_name": u.full_name,
            "position": u.position,
            "phone": u.phone,
            "email": u.email,
            "email_reminders": u.email_reminders,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        memberships = (
            Membership.objects.visible_to(self.request.user)
            .filter(user=self.request.user)
            .select_related("organization")
        )
        return super().get_context_data(
            memberships=memberships,
            api_tokens=ApiToken.objects.filter(user=self.request.user),
            token_scopes=ApiToken.Scope.choices,
            token_expiry_days=tokens.EXPIRY_CHOICES,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # API tokens are the user's own: created and revoked only for request.user.
        op = request.POST.get("token_action")
        if op == "create":
            try:
                days = request.POST.get("expires_in_days", "")
                _row, secret = tokens.do_create_api_token(
                    user=request.user,
                    name=request.POST.get("name", ""),
                    scope=request.POST.get("scope", ApiToken.Scope.READ_WRITE),
                    expires_in_days=int(days) if days.isdigit() else None,
                )
            except ValidationError as exc:
                return self.render_to_response(
                    self.get_context_data(
                        form=self.get_form_class()(initial=self.get_initial()),
                        token_error=message_of(exc),
                    )
                )
            # Shown once, in this response only: the secret is not stored anywhere.
            return self.render_to_response(
                self.get_context_data(
                    form=self.get_form_class()(initial=self.get_initial()), new_token=secret
                )
            )
        if op == "revoke":
            token_id = request.POST.get("token", "")
            with errors_as_messages(request):
                tokens.do_revoke_api_token(
                    user=request.user, token_id=int(token_id) if token_id.isdigit() else 0
                )
                messages.success(request, _("Токен отозван: скрипты с ним больше не войдут."))
            return redirect("profile")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        with errors_on_form(form):
            services.do_update_profile(user=self.request.user, **form.cleaned_data)
            messages.success(self.request, _("Профиль сохранён."))
            return redirect("profile")
        return self.form_invalid(form)
