from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change state only through exports.services."""

    list_display = ["title", "kind", "status", "progress", "requested_by", "organisation", "created_at", "expires_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "file_name", "sha256", "requested_by__username"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Files are removed by the expiry sweep; a row deleted here would leave its file behind.
        return False
