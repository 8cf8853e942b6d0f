"""Computed corporate indicators (issue 18): the pure rules and arithmetic, the services, the refusal of
manual figures, and the indicator page's formula and contributions."""
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators import computed, computed_rules, services
from indicators.arithmetic import IndicatorSeries, Standard
from indicators.models import Computation, Contribution


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# -- pure arithmetic ----------------------------------------------------------------------------

def _contributor(code, **series):
    return computed.Contributor(pk=hash(code), code=code, programme=f"Programme {code}",
                                series=IndicatorSeries(**series), standard=Standard())


def test_sum_adds_running_totals_of_cumulative_indicators_never_a_period_twice():
    # Cumulative: baseline 10 at period 1; measurements at periods 1 (the baseline's own: not counted
    # again), 2 and 3. Running total: 15 at 2, 20 at 3. Latest: 3 at 2, 7 at 3.
    a = _contributor("A", direction="increase", aggregation="sum", baseline=Decimal(10), baseline_period=1,
                     measurements={1: Decimal(10), 2: Decimal(5), 3: Decimal(5)})
    b = _contributor("B", direction="increase", aggregation="latest", measurements={2: Decimal(3), 3: Decimal(7)})
    points = computed.computed_points("sum", [a, b])
    assert points == {2: Decimal(18), 3: Decimal(27)}  # 15 + 3, 20 + 7: never 10 + 5 + 5 + 3 + 7
    assert 1 not in points  # a bare baseline is no actual


def test_sum_carries_a_programme_that_reported_earlier():
    a = _contributor("A", direction="increase", aggregation="latest", measurements={2: Decimal(4)})
    b = _contributor("B", direction="increase", aggregation="latest", measurements={3: Decimal(6)})
    assert computed.computed_points("sum", [a, b]) == {2: Decimal(4), 3: Decimal(10)}
    parts = computed.contributions_at("sum", [a, b], 2)
    assert [(p.code, p.value) for p in parts] == [("A", Decimal(4)), ("B", None)]


def test_count_met_counts_programmes_whose_latest_due_target_was_met():
    met = _contributor("A", direction="increase", aggregation="latest", baseline=Decimal(0),
                       measurements={2: Decimal(10)}, targets={2: Decimal(10)})
    short = _contributor("B", direction="increase", aggregation="latest", baseline=Decimal(0),
                         measurements={2: Decimal(9)}, targets={2: Decimal(10), 3: Decimal(9)})
    down = _contributor("C", direction="decrease", aggregation="latest", baseline=Decimal(10),
                        measurements={2: Decimal(4)}, targets={3: Decimal(5)})
    points = computed.computed_points("count_met", [met, short, down])
    # At 2: A met (10 of 10), B not (9 of 10). At 3: B's actual 9 meets its 9; C went below 5.
    assert points == {2: Decimal(1), 3: Decimal(3)}
    parts = computed.contributions_at("count_met", [met, short, down], 2)
    assert [p.met for p in parts] == [True, False, None]


def test_formula_text():
    assert computed_rules.formula_text("sum", ["P1-IND3", "P2-IND3"]) == "Sum of: P1-IND3, P2-IND3"
    assert computed_rules.formula_text("count_met", []) == "Number of programmes meeting their target"


# -- pure rules ---------------------------------------------------------------------------------

def _facts(code, **extra):
    base = dict(code=code, kind="quantitative", measure="number", unit="cities", aggregation="sum", result_id=1,
                framework_kind="country")
    return computed_rules.Facts(**{**base, **extra})


@pytest.mark.parametrize("contribution, words", [
    (_facts("P1", unit="people"), "same unit"),
    (_facts("P1", measure="percentage"), "same measure"),
    (_facts("P1", framework_kind="corporate"), "not in a country programme"),
    (_facts("P1", result_id=99), "does not align"),
    (_facts("P1", computed=True), "itself computed"),
    (_facts("P1", aggregation="average"), "averages are not added"),
    (_facts("CORP"), "cannot contribute to itself"),
])
def test_a_computation_is_refused_with_the_code_at_fault(contribution, words):
    with pytest.raises(ValidationError) as caught:
        computed_rules.check_computation(kind="sum", indicator=_facts("CORP", framework_kind="corporate", result_id=7),
                                         contributions=[contribution], aligned_result_ids={1})
    assert words in " ".join(caught.value.messages)


def test_a_count_of_programmes_is_a_latest_number():
    with pytest.raises(ValidationError, match="latest value"):
        computed_rules.check_computation(kind="count_met", indicator=_facts("CORP", result_id=7),
                                         contributions=[_facts("P1")], aligned_result_ids={1})
    computed_rules.check_computation(kind="count_met", indicator=_facts("CORP", aggregation="latest", result_id=7),
                                     contributions=[_facts("P1", unit="plans")], aligned_result_ids={1})


def test_entry_refused_names_the_row_and_says_computed():
    with pytest.raises(ValidationError, match="Row 4: CORP is computed"):
        computed_rules.check_entry_allowed(code="CORP", computed=True, row=4)
    computed_rules.check_entry_allowed(code="CORP", computed=False)


# -- services -----------------------------------------------------------------------------------

def test_define_keeps_history_and_needs_the_managers_permission(programmes, officer, manager):
    with pytest.raises(PermissionDenied):
        services.computation_define(indicator=programmes["corp"], kind="sum", contributing=["P1-CITIES"], by=officer)
    computation = programmes["define"]()
    assert sorted(computation.contributions.values_list("indicator__code", flat=True)) == ["P1-CITIES", "P2-CITIES"]
    programmes["define"](codes=["P1-CITIES"])
    assert list(Contribution.objects.values_list("indicator__code", flat=True)) == ["P1-CITIES"]
    assert computation.history.count() == 2
    assert Contribution.history.filter(history_type="-").count() == 1  # P2's removal is kept
    services.computation_remove(indicator=programmes["corp"], by=manager)
    assert not Computation.objects.exists()


def test_define_refuses_unknown_and_unaligned_indicators(programmes, make_indicator, manager):
    with pytest.raises(ValidationError, match="There is no indicator NOPE"):
        programmes["define"](codes=["NOPE"])
    make_indicator(programmes["chains"][0]["io"], code="P1-OTHER")
    with pytest.raises(ValidationError, match="P1-OTHER's result does not align"):
        programmes["define"](codes=["P1-CITIES", "P1-OTHER"])
    assert not Computation.objects.exists()  # nothing half-written


def test_a_contributing_indicator_cannot_become_computed(programmes):
    programmes["define"]()
    with pytest.raises(ValidationError, match="contributes to CORP-CITIES"):
        programmes["define"](indicator=programmes["p1"], codes=["P2-CITIES"])


def test_manual_measurement_refused_for_a_computed_indicator(programmes, officer):
    programmes["define"]()
    with pytest.raises(ValidationError, match="CORP-CITIES is computed"):
        services.measurement_record(indicator=programmes["corp"], period="FY2015", by=officer, value="3")


def test_an_indicator_with_manual_figures_is_not_made_computed(programmes, officer):
    services.measurement_record(indicator=programmes["corp"], period="FY2015", by=officer, value="3")
    with pytest.raises(ValidationError, match="measurements entered by hand"):
        programmes["define"]()


# -- the indicator page -------------------------------------------------------------------------

def test_indicator_page_shows_formula_computed_figures_and_contributions(client, committee, programmes):
    programmes["define"]()
    client.force_login(committee)
    page = text_of(client.get(programmes["corp"].get_absolute_url()))
    assert "Sum of: P1-CITIES, P2-CITIES" in page
    # FY2015: P1's running total 20 + P2's latest 7 = 27 of a target of 40: (27 - 0) / 40 -> no baseline
    assert "27 cities" in page and "18 cities" in page
    assert "Framework PA: <a href=\"/indicators/P1-CITIES/\">P1-CITIES</a> 20 cities" in page
    assert "Framework PB: <a href=\"/indicators/P2-CITIES/\">P2-CITIES</a> 7 cities" in page
    assert "Record a measurement" not in page


def test_count_met_page_says_which_programme_met_its_target(client, manager, programmes, make_indicator):
    met = make_indicator(programmes["corporate"]["outputs"][0], code="CORP-MET", aggregation="latest",
                         unit="programmes")
    programmes["define"](kind="count_met", indicator=met)
    client.force_login(manager)
    page = text_of(client.get(met.get_absolute_url()))
    assert "Number of programmes meeting their target" in page
    assert "P1-CITIES</a> 20 cities — met its target" in page
    assert "P2-CITIES</a> 7 cities — target not met" in page
    assert "Record a measurement" not in page


def test_approving_a_programme_figure_changes_the_cached_computed_page(client, committee, officer, manager,
                                                                       programmes):
    programmes["define"]()
    client.force_login(committee)
    url = programmes["corp"].get_absolute_url()
    assert "27 cities" in text_of(client.get(url))
    m = services.measurement_record(indicator=programmes["p1"], period="FY2016", by=officer, value="4",
                                    evidence_url="https://example.org/e", so_what="Shared.", submit=True)
    assert "31 cities" not in text_of(client.get(url))  # submitted, not approved: not counted
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    assert "31 cities" in text_of(client.get(url))


def test_the_command_defines_and_refuses_as_the_service_does(programmes, manager, officer):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("define_computation", "corp-cities", "--contributing", "P1-CITIES", "P2-CITIES",
                 "--user", manager.username, stdout=out)
    assert "CORP-CITIES is computed: Sum of: P1-CITIES, P2-CITIES." in out.getvalue()
    with pytest.raises(CommandError, match="You may not define computed indicators"):
        call_command("define_computation", "CORP-CITIES", "--remove", "--user", officer.username)
    call_command("define_computation", "CORP-CITIES", "--remove", "--user", manager.username, stdout=out)
    assert not Computation.objects.exists()


def test_the_result_page_shows_the_latest_computed_figure(client, committee, programmes):
    programmes["define"]()
    client.force_login(committee)
    page = text_of(client.get(programmes["corporate"]["outputs"][0].get_absolute_url()))
    row = re.search(r"CORP-CITIES.*?</tr>", page).group(0)
    assert "27 cities" in row and "FY2015" in row


def test_a_contribution_whose_alignment_was_removed_is_no_longer_counted_and_the_page_says_so(
        client, committee, programmes):
    from results.models import Alignment
    from results.services import alignment_delete
    from scorecard.selectors import scorecard_build

    programmes["define"]()
    alignment_delete(alignment=Alignment.objects.get(source=programmes["p2"].result))
    client.force_login(committee)
    page = text_of(client.get(programmes["corp"].get_absolute_url()))
    assert "Sum of: P1-CITIES." in page
    assert "20 cities" in page and "27 cities" not in page
    warning = re.search(r'id="not-counted".*?</div>', page).group(0)
    assert "A contributing indicator is no longer counted." in warning
    assert f"its result {programmes['p2'].result.code} no longer aligns to " \
           f"{programmes['corp'].result.code}" in warning
    row = next(r for r in scorecard_build(framework_code="CRP", period_label="FY2015").rows
               if r["code"] == "CORP-CITIES")
    assert row["actual"] == "20"
