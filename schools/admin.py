from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from schools.models import ExecutorAlias, Membership, Municipality, Organization, Region, SchoolStatus, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone", "school_calendar"]
    search_fields = ["code", "name", "short_name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["region", "kind"]
    search_fields = ["name"]


class SchoolStatusInline(admin.TabularInline):
    model = SchoolStatus
    fk_name = "school"
    fields = ["year", "category", "level", "basis_document"]
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "position"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(GuardedModelAdmin):
    list_display = ["short_name", "kind", "municipality", "region", "external_code", "is_rural", "is_small"]
    list_filter = ["region", "kind", "is_rural", "is_small", "municipality"]
    search_fields = ["short_name", "name", "director_name", "external_code"]
    autocomplete_fields = ["municipality", "parent"]
    inlines = [SchoolStatusInline, MembershipInline]


@admin.register(SchoolStatus)
class SchoolStatusAdmin(admin.ModelAdmin):
    list_display = ["school", "year", "category", "level", "region"]
    list_filter = ["region", "year", "category", "level"]
    search_fields = ["school__short_name", "school__name", "basis_document"]
    autocomplete_fields = ["school"]
    exclude = ["region"]


@admin.register(ExecutorAlias)
class ExecutorAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "organization", "group", "region"]
    list_filter = ["region", "group"]
    search_fields = ["alias", "organization__short_name"]
    autocomplete_fields = ["organization"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "region"]
    list_filter = ["region", "role"]
    search_fields = ["user__username", "user__full_name", "organization__short_name"]
    autocomplete_fields = ["user", "organization"]
    exclude = ["region"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "full_name",
        "email",
        "position",
        "is_active",
        "invited_at",
        "is_superuser",
        "federal_viewer",
    ]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Профиль"),
            {"fields": ["full_name", "position", "phone", "email_reminders", "invited_at", "invited_by"]},
        ),
        (_("Федеральный уровень"), {"fields": ["federal_viewer"]}),
    )
