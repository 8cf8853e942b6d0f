"""The IATI export carries each stored language of a statement, name and definition as its own
narrative (issue 19), and still validates against the official schema."""
import io

from django.core.management import call_command
from django.utils import translation

from api import iati_checks, iati_export

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _narratives(el, tag):
    return [(n.get(XML_LANG), n.text) for n in el.find(tag).iter("narrative")]


def test_each_stored_language_is_its_own_narrative(demo, iati_schema_dir):
    call_command("load_translations", stdout=io.StringIO())
    with translation.override("fr"):  # the reader's language does not change what the export says
        doc = iati_export.document(["CORP"])
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    result = next(r for r in doc.iter("result") if r.find("reference").get("code") == "CORP-OUT-1")
    assert _narratives(result, "title") == [
        (None, "National policy frameworks developed/enhanced to address urban development needs."),
        ("fr", "Des cadres nationaux de politique urbaine sont élaborés ou renforcés pour répondre aux besoins "
               "du développement urbain.")]
    indicator = next(i for i in result.iter("indicator"))
    title = _narratives(indicator, "title")
    assert title[0] == (None, "Countries with national urban policy frameworks developed or enhanced (illustrative)")
    assert title[1] == ("fr", "Pays dotés d'un cadre national de politique urbaine élaboré ou renforcé (illustratif)")
    assert len(title) == 2  # no Spanish or Portuguese stored: none exported


def test_a_definition_translation_and_no_translation(make_indicator, iati_schema_dir):
    from indicators import services

    indicator = make_indicator(definition="Cities counted once.", definition_es="Ciudades contadas una vez.")
    framework = indicator.result.framework.code
    doc = iati_export.document([framework])
    el = next(doc.iter("indicator"))
    assert [lang for lang, _ in _narratives(el, "description")] == [None, "es"]
    assert _narratives(el, "description")[1][1] == "Ciudades contadas una vez."
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    assert [lang for lang, _ in _narratives(el, "title")] == [None]
    services.indicator_update(indicator=indicator, by=None, version=indicator.version, definition_es="")
    el = next(iati_export.document([framework]).iter("indicator"))
    assert [lang for lang, _ in _narratives(el, "description")] == [None]
