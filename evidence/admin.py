"""Read-only admin of the evidence library: for looking things up. Every change goes through the
services (codes, files and checksums must stay consistent), i.e. through the library pages."""

from django.contrib import admin

from .models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "school", "criterion", "box", "valid_until", "file_name", "is_archived", "updated_at"]
    list_filter = ["is_archived", "school__reviewing_unit", "criterion__standard__version__regulation"]
    search_fields = ["code", "name", "school__code", "school__name", "issued_number", "issuer"]
    list_select_related = ["school", "criterion"]
    raw_id_fields = ["school", "criterion", "created_by", "updated_by"]
    filter_horizontal = ["shared_criteria"]
    ordering = ["school", "criterion_id", "sequence"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
