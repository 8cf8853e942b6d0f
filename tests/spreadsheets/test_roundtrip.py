"""Exports and templates speak the importer's headers: exporting and re-importing is a no-op."""
import pytest
from django.core.management import call_command

from indicators.dimensions import Dimension, MeasurementPart
from indicators.models import Baseline, Indicator, Measurement, Target
from spreadsheets import importing, resources, templates_xlsx
from spreadsheets.columns import KINDS


@pytest.fixture
def demo(seeded_chains, settings):
    settings.DEBUG = True  # load_demo is development-only
    call_command("load_demo", verbosity=0)
    assert Measurement.objects.filter(status="approved").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exporting_and_reimporting_the_demo_data_changes_nothing(demo, administrator, fmt):
    history = {model: model.history.count() for model in (Indicator, Baseline, Target, Measurement)}
    for kind in KINDS:
        data = resources.export_csv(kind) if fmt == "csv" else templates_xlsx.export_xlsx(kind)
        outcome = importing.spreadsheet_import(data=data, name=f"{kind}.{fmt}", by=administrator)
        assert outcome.written, (kind, [str(p) for p in outcome.preview.problems])
        assert outcome.preview.kind == kind  # told from the headers
        counts = outcome.counts
        assert (counts["new"], counts["changed"], counts["invalid"]) == (0, 0, 0), (kind, counts)
        assert counts["unchanged"] > 0
    assert history == {model: model.history.count() for model in (Indicator, Baseline, Target, Measurement)}


def test_exports_load_into_an_empty_database_with_the_same_figures(demo, administrator):
    from indicators.computations import Computation

    # Drafts may lack a "so what?" note, but re-imported rows arrive submitted, which needs one.
    Measurement.objects.filter(so_what="").update(so_what="Discussed with the country team.")
    files = {kind: resources.export_csv(kind) for kind in ("indicators", "baselines", "targets", "measurements")}
    before = {
        "targets": sorted(Target.objects.values_list("indicator__code", "period__label", "value", "rating")),
        "measurements": sorted(Measurement.objects.values_list("indicator__code", "period__label", "value",
                                                               "rating", "evidence_url", "comment", "so_what")),
        "baselines": sorted(Baseline.objects.values_list("indicator__code", "value", "text", "status")),
    }
    parts = sorted(MeasurementPart.objects.filter(value__isnull=False).values_list(
        "measurement__indicator__code", "measurement__period__label", "dimension_value__name", "value"))
    assert parts  # the demo's measurements are disaggregated; their parts rows are in the export
    # The indicators sheet does not carry an indicator's dimensions yet (issue 14): link them again.
    links = list(Dimension.indicators.through.objects.values_list("dimension_id", "indicator__code"))
    # A computed indicator's formula is not in the sheets (its "Computed as" column is informational) and
    # its figures are computed, never imported: the demo's is left out of this comparison.
    Computation.objects.all().delete()
    Indicator.objects.all().delete()
    for kind, data in files.items():
        outcome = importing.spreadsheet_import(data=data, name=f"{kind}.csv", by=administrator)
        assert outcome.written and outcome.counts["changed"] == 0, [str(p) for p in outcome.preview.problems]
        if kind == "indicators":
            for dimension_id, code in links:
                Dimension.objects.get(pk=dimension_id).indicators.add(Indicator.objects.get(code=code))
    assert sorted(MeasurementPart.objects.filter(value__isnull=False).values_list(
        "measurement__indicator__code", "measurement__period__label", "dimension_value__name", "value")) == parts
    targets = sorted(Target.objects.values_list("indicator__code", "period__label", "value", "rating"))
    assert targets == before["targets"]
    assert sorted(Measurement.objects.values_list("indicator__code", "period__label", "value", "rating",
                                                  "evidence_url", "comment", "so_what")) == before["measurements"]
    assert sorted(Baseline.objects.values_list("indicator__code", "value", "text", "status")) == before["baselines"]
    assert set(Measurement.objects.values_list("status", flat=True)) == {"submitted"}
    assert set(Target.objects.values_list("status", flat=True)) == {"preliminary"}


def test_text_that_looks_like_a_formula_is_exported_as_text(chain_with_indicators, officer, administrator):
    import io

    import openpyxl

    from indicators import services
    services.measurement_save_draft(indicator=chain_with_indicators["number"], period="FY2014", by=officer,
                                    value="3", comment="=HYPERLINK(\"http://evil.example\")",
                                    evidence_url="https://example.org/e", so_what="Used to plan the next round.")
    data = templates_xlsx.export_xlsx("measurements")
    cell = openpyxl.load_workbook(io.BytesIO(data))["Measurements"]["K2"]  # after Dimension, Dimension value, Numerator and Denominator
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example")', "s")
    outcome = importing.spreadsheet_preview(data=data, name="m.xlsx", by=administrator)
    assert outcome.counts["unchanged"] == 1
