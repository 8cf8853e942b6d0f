from django import http
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from mptt.admin import DraggableMPTTAdmin

from citiesalliance.admin_util import TranslationsAdminMixin, UnchangedSaveMixin

from . import programmes, services
from .models import Alignment, BusinessLine, ProgrammeRole, Result, ResultsFramework


@admin.register(ResultsFramework)
class ResultsFrameworkAdmin(UnchangedSaveMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "first_fiscal_year", "last_fiscal_year", "order")
    list_filter = ("kind",)
    search_fields = ("code", "name", "description")


@admin.register(BusinessLine)
class BusinessLineAdmin(UnchangedSaveMixin, admin.ModelAdmin):
    list_display = ("code", "name", "order")
    search_fields = ("code", "name", "description")


@admin.register(Result)
class ResultAdmin(TranslationsAdminMixin, UnchangedSaveMixin, DraggableMPTTAdmin):
    """Draggable tree; model clean() keeps the level rules (a drop that breaks them is refused)."""
    translated = ("statement",)
    list_display = ("tree_actions", "indented_title", "code", "level", "framework", "business_line")
    list_display_links = ("indented_title",)
    list_filter = ("framework", "level", "business_line")
    search_fields = ("code", "statement")

    # Adding, editing and deleting in the admin go through the same serialised services as the
    # site's forms, so the tree lock and the level rules hold here too.
    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        data = {f: form.cleaned_data[f] for f in services.UPDATABLE_FIELDS if f in form.cleaned_data}
        if not change:
            created = services.result_create(framework=form.cleaned_data["framework"],
                                              parent=form.cleaned_data.get("parent"), **data)
            obj.pk = created.pk
            return
        stored = Result.objects.get(pk=obj.pk)
        services.result_update(result=stored, **data)
        if form.cleaned_data.get("parent") != stored.parent:
            services.result_move(result=stored, parent=form.cleaned_data.get("parent"))

    def delete_model(self, request, obj):
        services.result_delete(result=obj)

    def delete_queryset(self, request, queryset):
        for result in queryset.order_by("-mptt_level"):  # leaves first
            services.result_delete(result=result)

    def _move_node(self, request):
        """A drag in the tree goes through the same serialised, rule-checking service as the forms."""
        queryset = self.get_queryset(request)
        try:
            cut_item = queryset.get(pk=request.POST.get("cut_item"))
            pasted_on = queryset.get(pk=request.POST.get("pasted_on"))
        except (Result.DoesNotExist, TypeError, ValueError):
            self.message_user(request, _("Those results no longer exist; reload the page."), level=messages.ERROR)
            return http.HttpResponse("FAIL, invalid objects.")
        if not self.has_change_permission(request, cut_item):
            self.message_user(request, _("You may not move results."), level=messages.ERROR)
            return http.HttpResponse("FAIL, no permission.")
        try:
            services.result_place(result=cut_item, target=pasted_on, position=request.POST.get("position"))
        except ValidationError as exc:
            self.message_user(request, _("%(code)s was not moved: %(reason)s") % {
                "code": cut_item.code, "reason": " ".join(exc.messages)}, level=messages.ERROR)
            return http.HttpResponse("FAIL, invalid move.")
        self.message_user(request, _("%(code)s has been moved.") % {"code": cut_item.code})
        return http.HttpResponse("OK, moved.")


@admin.register(Alignment)
class AlignmentAdmin(UnchangedSaveMixin, admin.ModelAdmin):
    list_display = ("source_code", "relation", "target_code", "note")
    list_filter = ("relation", "source__framework", "target__framework")
    search_fields = ("source__code", "target__code", "note")

    @admin.display(description=_("Source"), ordering="source__code")
    def source_code(self, obj):
        return obj.source.code

    @admin.display(description=pgettext_lazy("alignment", "Target"), ordering="target__code")
    def target_code(self, obj):
        return obj.target.code
    list_select_related = ("source", "target")
    autocomplete_fields = ("source", "target")


@admin.register(ProgrammeRole)
class ProgrammeRoleAdmin(admin.ModelAdmin):
    """Administrators give and take programme roles here; each change goes through results.programmes,
    which records it on the person's account history (citiesalliance.accounts)."""
    list_display = ("person", "framework", "role", "granted_at")
    list_filter = ("framework", "role")
    search_fields = ("person__username", "person__first_name", "person__last_name", "framework__code")
    fields = ("person", "framework", "role")

    def get_readonly_fields(self, request, obj=None):
        return ("person", "framework") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = programmes.programme_role_set(by=request.user, person=obj.person, framework=obj.framework,
                                              role=obj.role)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        programmes.programme_role_remove(by=request.user, programme_role=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("person"):
            programmes.programme_role_remove(by=request.user, programme_role=obj)
