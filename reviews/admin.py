"""Read-only admin of the review records: every change goes through the review services."""

from django.contrib import admin

from .models import Comment, CommentThread, ReportVersion, ReviewAssignment, UnlockRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "created_at", "submitted_by", "school_level", "content_hash"]
    list_select_related = ["report__school", "report__school_year", "submitted_by"]
    search_fields = ["report__school__code", "report__school__name", "content_hash"]
    exclude = ["content"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["report", "reviewer", "assigned_by", "assigned_at", "is_active", "ended_at"]
    list_select_related = ["report__school", "report__school_year", "reviewer", "assigned_by"]
    list_filter = ["is_active"]


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    can_delete = False
    readonly_fields = ["author", "side", "text", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CommentThread)
class CommentThreadAdmin(ReadOnlyAdmin):
    list_display = ["report", "version", "criterion", "passage_label", "status", "created_by", "created_at"]
    list_select_related = ["report__school", "report__school_year", "version", "criterion", "created_by"]
    list_filter = ["status"]
    inlines = [CommentInline]


@admin.register(UnlockRequest)
class UnlockRequestAdmin(ReadOnlyAdmin):
    list_display = ["report", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_select_related = ["report__school", "report__school_year", "requested_by", "decided_by"]
    list_filter = ["status"]
