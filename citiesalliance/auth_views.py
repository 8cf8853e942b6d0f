"""Signing in, and people's own passwords: Django's views, with the site's rules on top.

- The password-reset pages work only when mail is configured (EMAIL_URL): otherwise they would tell
  people an email was sent when nothing was. Without it they answer 404 with a page saying to ask an
  administrator, and the login page says the same. Public pages name no one (an account name shown
  to anyone is half a login); the signed-in no-role page does.
- A password changed by its owner or through a reset link goes through citiesalliance/accounts.py,
  so it is recorded on the person's admin page like any other change.
"""
from functools import wraps

from django.conf import settings
from django.contrib.auth import update_session_auth_hash, views
from django.http import HttpResponseRedirect
from django.shortcuts import render

from . import accounts


def reset_by_email_enabled() -> bool:
    return bool(getattr(settings, "EMAIL_CONFIGURED", False))


def needs_mail(view):
    """The reset pages exist only where mail can be sent (keeps the view's login_not_required)."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not reset_by_email_enabled():
            return render(request, "registration/password_reset_off.html", status=404)
        return view(request, *args, **kwargs)
    return wrapped


class LoginView(views.LoginView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reset_by_email"] = reset_by_email_enabled()
        return context


class PasswordChangeView(views.PasswordChangeView):
    def form_valid(self, form):
        accounts.account_set_password(by=self.request.user, person=form.user,
                                      password=form.cleaned_data["new_password1"], how="changed by themselves")
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(views.PasswordResetConfirmView):
    def form_valid(self, form):
        # The link's token proved who this is; no one is signed in to name as the changer.
        accounts.account_set_password(by=None, person=form.user, password=form.cleaned_data["new_password1"],
                                      how="reset by an emailed link")
        del self.request.session[views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())
