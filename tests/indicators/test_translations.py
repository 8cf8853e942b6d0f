"""Indicator names and definitions per language (issue 19), the audit history keeping them, the
reader's number format accepted by the forms, and the demo chains' illustrative French."""
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from indicators import services, validation
from indicators.forms import MeasurementForm
from indicators.models import Indicator
from results.models import Result, ResultsFramework

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def test_a_name_reads_in_the_readers_language_or_english(make_indicator):
    indicator = make_indicator(name="Cities supported", name_fr="Villes soutenues", definition="Counted once.")
    indicator = Indicator.objects.get(pk=indicator.pk)
    with translation.override("fr"):
        assert (indicator.name, indicator.definition) == ("Villes soutenues", "Counted once.")
    with translation.override("es"):
        assert indicator.name == "Cities supported"
    assert indicator.name == "Cities supported"


def test_editing_in_french_keeps_the_english_name_and_the_history_keeps_both(make_indicator, officer):
    indicator = make_indicator(name="Cities supported")
    with translation.override("fr"):
        services.indicator_update(indicator=indicator, by=officer, version=indicator.version,
                                  name="Cities supported", name_fr=" Villes soutenues ")
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert (indicator.name_en, indicator.name_fr) == ("Cities supported", "Villes soutenues")
    last = indicator.history.first()
    assert (last.name_en, last.name_fr) == ("Cities supported", "Villes soutenues")


def test_manager_edits_translations_on_the_indicator_form(client, manager, make_indicator):
    indicator = make_indicator(name="Cities supported", name_fr="Villes")
    client.force_login(manager)
    url = reverse("indicators:indicator_edit", args=[indicator.code])
    page = client.get(url, **FR).content.decode()
    # the form reads in French (issue 19): its Translations section too
    assert "Traductions" in page and 'name="definition_pt"' in page
    assert 'value="Cities supported"' in page and 'value="Villes"' in page
    # What the form holds, with the French name changed, a Portuguese one added and a French decimal comma.
    data = {"result": indicator.result_id, "code": indicator.code, "name": "Cities supported", "definition": "",
            "kind": indicator.kind, "measure": indicator.measure, "unit": indicator.unit,
            "direction": indicator.direction, "aggregation": indicator.aggregation, "data_source": "",
            "means_of_verification": "", "frequency": indicator.frequency, "responsible": indicator.responsible_id,
            "weight": "1,5", "order": 0, "version": indicator.version, "name_fr": "Villes soutenues",
            "name_pt": "Cidades apoiadas", "name_es": "", "definition_fr": "", "definition_es": "",
            "definition_pt": ""}
    response = client.post(url, data, **FR)
    assert response.status_code == 302, response.content.decode()[:3000]
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert (indicator.name_en, indicator.name_fr, indicator.name_pt, indicator.name_es) == (
        "Cities supported", "Villes soutenues", "Cidades apoiadas", None)
    assert indicator.weight == Decimal("1.5")  # the French decimal comma
    page = client.get(reverse("indicators:indicator", args=[indicator.code]), HTTP_ACCEPT_LANGUAGE="pt")
    assert "Cidades apoiadas" in page.content.decode()


@pytest.mark.parametrize("lang, raw, expected", [
    ("fr", "1 234,5", "1234.5"), ("fr", "1\u00a0234,5", "1234.5"), ("fr", "1\u202f234,5", "1234.5"),
    ("es", "1.234,5", "1234.5"), ("pt", "1.234,5", "1234.5"), ("pt", "1.200", "1200"), ("fr", "12,5", "12.5"),
    ("fr", "1,200", "1.2"), ("fr", "1,234.5", "1234.5"),
    # English reads as it always has, plus an unambiguous decimal comma.
    ("en", "1,200", "1200"), ("en", "1.200", "1.2"), ("en", "1 234,5", "1234.5"), ("en", "12,5", "12.5"),
    ("en", "1,200,000", "1200000"),
])
def test_numbers_in_the_readers_format(lang, raw, expected):
    with translation.override(lang):
        assert validation.parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["1.2.3", "1,2,3", "1,,2", "12,5 cities"])
def test_malformed_groupings_are_still_refused(raw):
    for lang, refusal in (("en", "is not a number"), ("fr", "n'est pas un nombre")):  # in the reader's language
        with translation.override(lang), pytest.raises(ValidationError, match=refusal):
            validation.parse_decimal(raw)


def test_a_french_measurement_form_accepts_1_234_5(make_indicator):
    indicator = make_indicator(name="People trained", unit="people")
    with translation.override("fr"):
        form = MeasurementForm({"period": "FY2014", "value": "1 234,5", "evidence_url": "https://example.org/e",
                                "so_what": "Partagé.", "version": ""}, indicator=indicator)
        valid = form.is_valid()
    assert valid, form.errors
    assert form.cleaned_data["figure"].value == Decimal("1234.5")


def test_french_demo_chains(seeded_chains, settings):
    settings.DEBUG = True
    out = io.StringIO()
    for name in ("load_demo", "load_translations"):
        call_command(name, stdout=out)
    assert "illustrative translation" in out.getvalue()
    chains = ResultsFramework.objects.filter(code__in=["CORP", "SEC"])
    results = Result.objects.filter(framework__in=chains)
    assert results.count() >= 14
    assert [r.code for r in results if not r.statement_fr] == []
    indicators = Indicator.objects.filter(result__framework__in=chains)
    assert indicators.count() >= 10
    assert [i.code for i in indicators if not i.name_fr] == []
    with translation.override("fr"):
        assert Result.objects.get(code="SEC-OUT-2").statement == "Une assistance technique de qualité est fournie."
    # Again: nothing changes; a manager's own translation is never overwritten.
    services.indicator_update(indicator=indicators.get(code="SEC-OUT-3-I1"), by=None,
                              version=indicators.get(code="SEC-OUT-3-I1").version, name_fr="Téléchargements")
    call_command("load_translations", stdout=out)
    assert "0 result statements, 0 indicators filled" in out.getvalue()
    assert Indicator.objects.get(code="SEC-OUT-3-I1").name_fr == "Téléchargements"


def test_a_translation_file_naming_an_unknown_code_changes_nothing(seeded_chains):
    from indicators.services.translations import translations_load

    with pytest.raises(ValidationError, match="NOPE-1"):
        translations_load(data={"language": "fr", "results": {"CORP-IMP": "Impact", "NOPE-1": "x"}})
    assert Result.objects.get(code="CORP-IMP").statement_fr is None
    with pytest.raises(ValidationError, match="must be one of"):
        translations_load(data={"language": "de", "results": {}})


def test_date_inputs_keep_iso_values_in_every_language():
    from datetime import date

    from django import forms

    from indicators.forms import iso_date_input

    field = forms.DateField(widget=iso_date_input())
    for lang in ("fr", "es", "pt"):
        with translation.override(lang):
            assert field.clean("2014-03-31") == date(2014, 3, 31)  # what <input type=date> submits
            assert field.clean("31/03/2014") == date(2014, 3, 31)  # typed in the reader's format
            assert 'value="2014-03-31"' in field.widget.render("as_of", date(2014, 3, 31))
