"""Messages main added after the first translation pass (issue 19), in the reader's language with
their codes filled in: the rulebook of computed indicators, a programme role's refusal outside its
programme; each still reads the same in English. The importer's part-row refusals are in
tests/spreadsheets/test_messages_i18n.py."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from indicators import computed_rules
from indicators import services as indicator_services
from tests.catalogues import compile_app_catalogues


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    compile_app_catalogues()


def _facts(code, **overrides):
    return computed_rules.Facts(**{"code": code, "kind": "quantitative", "measure": "number", "unit": "cities",
                                   "aggregation": "sum", "result_id": 1, "framework_kind": "country",
                                   **overrides})


def test_a_hand_entered_figure_for_a_computed_indicator_is_refused_in_french_naming_the_row():
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        computed_rules.check_entry_allowed(code="CORP-1", computed=True, row=4)
    assert refused.value.message_dict["indicator"] == [
        "Ligne 4 : CORP-1 est calculé à partir de ses indicateurs contributeurs : ses chiffres ne sont pas saisis "
        "à la main. Enregistrez plutôt les chiffres des indicateurs des programmes."]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        computed_rules.check_entry_allowed(code="CORP-1", computed=True)
    assert refused.value.message_dict["indicator"] == [
        "CORP-1 is computed from its contributing indicators: its figures are not entered by hand. "
        "Record the figures of the programmes' indicators instead."]


def test_a_computation_refusal_names_each_contribution_in_spanish():
    corporate = _facts("CORP-1", framework_kind="corporate", result_id=9)
    contributions = [_facts("P1-1", result_id=2), _facts("P1-1", result_id=2), _facts("P2-1", unit="people")]
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        computed_rules.check_computation(kind="sum", indicator=corporate, contributions=contributions,
                                         aligned_result_ids={1, 2})
    assert refused.value.message_dict["contributions"] == [
        "P1-1 se indica dos veces.",
        "P2-1 cuenta people, CORP-1 cuenta cities: una suma requiere la misma unidad."]


def test_a_programme_officer_is_refused_outside_their_programme_in_portuguese(two_programmes):
    officer_a = two_programmes["people"]["officer A"]
    with translation.override("pt"), pytest.raises(PermissionDenied) as refused:
        indicator_services.measurement_save_draft(indicator=two_programmes["indicators"]["corporate"],
                                                  period="FY2016", by=officer_a, value="3")
    assert str(refused.value) == "Não pode registar medições para CORPX-I1: não pertence ao seu programa."

