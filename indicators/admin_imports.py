"""The Django admin's way to the spreadsheet imports: a panel on the admin index and /admin/imports/.

Both lead to the browser flow (indicators.import_views), so the admin, the pages and the command run
the same import code. Wired by importing this module once, e.g. from indicators/admin.py:

    from . import admin_imports  # noqa: F401  (spreadsheet import links in the admin)
"""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path

from .imports import can_import

INDEX_TEMPLATE = "imports/admin_index.html"


def imports_redirect(request):
    if not can_import(request.user):
        raise PermissionDenied("Only administrators may import spreadsheets.")
    return redirect("imports:upload")


def install(site: admin.AdminSite = admin.site) -> None:
    """Add /admin/imports/ and the index panel to `site` (once)."""
    if getattr(site, "_spreadsheet_imports", False):
        return
    site._spreadsheet_imports = True
    original = site.get_urls

    def get_urls():
        return [path("imports/", site.admin_view(imports_redirect), name="spreadsheet_imports")] + original()

    site.get_urls = get_urls
    if site.index_template is None:  # someone else's index template wins; the URL still works
        site.index_template = INDEX_TEMPLATE


install()
