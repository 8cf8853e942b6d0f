from django.contrib import admin

from citiesalliance.admin_util import ReadOnlyAdminMixin

from .models import Edition


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: an edition is a record of what the Executive Committee reviewed."""
    list_display = ("pk", "framework_name", "period_label", "business_line_name", "published_by", "published_at")
    list_filter = ("framework", "period")
    search_fields = ("framework_name", "period_label", "commentary")
    readonly_fields = [f.name for f in Edition._meta.fields]
