from django.contrib import admin

from .models import ReminderPreference, ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """What was emailed to whom: read-only, written by reminders.services only."""

    list_display = ("person", "kind", "day", "key", "items", "sent_at")
    list_filter = ("kind", "day")
    search_fields = ("person__username", "person__email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    """Each person sets their own on the Reminders page; the admin only reads them."""

    list_display = ("person", "enabled", "updated_at")
    list_filter = ("enabled",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
