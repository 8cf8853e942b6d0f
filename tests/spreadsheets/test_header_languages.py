"""Headers in the reader's language (issue 19): the template and the exports write their headers and
sheet names in the language of whoever downloads them, and the importer reads a header in English,
French, Spanish or Portuguese whatever the uploader's language (a French export re-imports under a
Spanish administrator). The values in the cells stay as the importer reads them."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from indicators import services
from indicators.models import Measurement
from indicators.services.parts import PartInput
from spreadsheets import importing
from spreadsheets.columns import COLUMNS, KINDS, accepted_headers, header_key
from tests.catalogues import compile_app_catalogues

from .conftest import csv_bytes, split_by_sex

LINK = "https://example.org/evidence"
SO_WHAT = "Shared with the partner."
FRENCH_MEASUREMENT_HEADERS = [
    "Code de l'indicateur", "Période", "Dimension", "Valeur de dimension", "Valeur", "Numérateur", "Dénominateur",
    "Appréciation", "Constat qualitatif", "Lien vers le justificatif", "Commentaire", "Et alors ?", "Statut"]


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    compile_app_catalogues()


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    yield
    translation.deactivate()  # a request's language stays active in the test's thread after it


def speaking(client, user, language):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


@pytest.mark.parametrize("kind", KINDS)
def test_no_two_columns_of_a_kind_share_a_header_in_any_language(kind):
    names = accepted_headers()[kind]
    shared = {name: sorted(keys) for name, keys in names.items() if len(keys) > 1}
    assert shared == {}
    # The translated headers are in the map (else this test would pass on English alone).
    for language in ("fr", "es", "pt"):
        with translation.override(language):
            labels = {column.key: column.label for column in COLUMNS[kind]}
        assert all(names[header_key(label)] == {key} for key, label in labels.items())
        assert any(label != column.header for column, label in zip(COLUMNS[kind], labels.values()))


def test_the_template_downloaded_in_french_has_french_headers_and_sheet_names(client, administrator,
                                                                               chain_with_indicators):
    speaking(client, administrator, "fr")
    response = client.get(reverse("imports:template", args=["measurements"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Mesures", "Listes", "Instructions", "Dimensions"]
    assert [c.value for c in book["Mesures"][1]] == FRENCH_MEASUREMENT_HEADERS
    # The drop-downs point at the French Lists sheet; its columns are named in French too.
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in book["Mesures"].data_validations.dataValidation}
    assert validations["A2"].startswith("='Listes'!$A$2")
    assert book["Listes"]["A1"].value == "Code de l'indicateur"
    assert [c.value for c in book["Listes"]["A"][1:] if c.value] == ["FWI-N", "FWI-P", "FWI-R"]
    instructions = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    assert "en anglais, en français, en espagnol ou en portugais" in instructions
    assert "Code de l'indicateur" in [row[0].value for row in book["Instructions"].iter_rows()]
    # The French template is read back by an English reader: a header, no rows.
    with translation.override("en"):
        empty = importing.spreadsheet_preview(data=response.content, name="modele.xlsx", by=administrator)
        assert empty.kind == "measurements" and [p.message for p in empty.problems] == [
            "The file has a header row but no data rows."]


@pytest.fixture
def measurements(chain_with_indicators, officer, manager, administrator):
    """An approved number disaggregated by sex (its parts' rows follow it) and a rated measurement."""
    values = split_by_sex(chain_with_indicators["number"])
    female, male = values["female"], values["male"]
    m = services.measurement_save_draft(indicator=chain_with_indicators["number"], period="FY2014", by=officer,
                                        value="100", evidence_url=LINK, so_what=SO_WHAT,
                                        parts={female.pk: PartInput(Decimal(60)), male.pk: PartInput(Decimal(40))})
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    r = services.measurement_save_draft(indicator=chain_with_indicators["rated"], period="FY2014-Q2", by=officer,
                                        rating="on_track", text="Two cities adopted the plan.", evidence_url=LINK,
                                        so_what=SO_WHAT)
    services.measurement_submit(measurement=r, by=officer, version=r.version)
    return chain_with_indicators


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("reader", ["en", "es"])
def test_a_french_export_reimports_unchanged_under_an_english_or_spanish_administrator(
        client, administrator, measurements, fmt, reader):
    speaking(client, administrator, "fr")
    exported = client.get(reverse("imports:export", args=["measurements", fmt])).content
    if fmt == "csv":
        lines = exported.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Code de l'indicateur,Période,Dimension,Valeur de dimension,Valeur,")
        assert "FWI-N,FY2014,Sex,female,60" in exported.decode("utf-8-sig")  # the values as before
        assert "On track" in exported.decode("utf-8-sig")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(exported))["Mesures"]
        assert [c.value for c in sheet[1]] == FRENCH_MEASUREMENT_HEADERS
    history = Measurement.history.count()
    speaking(client, administrator, reader)
    response = client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile(f"mesures.{fmt}", exported), "kind": ""})
    preview = response.context["preview"]
    assert preview.kind == "measurements" and not preview.problems, [str(p) for p in preview.problems]
    assert preview.ignored_columns == []
    assert response.context["counts"] == {"new": 0, "changed": 0, "unchanged": 2, "invalid": 0}
    assert Measurement.history.count() == history


def test_a_file_with_portuguese_headers_imports(chain_with_indicators, administrator):
    # "Codigo do indicador" without its accent, as people type it on an English keyboard.
    data = csv_bytes([["Codigo do indicador", "Período", "Valor", "Ligação para a evidência", "E então?",
                       "Comentário"],
                      ["fwi-n", "FY2015", "1,200", LINK, SO_WHAT, "Contagem anual."]])
    outcome = importing.spreadsheet_import(data=data, name="medicoes.csv", by=administrator)
    assert outcome.written, [str(p) for p in outcome.preview.problems]
    assert outcome.preview.kind == "measurements" and outcome.preview.ignored_columns == []
    m = Measurement.objects.get(indicator=chain_with_indicators["number"], period__label="FY2015")
    assert (m.value, m.evidence_url, m.so_what, m.comment, m.status) == (
        Decimal(1200), LINK, SO_WHAT, "Contagem anual.", "submitted")


def test_the_export_command_writes_english_headers_unless_told_otherwise(measurements, capsys):
    from django.core.management import call_command

    call_command("export_indicators", "measurements")
    assert capsys.readouterr().out.startswith("Indicator code,Period,Dimension,Dimension value,Value,")
    call_command("export_indicators", "measurements", "--language", "es")
    assert capsys.readouterr().out.startswith("Código del indicador,Período,Dimensión,Valor de dimensión,Valor,")


def test_the_upload_page_says_headers_may_be_in_any_of_the_four_languages(client, administrator):
    speaking(client, administrator, "es")
    page = client.get(reverse("imports:upload")).content.decode()
    assert "Encabezados en inglés, francés, español o portugués" in page
