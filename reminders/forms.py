from django import forms
from django.utils.translation import gettext_lazy as _


class ReminderPreferenceForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Send me reminders by email"), required=False,
        help_text=_("A daily digest of what is due or returned to you (officers), of the review queue "
                  "(managers), and a notice when a scorecard edition is published (Executive Committee)."))
