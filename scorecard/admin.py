from django.contrib import admin

from .models import Edition


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """Read-only: an edition is a record of what the Executive Committee reviewed."""
    list_display = ("pk", "framework_name", "period_label", "business_line_name", "published_by", "published_at")
    list_filter = ("framework", "period")
    search_fields = ("framework_name", "period_label", "commentary")
    readonly_fields = [f.name for f in Edition._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
