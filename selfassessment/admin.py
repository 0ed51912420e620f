"""Read-only admin views of the reports: for looking, never for writing (the services write)."""

from django.contrib import admin

from .models import ImprovementAction, Passage, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["school", "school_year", "kind", "status", "regulation_version", "school_level", "version", "updated_at"]
    list_filter = ["status", "kind", "school_year"]
    search_fields = ["school__name", "school__code"]
    list_select_related = ["school", "school_year", "regulation_version__regulation"]


@admin.register(Passage)
class PassageAdmin(ReadOnlyAdmin):
    list_display = ["report", "key", "revision", "needs_review", "updated_by", "updated_at"]
    search_fields = ["key", "report__school__code"]
    list_select_related = ["report__school", "report__school_year", "updated_by"]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ReadOnlyAdmin):
    list_display = ["report", "criterion", "action", "responsible", "due_on", "status", "done_on"]
    list_filter = ["status"]
    list_select_related = ["report__school", "report__school_year", "criterion"]
