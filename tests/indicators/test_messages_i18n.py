"""The Python code's user-facing strings in French, Spanish and Portuguese (issue 19): the rulebook's
refusals, the services' and forms' messages, the scorecard's export headers and the importer's
refusals come out in the reader's language with their numbers filled in, and unchanged in English.
The importer's refusals are in tests/spreadsheets/test_messages_i18n.py.
"""
import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators import rules, validation
from indicators import services as indicator_services
from scorecard.exports import export_response
from scorecard.formatting import EXPORT_HEADERS
from tests.catalogues import APPS, LANGUAGES, ROOT, compile_app_catalogues

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    compile_app_catalogues()


def _messages(exc: ValidationError) -> list[str]:
    return [m for messages in exc.message_dict.values() for m in messages] if hasattr(exc, "error_dict") \
        else exc.messages


# ---- the rulebook and the services, in French ------------------------------------------------------

def test_a_parts_mismatch_reads_in_french_with_its_numbers():
    parts = [rules.PartFigure("Sex", "female", value=Decimal(40)), rules.PartFigure("Sex", "male", value=Decimal(50))]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        rules.check_parts(measure="number", total=Decimal(100), parts=parts)
    assert _messages(refused.value) == ["Sex : les parts totalisent 90, soit 10 de moins que le total de 100."]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        rules.check_parts(measure="number", total=Decimal(100), parts=parts)
    assert _messages(refused.value) == ["Sex: the parts add up to 90, 10 less than the total 100."]


def test_a_percentages_parts_refusal_keeps_its_percent_signs_in_french():
    parts = [rules.PartFigure("Sex", "female", numerator=Decimal(1), denominator=Decimal(4))]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        rules.check_parts(measure="percentage", total=Decimal(50), parts=parts)
    assert _messages(refused.value) == [
        "Sex : les parts donnent 25 % (1 sur 4), et non le total de 50 % ; laissez le total vide pour le calculer "
        "à partir des parts."]


def test_a_submission_without_evidence_is_refused_in_french():
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        rules.check_submission(rated=False, has_figure=True, has_evidence=False, has_so_what=False)
    assert refused.value.message_dict == {
        "evidence": ["Joignez le justificatif (un fichier ou un lien) avant de soumettre."],
        "so_what": ["Indiquez ce qui en a résulté et comment les connaissances ont été utilisées (« et alors ? ») "
                    "avant de soumettre."]}


def test_a_second_submission_is_refused_in_french_naming_the_measurement(make_indicator, officer):
    indicator = make_indicator(code="FR-1")
    measurement = indicator_services.measurement_record(
        indicator=indicator, period="FY2014", by=officer, value="5", evidence_url="https://example.org/e",
        so_what="Shared.", submit=True)
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        indicator_services.measurement_submit(measurement=measurement, by=officer, version=measurement.version)
    assert _messages(refused.value) == [
        "La mesure FY2014 de FR-1 est soumise ; seule une mesure en brouillon ou renvoyée peut être soumise."]


def test_the_services_refusal_of_a_missing_evidence_is_french(make_indicator, officer):
    indicator = make_indicator(code="FR-2")
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        indicator_services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="5",
                                              so_what="Partagé.", submit=True)
    assert refused.value.message_dict["evidence"] == ["Joignez le justificatif (un fichier ou un lien) avant de soumettre."]


def test_a_bad_number_is_refused_in_each_language_with_the_text_typed():
    expected = {"fr": "'douze' n'est pas un nombre : écrivez des chiffres, par exemple 1200 ou 12.5.",
                "es": "'douze' no es un número: escriba cifras, por ejemplo 1200 o 12.5.",
                "pt": "'douze' não é um número: escreva algarismos, por exemplo 1200 ou 12.5.",
                "en": "'douze' is not a number: write digits, e.g. 1200 or 12.5."}
    for lang, message in expected.items():
        with translation.override(lang), pytest.raises(ValidationError) as refused:
            validation.parse_decimal("douze")
        assert refused.value.messages == [message]


def test_status_names_and_form_labels_follow_the_language():
    from indicators.forms import ReviewForm
    from indicators.models import Measurement

    with translation.override("es"):
        assert str(Measurement.Status.SUBMITTED.label) == "Presentada"
        form = ReviewForm()
        assert str(form.fields["note"].label) == "Nota para el oficial"
        assert [i.value for i in form.helper.inputs] == ["Aprobar", "Devolver para revisión"]
    assert str(Measurement.Status.SUBMITTED.label) == "Submitted"


# ---- the scorecard's exports, in Portuguese -----------------------------------------------------

def test_the_csv_export_header_reads_in_portuguese():
    with translation.override("pt"):
        response = export_response(rows=[], fmt="csv", filename="scorecard", title="Scorecard")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:5] == ["Nível", "Resultado", "Código do indicador", "Indicador", "Unidade"]
    assert "Estado da meta" in header and "Tendência" in header and len(header) == len(EXPORT_HEADERS)


def test_the_xlsx_export_header_reads_in_portuguese_and_the_api_keys_stay_english():
    with translation.override("pt"):
        response = export_response(rows=[["Output"] + [""] * 16], fmt="xlsx", filename="s", title="Scorecard")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Nível", "Resultado", "Código do indicador"]
    assert EXPORT_HEADERS[:3] == ["Level", "Result", "Indicator code"]


# ---- the catalogues ---------------------------------------------------------------------------------

@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_of_the_app_catalogue_is_translated_with_its_placeholders(app, lang):
    polib = pytest.importorskip("polib")
    po = polib.pofile(str(ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if not e.translated()]
    assert not untranslated, f"{app} ({lang}) has untranslated strings: {untranslated[:5]}"
    wrong = [e.msgid for e in po for translated in ([e.msgstr] if not e.msgid_plural else e.msgstr_plural.values())
             if set(PLACEHOLDER.findall(e.msgid)) != set(PLACEHOLDER.findall(translated))]
    assert not wrong, f"{app} ({lang}) changes the placeholders of: {wrong[:5]}"
    foreign = [path for e in po for path, _line in e.occurrences if not path.startswith(f"{app}/")]
    assert not foreign, f"{app}'s catalogue holds other apps' strings: {foreign[:5]}"


# ---- results and reminders ------------------------------------------------------------------------

def test_a_result_with_children_is_refused_in_french(make_chain):
    from results import services as result_services

    impact = make_chain()["impact"]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        result_services.result_delete(result=impact)
    assert refused.value.messages[0].startswith(f"{impact.code} a encore des résultats en dessous (")


def test_a_review_digests_subject_is_plural_in_spanish(manager):
    from datetime import date
    from types import SimpleNamespace

    from reminders.mail import review_digest_message
    from reminders.selectors import ReviewDigest

    proposal = SimpleNamespace(indicator=SimpleNamespace(code="ES-1", name="Ciudades"), proposed_by=manager,
                               proposed_at=None, pk=1)
    with translation.override("es"):
        one = review_digest_message(person=manager, digest=ReviewDigest([], [], [proposal]), today=date(2026, 1, 5))
        none = review_digest_message(person=manager, digest=ReviewDigest([], [], []), today=date(2026, 1, 5))
    assert one.subject == "Resultados de Cities Alliance: 1 presentación por revisar"
    assert none.subject == "Resultados de Cities Alliance: 0 presentaciones por revisar"
