"""Every edit form of the site, opened and saved unchanged in Chromium, changes nothing.

What the browser sends back is what it was given, after its own parsing: a date rendered in a
format a `type="date"` input rejects comes back empty, a number formatted for reading may come back
different. The test client never sees that; this test does. After each save it compares every
table of the domain apps, their history tables included, with the snapshot taken before.
"""
import re

import pytest
from django.apps import apps

expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)").expect

from .conftest import login, logout  # noqa: E402 (after the skip above)

DOMAIN_APPS = ("results", "indicators", "scorecard")


def snapshot() -> dict:
    """Every row of every domain table and history table, by table."""
    tables = {}
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            tables[model._meta.db_table] = list(model.objects.order_by("pk").values())
    return tables


def differences(before: dict, after: dict) -> list[str]:
    found = []
    for table, rows in after.items():
        old = before.get(table, [])
        if rows != old:
            key = "history_id" if rows and "history_id" in rows[0] else "id"
            old_by_pk = {r[key]: r for r in old}
            changes = []
            for row in rows:
                was = old_by_pk.get(row[key])
                if was is None:
                    changes.append(f"new row {row}")
                elif was != row:
                    changes.append(", ".join(f"{k}: {was[k]!r} -> {v!r}" for k, v in row.items() if was[k] != v))
            found.append(f"{table}: {len(old)} -> {len(rows)} rows; {changes[:3]}")
    return found


def save_unchanged(page, url: str, button: str | re.Pattern):
    """Open the form, press its save button without touching a field, and return the page reached."""
    page.goto(url)
    expect(page.locator("main form, #content form").first).to_be_visible()
    page.get_by_role("button", name=button).first.click()
    page.wait_for_load_state("load")
    errors = page.locator(".invalid-feedback, .errorlist, .alert-danger, .errornote").all_inner_texts()
    assert errors == [], f"{url}: saving the form unchanged was refused: {errors}"


def round_trip(page, forms: list[tuple[str, str | re.Pattern]]):
    before = snapshot()
    for url, button in forms:
        save_unchanged(page, url, button)
        after = snapshot()
        assert differences(before, after) == [], f"saving {url} unchanged changed the data"
        before = after


def site_forms() -> list[tuple[str, str | re.Pattern]]:
    """The site's own edit forms for every demo record they can edit."""
    from indicators.models import Baseline, Indicator, Measurement, Target
    from results.models import Alignment, Result

    forms = []
    for indicator in Indicator.objects.order_by("code"):
        forms.append((f"/indicators/{indicator.code}/edit/", "Save"))
    for baseline in Baseline.objects.select_related("indicator").order_by("indicator__code"):
        forms.append((f"/indicators/{baseline.indicator.code}/baseline/", "Save baseline"))
    for target in Target.objects.select_related("indicator", "period").order_by("indicator__code", "period__end"):
        forms.append((f"/indicators/{target.indicator.code}/targets/{target.period.label}/edit/",
                      re.compile("^(Save preliminary target|Propose revision)$")))
    for m in (Measurement.objects.exclude(status=Measurement.Status.SUBMITTED)
              .select_related("indicator", "period").order_by("indicator__code", "period__end")):
        forms.append((f"/indicators/{m.indicator.code}/measurements/{m.period.label}/edit/", "Save as draft"))
    for result in Result.objects.order_by("tree_id", "lft"):
        forms.append((f"/results/{result.code}/edit/", "Save"))
        if result.parent_id:
            forms.append((f"/results/{result.code}/move/", "Move"))
    for alignment in Alignment.objects.order_by("pk"):
        forms.append((f"/alignments/{alignment.pk}/edit/", "Save"))
    return forms


def admin_forms() -> list[tuple[str, str]]:
    """The admin's change forms of the domain models (the indicator data and the reporting periods
    are read-only there: see test_reporting_periods_are_read_only_in_the_admin)."""
    from indicators.models import PerformanceStandard
    from results.models import Alignment, BusinessLine, Result, ResultsFramework

    forms = []
    for model in (ResultsFramework, BusinessLine, Result, Alignment, PerformanceStandard):
        meta = model._meta
        for pk in model.objects.order_by("pk").values_list("pk", flat=True):
            forms.append((f"/admin/{meta.app_label}/{meta.model_name}/{pk}/change/", "Save"))
    return forms


def test_every_site_form_saved_unchanged_changes_nothing(page, site_data):
    forms = site_forms()
    assert len(forms) > 40  # indicators, baselines, targets, measurements, results, moves, alignments
    login(page, "manager")
    round_trip(page, forms)
    logout(page)


def test_every_admin_change_form_saved_unchanged_changes_nothing(page, site_data):
    forms = admin_forms()
    assert len(forms) > 30
    login(page, "admin")
    round_trip(page, forms)


def test_reporting_periods_are_read_only_in_the_admin(page, site_data):
    """Periods are made by the system: their admin page shows them and offers no Save."""
    from indicators.models import ReportingPeriod

    period = ReportingPeriod.objects.order_by("pk").first()
    login(page, "admin")
    page.goto(f"/admin/indicators/reportingperiod/{period.pk}/change/")
    expect(page.locator("#content")).to_contain_text(period.label)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)


def test_dates_come_back_as_they_were_shown(page, site_data):
    """The planned baseline's due date is shown in the date picker and kept when saved."""
    from indicators.models import Baseline

    planned = Baseline.objects.select_related("indicator").get(indicator__code="SEC-OUT-3-I1", status="planned")
    login(page, "officer")
    page.goto(f"/indicators/{planned.indicator.code}/baseline/")
    expect(page.get_by_label("Due date")).to_have_value(planned.due_date.isoformat())
    page.get_by_label("Source").fill("Website analytics, set up this year.")
    page.get_by_role("button", name="Save baseline").click()
    expect(page.get_by_text(f"Baseline of {planned.indicator.code} saved.")).to_be_visible()
    planned.refresh_from_db()
    assert planned.due_date is not None and planned.source == "Website analytics, set up this year."
    newest = page.get_by_role("region", name="History").get_by_role("row").nth(1)  # after the header
    expect(newest).to_contain_text("Source:")
    expect(newest).not_to_contain_text("Due date")
