"""A person's own reminder settings: on or off, and what was sent lately. Thin: parse, call, render."""
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import ReminderPreferenceForm


@require_http_methods(["GET", "POST"])
def preferences(request):
    enabled = selectors.reminders_enabled(person=request.user)
    form = ReminderPreferenceForm(request.POST if request.method == "POST" else None, initial={"enabled": enabled})
    if request.method == "POST" and form.is_valid():
        preference = services.reminder_preference_set(person=request.user, enabled=form.cleaned_data["enabled"])
        messages.success(request, _("Reminders are on: you will get them by email.") if preference.enabled
                         else _("Reminders are off: the site will not email you reminders."))
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {
        "form": form, "enabled": enabled, "recent": selectors.recent_sent(person=request.user),
        "email_configured": getattr(settings, "EMAIL_CONFIGURED", False),
    })
