from django.contrib import admin

from citiesalliance.admin_util import ReadOnlyAdminMixin

from .models import ReminderPreference, ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What was emailed to whom: read-only, written by reminders.services only."""

    list_display = ("person", "kind", "day", "key", "items", "sent_at")
    list_filter = ("kind", "day")
    search_fields = ("person__username", "person__email")


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each person sets their own on the Reminders page; the admin only reads them."""

    list_display = ("person", "enabled", "updated_at")
    list_filter = ("enabled",)
