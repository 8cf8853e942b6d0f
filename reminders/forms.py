from django import forms


class ReminderPreferenceForm(forms.Form):
    enabled = forms.BooleanField(
        label="Send me reminders by email", required=False,
        help_text="A daily digest of what is due or returned to you (officers), of the review queue "
                  "(managers), and a notice when a scorecard edition is published (Executive Committee).")
