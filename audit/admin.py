from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["created_at", "actor", "action", "school", "from_state", "to_state", "text"]
    list_filter = ["action"]
    search_fields = ["action", "summary", "actor__username"]
    list_select_related = ["actor", "school"]

    @admin.display(description=_("mô tả"))
    def text(self, obj):
        """The summary in the reader's language (worded from its code and parameters)."""
        return obj.text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
