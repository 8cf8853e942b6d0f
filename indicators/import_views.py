"""Spreadsheet import and export pages for administrators: upload -> preview -> confirm.

Thin: the checks and writes are indicators.imports (the same code the admin link and the
`import_indicators` command use); exports and templates are indicators.resources. The uploaded file
is kept under MEDIA_ROOT/imports/<random>.<ext> between the preview and the confirm, named in the
session, and checked again on confirm (the data may have changed in between).
"""
import csv
import io
import time
import uuid
from functools import wraps
from pathlib import Path, PurePath

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import imports, resources

SESSION_KEY = "spreadsheet_imports"
STORE = "imports"
KEEP_SECONDS = 24 * 3600  # uploads nobody confirmed are removed after a day
SHOW_PROBLEMS = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def admin_only(view):
    """Imports and exports are the Administrator's (imports.can_import): others get 403."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not imports.can_import(request.user):
            raise PermissionDenied("Only administrators may import or export spreadsheets.")
        return view(request, *args, **kwargs)
    return wrapped


class UploadForm(forms.Form):
    file = forms.FileField(label="Spreadsheet", help_text=(
        f"An Excel workbook (.xlsx) or a CSV file, at most {imports.MAX_UPLOAD_BYTES // 1024 // 1024} MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    kind = forms.ChoiceField(label="Kind of data", required=False, choices=[
        ("", "Tell from the headers")] + [(k, imports.KIND_LABELS[k]) for k in imports.KINDS])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("upload", "Check the file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            imports.check_upload(name=upload.name, size=upload.size)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload


def _store_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / STORE


def _prune() -> None:
    directory = _store_dir()
    if not directory.is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for path in directory.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _path(token: str, entry: dict) -> Path:
    return _store_dir() / f"{token}{entry['ext']}"


def _entry(request, token: str) -> dict | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or not _path(token, entry).is_file():
        return None
    return entry


def _remember(request, token: str, entry: dict) -> None:
    stored = request.session.get(SESSION_KEY, {})
    stored[token] = entry
    while len(stored) > 5:  # the oldest uploads drop out of the session
        stored.pop(next(iter(stored)))
    request.session[SESSION_KEY] = stored


def _forget(request, token: str) -> None:
    stored = request.session.get(SESSION_KEY, {})
    entry = stored.pop(token, None)
    request.session[SESSION_KEY] = stored
    if entry:
        _path(token, entry).unlink(missing_ok=True)


def _counts(preview) -> dict:
    return {k: v for k, v in preview.counts.items() if k != "invalid"}


def _render_preview(request, preview, token, *, stale=False):
    problems = preview.problems
    return render(request, "imports/preview.html", {
        "preview": preview, "token": token, "counts": preview.counts, "stale": stale,
        "problems": problems[:SHOW_PROBLEMS], "more_problems": max(0, len(problems) - SHOW_PROBLEMS),
        "samples": [(action, preview.sample(action)) for action in ("new", "changed", "unchanged")],
        "sample_limit": imports.SAMPLE_ROWS,
        "can_confirm": preview.ok and (preview.counts["new"] or preview.counts["changed"]),
    })


@admin_only
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        _prune()
        token = uuid.uuid4().hex
        extension = PurePath(uploaded.name).suffix.lower()
        directory = _store_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{token}{extension}"
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        name = PurePath(uploaded.name).name
        preview = imports.spreadsheet_preview(data=path.read_bytes(), name=name, by=request.user,
                                              kind=form.cleaned_data["kind"] or None)
        if preview.kind:
            _remember(request, token, {"name": name, "ext": extension, "kind": preview.kind,
                                       "counts": _counts(preview)})
        else:
            path.unlink(missing_ok=True)
        return _render_preview(request, preview, token if preview.kind else "")
    return render(request, "imports/upload.html", {
        "form": form, "kinds": [(k, imports.KIND_LABELS[k]) for k in imports.KINDS],
        "max_mb": imports.MAX_UPLOAD_BYTES // 1024 // 1024,
    })


@admin_only
@require_POST
def confirm(request):
    token = request.POST.get("token", "")
    entry = _entry(request, token)
    if entry is None:
        messages.error(request, "That upload is no longer available (it was imported, cancelled or is more "
                                "than a day old): upload the file again.")
        return redirect("imports:upload")
    outcome = imports.spreadsheet_import(data=_path(token, entry).read_bytes(), name=entry["name"],
                                         by=request.user, kind=entry["kind"], expected=entry["counts"])
    if outcome.stale:
        entry["counts"] = _counts(outcome.preview)
        _remember(request, token, entry)
        return _render_preview(request, outcome.preview, token, stale=True)
    if not outcome.written:
        return _render_preview(request, outcome.preview, token)
    _forget(request, token)
    counts = outcome.counts
    what = imports.KIND_LABELS[outcome.preview.kind].lower()
    follow = {"measurements": " New and changed measurements are in the review queue, submitted by you.",
              "targets": " New and changed targets are preliminary until a manager approves them."}
    messages.success(request, f"Imported {what} from {entry['name']}: {counts['new']} new, {counts['changed']} "
                              f"changed, {counts['unchanged']} unchanged.{follow.get(outcome.preview.kind, '')}")
    return redirect("imports:upload")


@admin_only
@require_POST
def cancel(request):
    _forget(request, request.POST.get("token", ""))
    messages.info(request, "The upload was discarded; nothing was imported.")
    return redirect("imports:upload")


@admin_only
@require_POST
def problems_csv(request):
    """Every problem of an upload (the page lists the first thousand). POST: the token stays out of URLs."""
    token = request.POST.get("token", "")
    entry = _entry(request, token)
    if entry is None:
        messages.error(request, "That upload is no longer available: upload the file again.")
        return redirect("imports:upload")
    preview = imports.spreadsheet_preview(data=_path(token, entry).read_bytes(), name=entry["name"],
                                          by=request.user, kind=entry["kind"])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Row", "Column", "Value", "Problem"])
    for p in preview.problems:
        writer.writerow([p.row or "", p.column, p.value, p.message])
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{PurePath(entry["name"]).stem}.csv"'
    return response


@admin_only
@require_GET
def template(request, kind):
    if kind not in imports.KINDS:
        raise Http404("No such template.")
    response = HttpResponse(resources.template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


@admin_only
@require_GET
def export(request, kind, fmt):
    if kind not in imports.KINDS or fmt not in ("csv", "xlsx"):
        raise Http404("No such export.")
    if fmt == "csv":
        response = HttpResponse(resources.export_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(resources.export_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return response
