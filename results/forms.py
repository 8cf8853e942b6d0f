from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from citiesalliance.forms_util import MultilineField

from .levels import LEVEL_CHOICES
from .models import Alignment, BusinessLine, Result, ResultsFramework


class _CrispyForm(forms.Form):
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class ResultChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} ({obj.get_level_display()}): {obj.statement[:70]}"


class ResultForm(_CrispyForm):
    """Fields of a result; the tree rules are checked by the service (model clean)."""
    parent = ResultChoiceField(queryset=Result.objects.none(), required=False,
                               help_text=_("Leave empty only for the framework's Impact."))
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVEL_CHOICES, coerce=int)
    code = forms.CharField(label=_("Code"), max_length=30, help_text=_("For example CORP-OUT-2."))
    statement = MultilineField(label=_("Statement (English)"), widget=forms.Textarea(attrs={"rows": 3}))
    description = MultilineField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    business_line = forms.ModelChoiceField(label=_("Business line"), queryset=BusinessLine.objects.all(), required=False,
                                           help_text=_("Outputs and activities only."))
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0,
                               help_text=_("Position among its siblings."))
    assumptions = MultilineField(label=_("Assumptions"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  help_text=_("What must hold for this result to lead to the one above."))
    beneficiary = forms.ChoiceField(label=_("Whose change"), choices=[("", "—")] + list(Result.Beneficiary.choices),
                                    required=False)
    # The statement in the partners' languages (issue 19); a reader of a language left blank gets English.
    statement_fr = MultilineField(label=_("Statement in French"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2, "lang": "fr"}))
    statement_es = MultilineField(label=_("Statement in Spanish"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2, "lang": "es"}))
    statement_pt = MultilineField(label=_("Statement in Portuguese"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2, "lang": "pt"}))

    def __init__(self, *args, framework: ResultsFramework, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Result.objects.filter(framework=framework).order_by("tree_id", "lft")
        if editing:
            # Moving is its own form: it re-numbers the tree.
            del self.fields["parent"]
        translations = ("statement_fr", "statement_es", "statement_pt")
        self.helper.layout = Layout(
            *[name for name in self.fields if name not in translations],
            Fieldset(_("Translations"), *translations, css_class="border rounded p-2 mb-3"),
        )


class ResultMoveForm(_CrispyForm):
    submit_label = _("Move")
    parent = ResultChoiceField(queryset=Result.objects.none(), help_text=_("The new parent, one level above."))
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, help_text=_("Position among its new siblings."))

    def __init__(self, *args, result: Result, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            Result.objects.filter(framework_id=result.framework_id).exclude(pk=result.pk).order_by("tree_id", "lft")
        )


class AlignmentForm(_CrispyForm):
    source = ResultChoiceField(queryset=Result.objects.none(), help_text=_("The result that aligns…"))
    relation = forms.ChoiceField(label=_("Relation"), choices=Alignment.Relation.choices)
    target = ResultChoiceField(queryset=Result.objects.none(), help_text=_("…to this result, in another framework."))
    note = MultilineField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Result.objects.select_related("framework").order_by("framework__order", "tree_id", "lft")
        self.fields["source"].queryset = qs
        self.fields["target"].queryset = qs


class ConfirmDeleteForm(_CrispyForm):
    submit_label = _("Delete")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.inputs[0].field_classes = "btn btn-danger"
