"""django-simple-history's admin pages, refusing ids that are not ids.

SimpleHistoryAdmin passes the object and version ids from the URL straight into a query, so
`/admin/indicators/indicator/abc/history/` was a server error (ValueError). Django's own admin views
answer such URLs with "not found"; these do the same. Every app's history admin derives from this.
"""
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def _check_id(self, field, value) -> None:
        try:
            field.to_python(unquote(str(value)))
        except (ValidationError, ValueError, TypeError):
            raise Http404(_("%(value)s is not the id of any %(model)s.") % {
                "value": repr(value), "model": self.model._meta.verbose_name}) from None

    def history_view(self, request, object_id, extra_context=None):
        self._check_id(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_id(self.model._meta.pk, object_id)
        self._check_id(self.model.history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
