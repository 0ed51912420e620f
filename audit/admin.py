from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["created_at", "actor", "action", "school", "from_state", "to_state", "summary"]
    list_filter = ["action"]
    search_fields = ["action", "summary", "actor__username"]
    list_select_related = ["actor", "school"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
