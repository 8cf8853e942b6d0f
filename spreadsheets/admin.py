"""The Django admin's way to the spreadsheet imports: a panel on the admin index and /admin/imports/.

Both lead to the browser flow (spreadsheets.views), so the admin, the pages and the command run the
same import code. The admin's autodiscovery imports this module, which installs both on the
default site.
"""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .permissions import can_import

INDEX_TEMPLATE = "spreadsheets/admin_index.html"


def imports_redirect(request):
    if not can_import(request.user):
        raise PermissionDenied(_("Only administrators may import spreadsheets."))
    return redirect("imports:upload")


def install(site: admin.AdminSite = admin.site) -> None:
    """Add /admin/imports/ and the index panel to `site` (once)."""
    if getattr(site, "spreadsheet_imports_installed", False):
        return
    site.spreadsheet_imports_installed = True
    original = site.get_urls

    def get_urls():
        return [path("imports/", site.admin_view(imports_redirect), name="spreadsheet_imports")] + original()

    site.get_urls = get_urls
    if site.index_template is None:  # someone else's index template wins; the URL still works
        site.index_template = INDEX_TEMPLATE


install()
