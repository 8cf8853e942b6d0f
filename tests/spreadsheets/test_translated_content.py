"""Sheets speak English content whatever the reader's language (issue 19): the Name, Definition and
Statement columns are the English texts, exported and imported as such; translations are kept; a
decimal comma is read as one."""
from decimal import Decimal

from django.utils import translation

from indicators import services
from indicators.models import Indicator
from results import services as result_services
from results.models import Result
from spreadsheets import importing, resources

from .conftest import csv_bytes


def test_a_french_reader_exports_and_reimports_english_content(chain_with_indicators, administrator):
    indicator = chain_with_indicators["number"]
    services.indicator_update(indicator=indicator, by=None, version=indicator.version, name_fr="Villes soutenues")
    result_services.result_update(result=indicator.result, statement_fr="Produit un")
    with translation.override("fr"):
        for kind in ("results", "indicators"):
            data = resources.export_csv(kind)
            assert "Villes soutenues" not in data.decode("utf-8-sig") and "Produit un" not in data.decode("utf-8-sig")
            outcome = importing.spreadsheet_import(data=data, name=f"{kind}.csv", by=administrator)
            assert outcome.written and outcome.counts["changed"] == 0, (kind, outcome.counts)


def test_an_imported_rename_writes_the_english_name_and_keeps_the_translation(chain_with_indicators, administrator):
    indicator = chain_with_indicators["number"]
    services.indicator_update(indicator=indicator, by=None, version=indicator.version, name_fr="Villes soutenues")
    with translation.override("fr"):
        outcome = importing.spreadsheet_import(data=csv_bytes([
            ["Result code", "Indicator code", "Name", "Weight"],
            [indicator.result.code, indicator.code, "Cities supported (renamed)", "2,5"],
            [indicator.result.code, "FWI-NEW", "People trained", "1"]]), name="file.csv", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    renamed = Indicator.objects.get(pk=indicator.pk)
    assert (renamed.name_en, renamed.name_fr, renamed.weight) == ("Cities supported (renamed)", "Villes soutenues",
                                                                  Decimal("2.5"))
    assert renamed.name == "Cities supported (renamed)"
    assert renamed.history.first().name_en == "Cities supported (renamed)"
    new = Indicator.objects.get(code="FWI-NEW")
    assert (new.name_en, new.name_fr) == ("People trained", None)
    assert Result.objects.get(pk=indicator.result_id).statement_en
