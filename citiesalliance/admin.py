"""The admin's user and group pages, closed to escalation from the Administrator role.

A member of the Administrator group (staff, not a superuser) manages people and their roles, but
does not see, and may not post, superuser or staff status or individual permissions, may not change
a superuser's account, and may not change a group (a role's permissions are citiesalliance/roles.py,
kept by migrations; renaming a role's group would break it). A forged POST carrying a forbidden
field is refused with 403, and citiesalliance/accounts.py, which every save goes through, refuses
it again. Each person's page ends with the record of changes to their roles, password and access.
"""
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import accounts

User = get_user_model()


def _strip(fieldsets, fields):
    """The fieldsets without `fields` (and without sections left empty)."""
    out = []
    for name, options in fieldsets:
        kept = [f for f in options.get("fields", ()) if f not in fields]
        if kept:
            out.append((name, {**options, "fields": kept}))
    return out


def _refuse_forged_fields(request, fields):
    if request.method == "POST" and not request.user.is_superuser:
        forged = sorted(f for f in fields if f in request.POST)
        if forged:
            raise PermissionDenied(_("Only a superuser may set %(fields)s.") % {"fields": ", ".join(forged)})


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(UserAdmin):
    readonly_fields = ("last_login", "date_joined", "account_history")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        if not request.user.is_superuser:
            fieldsets = _strip(fieldsets, {"user_permissions"})
        return [*fieldsets, (gettext_lazy("Record of changes to roles, password and access"), {"fields": ("account_history",)})]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return (*self.readonly_fields, "is_staff", "is_superuser")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None or "password" not in form.base_fields:
            return form
        try:
            accounts.check_may_set_password(by=request.user, person=obj)
        except PermissionDenied as exc:
            reason = str(exc)
        else:
            return form

        class ExplainedForm(form):
            """Says, where the password is shown, why this person cannot set it (on this form only:
            base_fields are shared by every form of the class)."""
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["password"].help_text = reason

        return ExplainedForm

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # shown read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        _refuse_forged_fields(request, accounts.SUPERUSER_ONLY)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            usable = data.get("set_usable_password", True)
            created = accounts.account_create(
                by=request.user, username=data["username"], password=data.get("password1") if usable else None)
            obj.pk, obj.password = created.pk, created.password
            return
        fields = {f: data[f] for f in accounts.EDITABLE if f in data}
        accounts.account_update(by=request.user, person=obj, **fields)

    def save_related(self, request, form, formsets, change):
        # Groups and permissions were set by the service (recorded); there are no inlines.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, unquote(id))
        if person is not None and self.has_change_permission(request, person):
            try:
                accounts.check_may_set_password(by=request.user, person=person)
            except PermissionDenied as exc:  # back to their page, saying why; nothing is changed
                messages.error(request, str(exc))
                return HttpResponseRedirect(reverse("admin:auth_user_change", args=[person.pk]))
            if request.method == "POST":
                form = self.change_password_form(person, request.POST)
                usable = form.is_valid() and form.cleaned_data.get("set_usable_password", True)
                if form.is_valid() and (usable or "unset-password" in request.POST):
                    accounts.account_set_password(by=request.user, person=person,
                                                  password=form.cleaned_data["password1"] if usable else None,
                                                  how="set in the admin")
                    self.log_change(request, person, "Password changed." if usable else "Password disabled.")
                    messages.success(request, _("Password changed.") if usable else _("Password sign-in disabled."))
                    if person.pk == request.user.pk:
                        update_session_auth_hash(request, person)
                    return HttpResponseRedirect(reverse("admin:auth_user_change", args=[person.pk]))
        return super().user_change_password(request, id, form_url)

    @admin.display(description=gettext_lazy("Changes"))
    def account_history(self, obj):
        rows = accounts.account_history(person=obj) if obj.pk else []
        if not rows:
            return _("No changes recorded yet.")
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
            (f"{r.at:%Y-%m-%d %H:%M} UTC", r.changed_by.get_username() if r.changed_by else "(no one signed in)",
             r.get_what_display(), r.before, r.after, r.how) for r in rows))
        return format_html('<table class="account-history"><thead><tr><th>When</th><th>Who</th><th>What</th>'
                           "<th>Before</th><th>After</th><th>How</th></tr></thead><tbody>{}</tbody></table>", body)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles: superusers only may change them; everyone else with access sees them read-only."""

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
