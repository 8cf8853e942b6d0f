"""Entry forms (crispy, Bootstrap 5). Values are parsed by indicators.validation, as in the services
and the importer; the services then check the rules again inside their transaction."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citiesalliance import roles
from citiesalliance.forms_util import MultilineField
from results.forms import ResultChoiceField
from results.models import Result

from . import rules, validation
from .models import Baseline, Dimension, Indicator, Rating, Target
from .part_forms import PartsMixin
from .periods import HALF, QUARTER, YEAR, PeriodSpec

RATING_CHOICES = [("", "—")] + list(Rating.choices)


def iso_date_input() -> forms.DateInput:
    """A browser date picker: `type="date"` accepts only ISO dates (2014-03-31); a date rendered in
    the locale's format ("31/03/2014") is rejected by the browser, which then submits it empty."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def period_choices(indicator: Indicator, *, measured: bool = False) -> list[tuple[str, str]]:
    """The framework's fiscal years, with halves or quarters for indicators collected more often.

    measured=True: only the periods a measurement may take, those of the indicator's frequency
    (rules.check_measurement_period), so that a year and its quarters are never both recorded."""
    framework = indicator.result.framework
    kind = rules.MEASURED_KIND.get(indicator.frequency, YEAR)
    choices = [("", "—")]
    for year in range(framework.first_fiscal_year, framework.last_fiscal_year + 1):
        if not measured or kind == YEAR:
            choices.append((PeriodSpec(YEAR, year, 0).label, _("FY%(year)s (July %(start)s to June %(year)s)") % {
                "year": year, "start": year - 1}))
        if kind == HALF:
            choices += [(PeriodSpec(HALF, year, n).label,) * 2 for n in (1, 2)]
        elif kind == QUARTER:
            choices += [(PeriodSpec(QUARTER, year, n).label,) * 2 for n in (1, 2, 3, 4)]
    return choices


class _Crispy:
    def unchanged(self) -> bool:
        """Whether the posted form says what it opened with (call after is_valid()): then saving
        would change nothing, and the view saves nothing (no new version, no history row).

        A figure counts as unchanged when it parses to the same number ("2,000" for 2000)."""
        changed = set(self.changed_data) - {"version"}
        if "value" in changed and getattr(self, "indicator", None) is not None:
            try:
                before = validation.clean_figure(measure=self.indicator.measure, value=self.initial.get("value"),
                                                 required=False).value
            except ValidationError:
                before = object()
            figure = self.cleaned_data.get("figure")
            if figure is not None and figure.value == before:
                changed.discard("value")
        return not changed

    def _helper(self, *buttons):
        self.helper = FormHelper()
        for name, label, css in buttons:
            button = Submit(name, label)
            button.field_classes = f"btn {css} me-1"
            self.helper.add_input(button)


class _ValueFieldsMixin:
    """value (typed text: "1,200", "45%") or rating, depending on the indicator's measure."""

    def _value_fields(self, indicator: Indicator, *, required: bool, value_help: str = ""):
        self.indicator = indicator
        if indicator.measure == Indicator.Measure.RATING:
            del self.fields["value"]
        else:
            del self.fields["rating"]
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.unit} if indicator.unit else _(
                "Value")
            hints = {
                Indicator.Measure.PERCENTAGE: _("A percentage from 0 to 100, e.g. 45 or 45%."),
                Indicator.Measure.YES_NO: _("Yes or no."),
                Indicator.Measure.CURRENCY: _("An amount, e.g. 1,250,000."),
            }
            self.fields["value"].help_text = value_help or hints.get(indicator.measure,
                                                                                  _("A number, e.g. 1,200 or 12.5."))
        if "rating" in self.fields:
            self.fields["rating"].required = required
        if "value" in self.fields:
            self.fields["value"].required = required

    def _clean_figure(self, cleaned, *, required: bool):
        try:
            figure = validation.clean_figure(measure=self.indicator.measure, value=cleaned.get("value"),
                                             rating=cleaned.get("rating"), required=required)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields:
                    self.add_error(field, messages)
                else:
                    self.add_error(None, messages)
            return cleaned
        cleaned["figure"] = figure
        return cleaned


class _ReasonMixin:
    """The reason for a change that goes to a manager: asked only when the rulebook would send the
    change to review (the indicator has approved measurements; indicators.rules)."""

    def _reason_field(self, *, under_review: bool, what: str):
        if not under_review:
            del self.fields["reason"]
            return
        self.fields["reason"].help_text = _(
            "This indicator has approved measurements: a change to %(what)s goes to a manager for review, "
            "and the scorecard keeps the approved figures until it is approved. Say why it is needed.") % {
                "what": what}


class _PeriodMixin:
    measured_period = False  # a measurement's period must be of the indicator's frequency

    def _period_field(self, indicator: Indicator, *, fixed_period=None, required: bool = True):
        if fixed_period is not None:
            del self.fields["period"]
            return
        self.fields["period"].widget = forms.Select(choices=period_choices(indicator, measured=self.measured_period))
        self.fields["period"].required = required

    def clean_period(self):
        raw = self.cleaned_data.get("period")
        if not raw:
            return raw
        framework = self.indicator.result.framework
        try:
            spec = validation.clean_period(raw, first_fiscal_year=framework.first_fiscal_year,
                                           last_fiscal_year=framework.last_fiscal_year,
                                           framework=framework.name)
            if self.measured_period:
                rules.check_measurement_period(spec=spec, code=self.indicator.code,
                                                  frequency=self.indicator.frequency)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return spec.label


def _responsible_choices():
    # M&E staff, and the officers and managers of a country programme (programme roles).
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(groups__name__in=[roles.OFFICER, roles.MANAGER]) | Q(programme_roles__isnull=False))
            .distinct().order_by("first_name", "username"))


class IndicatorForm(_Crispy, _ReasonMixin, forms.ModelForm):
    result = ResultChoiceField(queryset=Result.objects.none())
    reason = forms.CharField(label=_("Reason for the change"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The name and definition in the partners' languages (issue 19); blank: the reader gets English.
    name_fr = forms.CharField(label=_("Name in French"), max_length=300, required=False)
    name_es = forms.CharField(label=_("Name in Spanish"), max_length=300, required=False)
    name_pt = forms.CharField(label=_("Name in Portuguese"), max_length=300, required=False)
    definition_fr = MultilineField(label=_("Definition in French"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2, "lang": "fr"}))
    definition_es = MultilineField(label=_("Definition in Spanish"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2, "lang": "es"}))
    definition_pt = MultilineField(label=_("Definition in Portuguese"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2, "lang": "pt"}))
    TRANSLATIONS = ("name_fr", "name_es", "name_pt", "definition_fr", "definition_es", "definition_pt")

    class Meta:
        model = Indicator
        fields = ["result", "code", "name", "definition", "kind", "measure", "unit", "direction",
                  "aggregation", "data_source", "means_of_verification", "frequency", "responsible",
                  "weight", "order"]
        labels = {"name": "Name (English)", "definition": "Definition (English)"}
        localized_fields = ["weight"]  # "1,5" in French, "1.5" in English
        field_classes = {"definition": MultilineField, "data_source": MultilineField,
                         "means_of_verification": MultilineField}
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "data_source": forms.Textarea(attrs={"rows": 2}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, under_review: bool = False, may_choose_dimensions: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._reason_field(under_review=under_review, what=_("its result or weight"))
        if may_choose_dimensions:  # a manager's choice (issue 14); the dimensions are defined in the admin
            self.fields["dimensions"] = forms.ModelMultipleChoiceField(
                queryset=Dimension.objects.order_by("order", "name"), required=False,
                widget=forms.CheckboxSelectMultiple, label=_("Disaggregated by"),
                help_text=_("Targets and measurements then take a part per value of each dimension chosen."))
            if self.instance.pk:
                self.initial.setdefault("dimensions", list(self.instance.dimensions.values_list("pk", flat=True)))
        self.fields["result"].queryset = Result.objects.select_related("framework").order_by(
            "framework__order", "tree_id", "lft")
        self.fields["responsible"].queryset = _responsible_choices()
        self.fields["responsible"].label = _("Responsible person")
        self.fields["kind"].help_text = _("Qualitative indicators are rated (on track, needs attention, off track).")
        for lang in ("fr", "es", "pt"):
            self.fields[f"name_{lang}"].widget.attrs["lang"] = lang
        if self.instance.pk:  # the stored texts, not those of the language the editor reads in
            for field in ("name", "definition", *self.TRANSLATIONS):
                stored = f"{field}_en" if field in ("name", "definition") else field
                self.initial.setdefault(field, getattr(self.instance, stored) or "")
            for field in ("name", "definition"):
                self.initial[field] = getattr(self.instance, f"{field}_en") or ""
        self._helper(("save", _("Save"), "btn-primary"))
        self.helper.layout = Layout(
            *[name for name in self.fields if name not in self.TRANSLATIONS],
            Fieldset(_("Translations"), *self.TRANSLATIONS, css_class="border rounded p-2 mb-3"),
        )

    def _post_clean(self):
        """The service checks the model rules (inside its transaction); don't check them twice here."""

    def service_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "reason", "dimensions")}


class BaselineForm(_Crispy, _ValueFieldsMixin, _PeriodMixin, _ReasonMixin, PartsMixin, forms.Form):
    value = forms.CharField(label=_("Value"), required=False, max_length=40)
    rating = forms.CharField(label=_("Rating"), required=False)  # unused: a qualitative baseline is described in words
    text = MultilineField(label=_("Baseline (in words)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period = forms.CharField(label=_("Period"), required=False, help_text=_("The period the baseline describes."))
    as_of = forms.DateField(label=_("As of"), required=False, widget=iso_date_input(),
                            help_text=_("Or the date it was measured."))
    source = MultilineField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label=_("Status"), choices=Baseline.Status.choices, initial=Baseline.Status.COLLECTED)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=iso_date_input(),
                               help_text=_("When the baseline data must be collected (the collection timeline)."))
    reason = forms.CharField(label=_("Reason for the change"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, under_review: bool = False, baseline=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._reason_field(under_review=under_review, what=_("the baseline's value, period, date, status or parts"))
        self._value_fields(indicator, required=False)
        self.fields.pop("rating", None)
        if indicator.measure == Indicator.Measure.RATING:
            self.fields["text"].help_text = _("Describe the situation at the start.")
        else:
            del self.fields["text"]
        self._period_field(indicator, required=False)
        self._helper(("save", _("Save baseline"), "btn-primary"))
        # once measurements are approved, changed parts go to a manager with the rest (rules.baseline_change)
        self._part_fields(indicator, baseline, total_from_parts=False)

    def clean(self):
        cleaned = super().clean()
        parts = self._clean_parts(cleaned)
        if "value" in self.fields:
            self._clean_figure(cleaned, required=False)
            if "figure" in cleaned and parts and any(not p.empty for p in parts.values()):
                self._check_parts(self.indicator, cleaned["figure"].value, parts)
        cleaned["parts"] = parts
        return cleaned

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        figure = c.get("figure")
        return {"value": figure.value if figure else None, "text": c.get("text", ""),
                "period": c.get("period") or None, "as_of": c.get("as_of"), "source": c.get("source", ""),
                "status": c["status"], "due_date": c.get("due_date"), "version": c.get("version") or 0,
                "reason": c.get("reason", ""), "parts": c.get("parts")}


class TargetForm(_Crispy, _ValueFieldsMixin, _PeriodMixin, PartsMixin, forms.Form):
    period = forms.CharField(label=_("Period"))
    value = forms.CharField(label=_("Value"), max_length=40)
    rating = forms.ChoiceField(choices=RATING_CHOICES, label=_("Rating aimed for"))
    rationale = MultilineField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                help_text=_("Why this target. When revising an approved target, why it changes."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, target: Target | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._value_fields(indicator, required=True,
                           value_help=_("For a cumulative (sum) indicator: the total expected by the end of the period.")
                           if indicator.aggregation == Indicator.Aggregation.SUM else "")
        self._period_field(indicator, fixed_period=target.period if target else None)
        if target is not None and target.status == Target.Status.APPROVED:
            self.fields["rationale"].required = True
            self.fields["rationale"].label = _("Reason for the revision")
            self.fields["rationale"].help_text = _("This target is approved: the revision goes back to a manager; "
                                                  "the earlier value and rationale stay in the history.")
        self._helper(("save", _("Propose revision") if target and target.status == Target.Status.APPROVED
                      else _("Save preliminary target"), "btn-primary"))
        self._part_fields(indicator, target)

    def clean(self):
        cleaned = super().clean()
        parts = self._clean_parts(cleaned)
        from_parts = self.percentage and any(not p.empty for p in (parts or {}).values())
        cleaned = self._clean_figure(cleaned, required=not from_parts)
        if "figure" in cleaned:
            self._check_parts(self.indicator, cleaned["figure"].value, parts)
        cleaned["parts"] = parts
        return cleaned

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {"value": c["figure"].value, "rating": c["figure"].rating, "rationale": c.get("rationale", ""),
                "version": c.get("version") or 0, "parts": c["parts"]}


class MeasurementForm(_Crispy, _ValueFieldsMixin, _PeriodMixin, PartsMixin, forms.Form):
    measured_period = True
    period = forms.CharField(label=_("Period"))
    value = forms.CharField(label=_("Value"), required=False, max_length=40)
    rating = forms.ChoiceField(label=_("Rating"), choices=RATING_CHOICES, required=False)
    text = MultilineField(label=_("Finding (in words)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False, help_text=(
        _("PDF, Word, Excel, PowerPoint, CSV, text or image; at most 10 MB.")))
    clear_evidence = forms.BooleanField(required=False, label=_("Remove the attached file"))
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https",
                                  help_text=_("Or a link to the evidence (a report, a dataset)."))
    comment = MultilineField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    so_what = MultilineField(label=_('"So what?"'), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What happened as a result, and how the knowledge was used."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator: Indicator, measurement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._value_fields(indicator, required=False, value_help=(_(
            "What happened in this period alone, not the running total: the actual adds it to the baseline "
            "and the earlier periods' figures.") if indicator.aggregation == Indicator.Aggregation.SUM else ""))
        if indicator.measure != Indicator.Measure.RATING:
            del self.fields["text"]
        if measurement is None or not measurement.evidence:
            del self.fields["clear_evidence"]
        self._period_field(indicator, fixed_period=measurement.period if measurement else None)
        self._helper(("action_draft", _("Save as draft"), "btn-outline-primary"),
                     ("action_submit", _("Submit for review"), "btn-primary"))
        self._part_fields(indicator, measurement)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validation.check_evidence_file(name=upload.name, size=upload.size)
        return upload

    def clean(self):
        cleaned = super().clean()
        parts = self._clean_parts(cleaned)
        cleaned = self._clean_figure(cleaned, required=False)
        if "figure" in cleaned:
            self._check_parts(self.indicator, cleaned["figure"].value, parts)
        cleaned["parts"] = parts
        return cleaned

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {"parts": c["parts"], "value": c["figure"].value, "rating": c["figure"].rating, "text": c.get("text", ""),
                "evidence": c.get("evidence"), "clear_evidence": c.get("clear_evidence", False),
                "evidence_url": c.get("evidence_url", ""), "comment": c.get("comment", ""),
                "so_what": c.get("so_what", ""), "version": c.get("version") or 0}


class ReviewForm(_Crispy, forms.Form):
    note = MultilineField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           label=_("Note to the officer"),
                           help_text=_("Required when returning: say what should change."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, approve_label: str = _("Approve"), **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(("action_approve", approve_label, "btn-success"),
                     ("action_return", _("Return for revision"), "btn-outline-danger"))

    def clean(self):
        cleaned = super().clean()
        if self.has_error("version"):  # a hidden field: its own error would not show on the page
            self.add_error(None, _("The review form was incomplete; reload the page and try again."))
        return cleaned
