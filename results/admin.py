from django import http
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from mptt.admin import DraggableMPTTAdmin

from . import services

from .models import Alignment, BusinessLine, Result, ResultsFramework


@admin.register(ResultsFramework)
class ResultsFrameworkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "order")


@admin.register(BusinessLine)
class BusinessLineAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")


@admin.register(Result)
class ResultAdmin(DraggableMPTTAdmin):
    """Draggable tree; model clean() keeps the level rules (a drop that breaks them is refused)."""
    list_display = ("tree_actions", "indented_title", "code", "level", "framework", "business_line")
    list_display_links = ("indented_title",)
    list_filter = ("framework", "level", "business_line")
    search_fields = ("code", "statement")

    def _move_node(self, request):
        """A drag in the tree goes through the same serialised, rule-checking service as the forms."""
        queryset = self.get_queryset(request)
        try:
            cut_item = queryset.get(pk=request.POST.get("cut_item"))
            pasted_on = queryset.get(pk=request.POST.get("pasted_on"))
        except (Result.DoesNotExist, TypeError, ValueError):
            self.message_user(request, "Those results no longer exist; reload the page.", level=messages.ERROR)
            return http.HttpResponse("FAIL, invalid objects.")
        if not self.has_change_permission(request, cut_item):
            self.message_user(request, "You may not move results.", level=messages.ERROR)
            return http.HttpResponse("FAIL, no permission.")
        try:
            services.result_place(result=cut_item, target=pasted_on, position=request.POST.get("position"))
        except ValidationError as exc:
            self.message_user(request, f"{cut_item.code} was not moved: {' '.join(exc.messages)}",
                              level=messages.ERROR)
            return http.HttpResponse("FAIL, invalid move.")
        self.message_user(request, f"{cut_item.code} has been moved.")
        return http.HttpResponse("OK, moved.")


@admin.register(Alignment)
class AlignmentAdmin(admin.ModelAdmin):
    list_display = ("source", "relation", "target")
    list_select_related = ("source", "target")
    autocomplete_fields = ("source", "target")
