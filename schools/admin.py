from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, Organisation, School, SchoolYear, User
from .scope import is_admin


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "requires_head_approval"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "ownership", "reviewing_unit", "status"]
    list_filter = ["level", "ownership", "status", "reviewing_unit"]
    search_fields = ["code", "name", "former_names"]
    list_select_related = ["reviewing_unit"]
    raw_id_fields = ["merged_into"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.revision += 1  # a school edit page opened before must notice this save
        super().save_model(request, obj, form, change)


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["code", "start_date", "end_date"]


class AdministratorsOnly:
    """Accounts and roles change in the admin site for administrators only: the people pages apply
    the role hierarchy (schools.permissions), the admin site does not, so a staff member given
    model permissions must not be able to step around it."""

    def has_add_permission(self, request, *args):
        return is_admin(request.user)

    def has_change_permission(self, request, *args):
        return is_admin(request.user)

    def has_delete_permission(self, request, *args):
        return is_admin(request.user)


class MembershipInline(AdministratorsOnly, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["school"]


@admin.register(User)
class UserAdmin(AdministratorsOnly, BaseUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + (("kiemdinh", {"fields": ("full_name", "phone", "position")}),)
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        if change:
            obj.revision += 1  # an account or profile page opened before must notice this save
        super().save_model(request, obj, form, change)
