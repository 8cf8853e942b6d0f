"""The admin's way to the imports (spreadsheets/admin.py), on a site of its own."""
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from spreadsheets import admin as admin_imports


def test_install_adds_the_admin_url_and_index_panel(administrator, manager):
    site = admin.AdminSite(name="imports_test_admin")
    admin_imports.install(site)
    admin_imports.install(site)  # once only
    names = [getattr(p, "name", None) for p in site.get_urls()]
    assert names.count("spreadsheet_imports") == 1
    assert site.index_template == "spreadsheets/admin_index.html"
    request = RequestFactory().get("/admin/")
    request.user = administrator
    html = site.index(request).render().content.decode()
    assert "Spreadsheet imports" in html and reverse("imports:upload") in html
    request.user = manager
    manager.is_staff = True
    assert "Spreadsheet imports" not in site.index(request).render().content.decode()


def test_the_admin_link_leads_to_the_browser_flow(administrator, rf):
    request = rf.get("/admin/imports/")
    request.user = administrator
    response = admin_imports.imports_redirect(request)
    assert response.status_code == 302 and response["Location"] == reverse("imports:upload")
