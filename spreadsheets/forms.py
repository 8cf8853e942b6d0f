"""The upload form of the import pages."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .columns import KIND_LABELS, KINDS
from .reading import MAX_UPLOAD_BYTES, check_upload


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    kind = forms.ChoiceField(label=_("Kind of data"), required=False, choices=[
        ("", _("Tell from the headers"))] + [(k, KIND_LABELS[k]) for k in KINDS])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("An Excel workbook (.xlsx) or a CSV file, at most %(limit)s MB.") % {
            "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        self.helper = FormHelper()
        self.helper.add_input(Submit("upload", _("Check the file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(name=upload.name, size=upload.size)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload
