"""One rule, every write path: the indicator form, the service, the spreadsheet import (the upload
page and the command) and the admin give the same refusal, with the same words, and leave every
table as it was; an approved indicator's baseline changed from a spreadsheet waits for review like
one changed in the form."""
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from indicators import services
from indicators.models import Baseline, Indicator, Measurement, Proposal, Target
from spreadsheets import importing

from .spreadsheets.conftest import csv_bytes

# field -> (a value it may no longer take, the file's column)
LOCKED = {"aggregation": ("latest", "Aggregation"), "direction": ("decrease", "Direction"),
          "frequency": ("quarterly", "Frequency"),
          # a percentage cannot be summed either: the lock is what is said, as the form says it
          "measure": ("percentage", "Measure")}


def tables() -> dict:
    """Every row the change could touch, history included."""
    return {model.__name__: list(model.objects.order_by("pk").values())
            for model in (Indicator, Indicator.history.model, Baseline, Baseline.history.model, Target,
                          Measurement, Proposal)}


def form_data(indicator: Indicator, **changes) -> dict:
    data = {name: getattr(indicator, name) for name in (
        "code", "name", "definition", "kind", "measure", "unit", "direction", "aggregation", "data_source",
        "means_of_verification", "frequency", "weight", "order")}
    data.update(result=indicator.result_id, responsible=indicator.responsible_id or "",
                version=indicator.version, reason="", **changes)
    return data


@pytest.mark.parametrize("field", list(LOCKED))
def test_a_locked_change_is_refused_alike_on_every_path(scored, field, officer, administrator, client, tmp_path):
    indicator = scored["indicator"]
    new, column = LOCKED[field]
    before = tables()

    # The service (which the API and the management commands call).
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(indicator=indicator, by=officer, version=indicator.version, **{field: new})
    message = refused.value.message_dict[field][0]
    assert "CODE" not in message and "PROP-1 already has" in message
    assert tables() == before

    # The indicator form.
    client.force_login(officer)
    response = client.post(reverse("indicators:indicator_edit", args=[indicator.code]),
                           form_data(indicator, **{field: new}))
    assert response.status_code == 200 and escape(message) in response.content.decode()
    assert tables() == before

    # The spreadsheet importer, as the upload page and the command call it.
    data = csv_bytes([["Result code", "Indicator code", "Name", column],
                      [indicator.result.code, indicator.code, indicator.name, new]])
    outcome = importing.spreadsheet_import(data=data, name="indicators.csv", by=administrator)
    assert not outcome.written
    assert [(p.row, p.column, p.message) for p in outcome.preview.problems] == [(2, column, message)]
    assert tables() == before

    client.force_login(administrator)
    page = client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile("indicators.csv", data, content_type="text/csv"), "kind": ""})
    assert page.status_code == 200 and escape(message) in page.content.decode()
    assert tables() == before

    path = tmp_path / "indicators.csv"
    path.write_bytes(data)
    printed = tmp_path / "out.txt"
    with printed.open("w") as out, pytest.raises(CommandError):
        call_command("import_indicators", str(path), "--user", administrator.username, stdout=out, stderr=out)
    assert message in printed.read_text()
    assert tables() == before

    # The admin shows indicators read-only: it has no way to make the change.
    administrator.is_superuser = True
    administrator.save()
    admin_url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    assert 'type="submit"' not in client.get(admin_url).content.decode().split('id="content"', 1)[-1]
    assert client.post(admin_url, form_data(indicator, **{field: new})).status_code == 403
    assert tables() == before


def test_a_baseline_changed_by_spreadsheet_waits_for_review_and_the_export_holds(scored, administrator, manager,
                                                                                 committee, client):
    indicator, framework = scored["indicator"], scored["chain"]["framework"]

    def export() -> bytes:
        client.force_login(committee)
        response = client.get(reverse("scorecard:export", args=["csv"]),
                              {"framework": framework.code, "period": "FY2015"})
        assert response.status_code == 200
        return response.content

    shown = export()
    assert b"PROP-1" in shown and b"50%" in shown
    data = csv_bytes([["Indicator code", "Value", "Period", "Source"],
                      [indicator.code, "0", "FY2013", "Household survey, recounted"]])
    outcome = importing.spreadsheet_import(data=data, name="baselines.csv", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    (row,) = outcome.preview.rows
    assert row.action == "changed" and "proposed for review" in row.note

    baseline = Baseline.objects.get(indicator=indicator)
    assert baseline.value == D("10")  # the approved state holds...
    assert baseline.source == "Household survey, recounted"  # ...while what does not score is written
    assert export() == shown
    proposal = Proposal.objects.get(indicator=indicator, subject="baseline")
    assert (proposal.status, proposal.proposed_by, proposal.shown) == (
        "proposed", administrator, [["Value", "10 cities", "0 cities"]])

    # A second file while the first change waits is refused, naming who proposed it.
    again = importing.spreadsheet_import(data=csv_bytes([["Indicator code", "Value"], [indicator.code, "1"]]),
                                         name="baselines.csv", by=administrator)
    assert not again.written and "is awaiting review" in again.preview.problems[0].message

    client.force_login(manager)
    response = client.post(reverse("indicators:proposal", args=[indicator.code, proposal.pk]),
                           {"version": proposal.version, "action_approve": "1"})
    assert response.status_code == 302
    baseline.refresh_from_db()
    assert baseline.value == D("0")
    after = export()
    assert after != shown and b"33%" in after


def test_a_baseline_change_before_any_approval_is_written_at_once(make_indicator, officer, administrator):
    indicator = make_indicator(code="EARLY-1")
    services.baseline_record(indicator=indicator, by=officer, value="10", period="FY2013")
    outcome = importing.spreadsheet_import(data=csv_bytes([["Indicator code", "Value"], [indicator.code, "12"]]),
                                           name="baselines.csv", by=administrator)
    assert outcome.written and outcome.preview.rows[0].note == ""
    assert Baseline.objects.get(indicator=indicator).value == D("12") and not Proposal.objects.exists()


def test_a_baseline_moved_to_a_period_not_yet_made_waits_for_review_with_that_period(scored, administrator, manager,
                                                                                    client):
    from indicators.models import ReportingPeriod

    indicator = scored["indicator"]
    assert not ReportingPeriod.objects.filter(label="FY2013-H1").exists()
    outcome = importing.spreadsheet_import(data=csv_bytes([["Indicator code", "Value", "Period"],
                                                                      [indicator.code, "10", "FY2013-H1"]]),
                                           name="baselines.csv", by=administrator, kind="baselines")
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert Baseline.objects.get(indicator=indicator).period.label == "FY2013"
    proposal = Proposal.objects.get(indicator=indicator, subject="baseline")
    assert proposal.shown == [["Period", "FY2013", "FY2013-H1"]]
    client.force_login(manager)
    client.post(reverse("indicators:proposal", args=[indicator.code, proposal.pk]),
                {"version": proposal.version, "action_approve": "1"})
    assert Baseline.objects.get(indicator=indicator).period.label == "FY2013-H1"


def test_a_first_baseline_for_an_approved_indicator_is_proposed_not_written(make_indicator, officer, manager,
                                                                           administrator, client):
    indicator = make_indicator(code="LATE-1")
    m = services.measurement_record(indicator=indicator, period="FY2015", by=officer, value="5",
                                    evidence_url="https://example.org/e", so_what="Shared.", submit=True)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    data = csv_bytes([["Indicator code", "Value", "Period", "Source"], [indicator.code, "2", "FY2013", "Census"]])
    outcome = importing.spreadsheet_import(data=data, name="baselines.csv", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    (row,) = outcome.preview.rows
    assert row.action == "new" and "proposed for review" in row.note
    baseline = Baseline.objects.get(indicator=indicator)
    assert (baseline.value, baseline.period, baseline.status, baseline.source) == (None, None, "planned", "Census")
    proposal = Proposal.objects.get(indicator=indicator, subject="baseline")
    client.force_login(manager)
    client.post(reverse("indicators:proposal", args=[indicator.code, proposal.pk]),
                {"version": proposal.version, "action_approve": "1"})
    baseline.refresh_from_db()
    assert (baseline.value, baseline.period.label, baseline.status) == (D("2"), "FY2013", "collected")


def test_a_frameworks_years_never_leave_out_its_figures(scored, administrator, client):
    """PROP-1's figures are FY2013-FY2015: the admin refuses to start its framework in FY2016 and
    names the years; a change that keeps them is saved."""
    framework = scored["chain"]["framework"]
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    url = reverse("admin:results_resultsframework_change", args=[framework.pk])
    data = {"code": framework.code, "name": framework.name, "kind": framework.kind, "description": "",
            "order": framework.order, "first_fiscal_year": 2016, "last_fiscal_year": framework.last_fiscal_year}
    before = tables()
    page = client.post(url, data)
    assert page.status_code == 200
    assert escape(f"{framework.name} has baselines, targets or measurements for FY2013, FY2014, FY2015: its "
                  f"fiscal years (FY2016 to FY{framework.last_fiscal_year}) must still include them.") in (
        page.content.decode())
    framework.refresh_from_db()
    assert framework.first_fiscal_year == 2013 and tables() == before
    assert client.post(url, {**data, "first_fiscal_year": 2012}).status_code == 302
    framework.refresh_from_db()
    assert framework.first_fiscal_year == 2012
