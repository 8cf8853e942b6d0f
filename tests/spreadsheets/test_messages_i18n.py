"""The importer's refusals and the import templates in the reader's language (issue 19): file and
row refusals in Spanish, the template's instructions and headers in French (the importer reads the
headers in any language: tests/spreadsheets/test_header_languages.py)."""
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from spreadsheets import importing
from spreadsheets.reading import check_upload
from tests.catalogues import compile_app_catalogues


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    compile_app_catalogues()


def test_an_old_excel_file_is_refused_in_spanish():
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        check_upload(name="metas.xls", size=100)
    assert refused.value.messages == [
        "«metas.xls» es un libro antiguo de Excel 97-2003 (.xls): ábralo en Excel, guárdelo como .xlsx (Libro de "
        "Excel) o .csv y cargue ese archivo."]


def test_a_file_of_unknown_headers_is_refused_in_spanish(administrator):
    with translation.override("es"):
        preview = importing.spreadsheet_preview(data=b"Ciudad,Cifra\nAccra,12\n", name="datos.csv", by=administrator)
        shown = [str(p) for p in preview.problems]
    assert shown == ["Archivo: No pudo deducirse el tipo de datos de los encabezados (la primera fila contiene "
                     "“Ciudad”, “Cifra”): elija el tipo o parta de una plantilla descargada."]


def test_a_row_refused_by_the_rulebook_reads_in_spanish(chain_with_indicators, administrator):
    data = b"Indicator code,Period,Value,Evidence link\nFWI-N,FY2014,doce,https://example.org/e\n"
    with translation.override("es"):
        preview = importing.spreadsheet_preview(data=data, name="m.csv", by=administrator)
        shown = [str(p) for p in preview.problems]
    assert shown == ["Fila 2, columna «Value», valor «doce»: FWI-N: 'doce' no es un número: escriba cifras, por "
                     "ejemplo 1200 o 12.5."]


def test_the_template_gives_french_headers_and_instructions(chain_with_indicators):
    from spreadsheets.templates_xlsx import template_xlsx

    with translation.override("fr"):
        book = openpyxl.load_workbook(io.BytesIO(template_xlsx("measurements")))
    assert [c.value for c in book["Mesures"][1]][:3] == ["Code de l'indicateur", "Période", "Dimension"]
    text = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    assert "Comment remplir cette feuille" in text and "restent en anglais" in text
    assert "Les mesures importées arrivent soumises pour examen" in text


def test_an_unknown_indicator_code_is_refused_in_spanish(chain_with_indicators, administrator):
    data = b"Indicator code,Period,Value,Evidence link\nNOPE-1,FY2014,12,https://example.org/e\n"
    with translation.override("es"):
        preview = importing.spreadsheet_preview(data=data, name="m.csv", by=administrator)
        shown = [str(p) for p in preview.problems]
    assert shown == ["Fila 2, columna «Indicator code», valor «NOPE-1»: Ningún indicador tiene el código NOPE-1. "
                     "Importe primero el indicador o corrija el código."]


def test_the_export_keeps_english_ratings_whatever_the_language(chain_with_indicators, officer):
    """An export re-imports as a no-op: the rating is written as the importer reads it."""
    from indicators import services as indicator_services
    from spreadsheets.resources import export_dataset

    indicator_services.target_set(indicator=chain_with_indicators["rated"], period="FY2015", by=officer,
                                  rating="on_track")
    with translation.override("fr"):
        rows = [list(row) for row in export_dataset("targets")]
    assert [row for row in rows if "On track" in row] and not any("En bonne voie" in row for row in rows)


def test_a_part_row_of_an_indicator_not_disaggregated_is_refused_in_portuguese(chain_with_indicators,
                                                                               administrator):
    data = (b"Indicator code,Period,Dimension value,Value,Evidence link,So what?\n"
            b"FWI-N,FY2014,,12,https://example.org/e,Shared.\nFWI-N,FY2014,female,5,,\n")
    with translation.override("pt"):
        preview = importing.spreadsheet_preview(data=data, name="m.csv", by=administrator)
        shown = [str(p) for p in preview.problems]
    assert shown == ["Linha 3, coluna «Dimension value», valor «female»: FWI-N não está desagregado: escolha "
                     "primeiro as suas dimensões no site."]
