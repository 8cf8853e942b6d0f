"""Spreadsheet import and export pages for administrators: upload -> preview -> confirm.

Thin: the checks and writes are spreadsheets.importing (the same code the admin link and the
`import_indicators` command use); exports and templates are spreadsheets.resources and
spreadsheets.templates_xlsx; the uploaded file waits in spreadsheets.uploads between the preview
and the confirm.
"""
from functools import wraps
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import jobs, reading, uploads
from .columns import KIND_LABELS, KINDS
from .forms import UploadForm
from .importing import spreadsheet_import, spreadsheet_preview
from .models import ImportJob
from .permissions import can_import
from .reading import MAX_UPLOAD_BYTES
from .report import SAMPLE_ROWS, confirmed_counts, problems_csv
from .resources import export_csv
from .templates_xlsx import export_xlsx, template_xlsx

SHOW_PROBLEMS = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def admin_only(view):
    """Imports and exports are the Administrator's (permissions.can_import): others get 403."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied(_("Only administrators may import or export spreadsheets."))
        return view(request, *args, **kwargs)
    return wrapped


TAKE_OVER = "take_over_work_in_progress"  # the confirm form's checkbox


def _render_preview(request, preview, token, *, stale=False, work_in_progress_kept=False):
    problems = preview.problems
    return render(request, "spreadsheets/preview.html", {
        "preview": preview, "token": token, "counts": preview.counts, "stale": stale,
        "work_in_progress": preview.work_in_progress, "work_in_progress_kept": work_in_progress_kept,
        "take_over_field": TAKE_OVER,
        "problems": problems[:SHOW_PROBLEMS], "more_problems": max(0, len(problems) - SHOW_PROBLEMS),
        "samples": [(action, preview.sample(action)) for action in ("new", "changed", "unchanged")],
        "sample_limit": SAMPLE_ROWS,
        "can_confirm": preview.ok and (preview.counts["new"] or preview.counts["changed"]),
    })


@admin_only
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        token, path = uploads.save(uploaded)
        name = PurePath(uploaded.name).name
        rows = jobs.count_rows(path)
        if rows > jobs.LARGE_ROWS:  # checked by the task worker; the page follows its progress
            job = jobs.import_job_create(by=request.user, token=token, file_name=name, ext=path.suffix,
                                         kind=form.cleaned_data["kind"], rows=rows, stage=ImportJob.Stage.PREVIEW)
            uploads.remember(request, token, {"name": name, "ext": path.suffix, "kind": job.kind, "job": str(job.pk)})
            return redirect("imports:job", pk=job.pk)
        preview = spreadsheet_preview(data=path.read_bytes(), name=name, by=request.user,
                                      kind=form.cleaned_data["kind"] or None)
        if preview.kind:
            uploads.remember(request, token, {"name": name, "ext": path.suffix, "kind": preview.kind,
                                              "counts": confirmed_counts(preview)})
        else:
            path.unlink(missing_ok=True)
        return _render_preview(request, preview, token if preview.kind else "")
    return render(request, "spreadsheets/upload.html", {
        "form": form, "kinds": [(k, KIND_LABELS[k]) for k in KINDS],
        "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024, "max_rows": reading.MAX_ROWS,
    })


@admin_only
@require_POST
def confirm(request):
    token = request.POST.get("token", "")
    entry = uploads.entry(request, token)
    if entry is None:
        messages.error(request, _("That upload is no longer available (it was imported, cancelled or is more "
                                "than a day old): upload the file again."))
        return redirect("imports:upload")
    if entry.get("job"):  # a large file: its confirm runs in the background too
        return _confirm_in_background(request, token, entry)
    outcome = spreadsheet_import(data=uploads.path_of(token, entry).read_bytes(), name=entry["name"],
                                 by=request.user, kind=entry["kind"], expected=entry["counts"],
                                 take_over_work_in_progress=request.POST.get(TAKE_OVER) == "yes")
    if outcome.stale:
        entry["counts"] = confirmed_counts(outcome.preview)
        uploads.remember(request, token, entry)
        return _render_preview(request, outcome.preview, token, stale=True)
    if outcome.work_in_progress_kept:
        return _render_preview(request, outcome.preview, token, work_in_progress_kept=True)
    if not outcome.written:
        return _render_preview(request, outcome.preview, token)
    uploads.forget(request, token)
    counts = outcome.counts
    what = KIND_LABELS[outcome.preview.kind].lower()
    follow = {"measurements": _("New and changed measurements are in the review queue, submitted by you."),
              "targets": _("New and changed targets are preliminary until a manager approves them.")}
    text = _("Imported %(what)s from %(file)s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % {
        "what": what, "file": entry["name"], "new": counts["new"], "changed": counts["changed"],
        "unchanged": counts["unchanged"]}
    if outcome.preview.kind in follow:
        text += " " + follow[outcome.preview.kind]
    messages.success(request, text)
    return redirect("imports:upload")


def _confirm_in_background(request, token, entry):
    checked = ImportJob.objects.filter(pk=entry["job"], stage=ImportJob.Stage.PREVIEW,
                                       status=ImportJob.Status.DONE).first()
    if checked is None or not checked.result or not checked.result.get("can_confirm"):
        messages.error(request, _("That file has not been checked yet, or has problems: nothing was imported."))
        return redirect("imports:upload")
    job = jobs.import_job_create(by=request.user, token=token, file_name=entry["name"], ext=entry["ext"],
                                 kind=checked.result["kind"], rows=checked.rows, stage=ImportJob.Stage.IMPORT,
                                 expected=checked.result["confirmed"],
                                 take_over=request.POST.get(TAKE_OVER) == "yes")
    entry["job"] = str(job.pk)
    uploads.remember(request, token, entry)
    return redirect("imports:job", pk=job.pk)


def _job_or_404(pk):
    return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)


@admin_only
@require_GET
def job(request, pk):
    """A large import's page: a progress bar until the job is done, then its preview or its outcome."""
    found = _job_or_404(pk)
    state = jobs.import_job_state(job=found)
    found.refresh_from_db()
    result = found.result or {}
    if (found.stage == ImportJob.Stage.IMPORT and found.status == ImportJob.Status.DONE and result.get("written")):
        uploads.forget(request, found.token)
    return render(request, "spreadsheets/job.html", {
        "job": found, "state": state, "result": result, "counts": result.get("counts") or {},
        "take_over_field": TAKE_OVER, "more_problems": max(0, result.get("problem_count", 0) - jobs.SHOW_PROBLEMS),
        "token": found.token if uploads.entry(request, found.token) else "",
        "samples": result.get("samples") or [], "sample_limit": SAMPLE_ROWS,
    })


@admin_only
@require_GET
def job_status(request, pk):
    """What the job page's script polls (static/js/import_job.js)."""
    return JsonResponse(jobs.import_job_state(job=_job_or_404(pk)))


@admin_only
@require_POST
def cancel(request):
    uploads.forget(request, request.POST.get("token", ""))
    messages.info(request, _("The upload was discarded; nothing was imported."))
    return redirect("imports:upload")


@admin_only
@require_POST
def problems(request):
    """Every problem of an upload (the page lists the first thousand). POST: the token stays out of URLs."""
    token = request.POST.get("token", "")
    entry = uploads.entry(request, token)
    if entry is None:
        messages.error(request, _("That upload is no longer available: upload the file again."))
        return redirect("imports:upload")
    preview = spreadsheet_preview(data=uploads.path_of(token, entry).read_bytes(), name=entry["name"],
                                  by=request.user, kind=entry["kind"])
    response = HttpResponse(problems_csv(preview.problems), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{PurePath(entry["name"]).stem}.csv"'
    return response


@admin_only
@require_GET
def template(request, kind):
    if kind not in KINDS:
        raise Http404(_("No such template."))
    response = HttpResponse(template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


@admin_only
@require_GET
def export(request, kind, fmt):
    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        raise Http404(_("No such export."))
    if fmt == "csv":
        response = HttpResponse(export_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(export_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return response
