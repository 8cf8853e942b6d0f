"""The form on which a manager defines a computed corporate indicator (issue 18): the kind of
formula, the contributing indicators (chosen among those of the programmes aligned to it) and a note.
Which choices may be saved together is the rulebook's (indicators.computed_rules), asked by the
service; the form only keeps the choices to the offered codes."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from citiesalliance.forms_util import MultilineField

from .computations import Computation


def candidate_label(candidate) -> str:
    unit = f" ({candidate.unit})" if candidate.unit else ""
    return (f"{candidate.code} — {candidate.name} · {candidate.result.framework.name} · "
            f"{candidate.get_measure_display()}{unit}, {candidate.get_aggregation_display().lower()}")


class ComputationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Formula"), choices=Computation.Kind.choices, widget=forms.RadioSelect,
                             initial=Computation.Kind.SUM)
    contributions = forms.MultipleChoiceField(
        label=_("Contributing indicators"), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Indicators of the country programmes whose results align to this indicator's result. "
                    "A sum adds indicators of the same measure and unit."))
    note = MultilineField(label=_("Note"), required=False, max_length=2000,
                          widget=forms.Textarea(attrs={"rows": 3}),
                          help_text=_("Why the indicator is computed this way (shown on its page)."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, candidates, removable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributions"].choices = [(c.code, candidate_label(c)) for c in candidates]
        self.helper = FormHelper()
        self.helper.add_input(Submit("action_save", _("Save the computation")))
        if removable:
            remove = Submit("action_remove", _("Remove the computation"))
            remove.field_classes = "btn btn-outline-danger ms-1"
            self.helper.add_input(remove)

    def clean(self):
        cleaned = super().clean()
        if self.has_error("version"):  # a hidden field: its own error would not show on the page
            self.add_error(None, _("The form was incomplete; reload the page and try again."))
        return cleaned
