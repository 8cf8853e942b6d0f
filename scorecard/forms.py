from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import ReportingPeriod
from results.models import BusinessLine, ResultsFramework


class EditionPublishForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=ResultsFramework.objects.order_by("order", "name"),
                                       to_field_name="code")
    period = forms.ModelChoiceField(label=_("Period"), queryset=ReportingPeriod.objects.order_by("-end", "-start"),
                                    to_field_name="label")
    business_line = forms.ModelChoiceField(queryset=BusinessLine.objects.order_by("order", "name"),
                                           to_field_name="code", required=False,
                                           empty_label=_("All business lines"))
    commentary = forms.CharField(
        label=_("Reflect"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("For the Executive Committee: what is working, what is not, and why."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("publish", _("Publish this edition")))
