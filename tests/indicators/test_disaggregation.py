"""Disaggregation (issue 14): dimensions, parts of targets and measurements, the rule that parts
add up (counts) or are recomputed from numerators and denominators (percentages), and the review."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators import rules, services
from indicators.dimensions import Dimension, DimensionValue, MeasurementPart, TargetPart
from indicators.services.parts import PartInput

D = Decimal


@pytest.fixture
def sex(db):
    dim = Dimension.objects.create(name="Sex", slug="sex", order=1)
    female = DimensionValue.objects.create(dimension=dim, name="female", slug="female", order=1)
    male = DimensionValue.objects.create(dimension=dim, name="male", slug="male", order=2)
    return dim, female, male


@pytest.fixture
def trained(make_indicator, sex):
    """A cumulative count split by sex."""
    indicator = make_indicator(name="People trained", unit="people", aggregation="sum")
    sex[0].indicators.add(indicator)
    return indicator


def _errors(exc) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# --- the pure rule -----------------------------------------------------------------------------

def test_count_parts_that_do_not_add_up_name_the_dimension_and_the_difference():
    parts = [rules.PartFigure("Sex", "female", D(55)), rules.PartFigure("Sex", "male", D(40))]
    with pytest.raises(ValidationError) as exc:
        rules.check_parts(measure="number", total=D(100), parts=parts)
    assert exc.value.message_dict == {"parts:Sex": ["Sex: the parts add up to 95, 5 less than the total 100."]}
    parts.append(rules.PartFigure("Country", "Uganda", D(120)))
    with pytest.raises(ValidationError) as exc:
        rules.check_parts(measure="number", total=D(100), parts=parts)
    assert "Country: the parts add up to 120, 20 more than the total 100." in _errors(exc)


def test_count_parts_that_add_up_keep_the_total():
    parts = [rules.PartFigure("Sex", "female", D(60)), rules.PartFigure("Sex", "male", D(40))]
    assert rules.check_parts(measure="number", total=D(100), parts=parts) == D(100)
    assert rules.check_parts(measure="number", total=D(7), parts=[]) == D(7)


def test_percentage_total_is_recomputed_from_numerators_and_denominators_never_averaged():
    # women 30 of 50 (60%), men 10 of 150 (6.67%): the average would be 33.3%, the truth 40 of 200 = 20%.
    parts = [rules.PartFigure("Sex", "female", numerator=D(30), denominator=D(50)),
             rules.PartFigure("Sex", "male", numerator=D(10), denominator=D(150))]
    assert rules.check_parts(measure="percentage", total=None, parts=parts) == D("20.0000")
    with pytest.raises(ValidationError) as exc:
        rules.check_parts(measure="percentage", total=D("33.33"), parts=parts)
    assert "Sex: the parts make 20% (40 of 200), not the total 33.33%" in _errors(exc)


def test_percentage_parts_need_a_share_and_every_dimension_counts_the_same_whole():
    with pytest.raises(ValidationError) as exc:
        rules.check_parts(measure="percentage", total=None,
                          parts=[rules.PartFigure("Sex", "female", numerator=D(60), denominator=D(50))])
    assert "Sex, female: 60 of 50 is not a share" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        rules.check_parts(measure="percentage", total=None, parts=[
            rules.PartFigure("Sex", "female", numerator=D(30), denominator=D(50)),
            rules.PartFigure("Country", "Uganda", numerator=D(30), denominator=D(60))])
    assert "Country: the parts count 30 of 60, but the parts of Sex count 30 of 50" in _errors(exc)


def test_yes_no_and_ratings_are_not_disaggregated():
    with pytest.raises(ValidationError, match="only numbers, amounts and percentages"):
        rules.check_disaggregable(measure="yes_no", code="X-1")


# --- services ----------------------------------------------------------------------------------

def _record(indicator, by, period, value, parts, submit=True):
    return services.measurement_record(indicator=indicator, period=period, by=by, value=value, parts=parts,
                                       evidence_url="https://example.org/e", so_what="Shared.", submit=submit)


def test_measurement_parts_are_saved_with_the_total_and_refused_when_they_do_not_add_up(trained, sex, officer):
    _, female, male = sex
    with pytest.raises(ValidationError) as exc:
        _record(trained, officer, "FY2014", "100", {female.pk: PartInput(D(55)), male.pk: PartInput(D(40))})
    assert "Sex: the parts add up to 95, 5 less than the total 100." in _errors(exc)
    assert not MeasurementPart.objects.exists() and not trained.measurements.exists()
    m = _record(trained, officer, "FY2014", "100", {female.pk: PartInput(D(60)), male.pk: PartInput(D(40))})
    assert {p.dimension_value.name: p.value for p in m.parts.all()} == {"female": D(60), "male": D(40)}
    assert m.parts.first().history.first().history_user == officer


def test_a_new_total_is_checked_against_the_stored_parts(trained, sex, officer):
    """A path that knows nothing of parts (parts=None) cannot make them stop adding up."""
    _, female, male = sex
    m = _record(trained, officer, "FY2014", "100", {female.pk: PartInput(D(60)), male.pk: PartInput(D(40))},
                submit=False)
    with pytest.raises(ValidationError, match="Sex: the parts add up to 100, 10 less than the total 110"):
        services.measurement_save_draft(indicator=trained, period="FY2014", by=officer, value="110",
                                        version=m.version)


def test_parts_follow_the_review_an_approved_measurements_parts_change_only_by_a_new_revision(
        trained, sex, officer, manager):
    _, female, male = sex
    m = _record(trained, officer, "FY2014", "100", {female.pk: PartInput(D(60)), male.pk: PartInput(D(40))})
    assert {p.approved_value for p in m.parts.all()} == {None}  # not approved yet
    m = services.measurement_approve(measurement=m, by=manager, version=m.version)
    assert {p.dimension_value.name: p.approved_value for p in m.parts.all()} == {"female": D(60), "male": D(40)}
    # a revision: the working parts change, the approved ones keep serving the scorecard
    m = services.measurement_save_draft(indicator=trained, period="FY2014", by=officer, value="100",
                                        version=m.version, parts={female.pk: PartInput(D(70)),
                                                                  male.pk: PartInput(D(30))})
    parts = {p.dimension_value.name: (p.value, p.approved_value) for p in m.parts.all()}
    assert parts == {"female": (D(70), D(60)), "male": (D(30), D(40))}


def test_percentage_measurement_total_comes_from_the_parts(make_indicator, sex, officer):
    _, female, male = sex
    indicator = make_indicator(name="Share of plans adopted", unit="", measure="percentage")
    sex[0].indicators.add(indicator)
    m = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="", parts={
        female.pk: PartInput(numerator=D(30), denominator=D(50)),
        male.pk: PartInput(numerator=D(10), denominator=D(150))})
    assert m.value == D(20)
    assert {p.dimension_value.name: p.value for p in m.parts.all()} == {"female": D(60), "male": D("6.6667")}


def test_target_parts_are_approved_with_the_target(trained, sex, officer, manager):
    _, female, male = sex
    with pytest.raises(ValidationError, match="Sex: the parts add up to 250, 50 more than the total 200"):
        services.target_set(indicator=trained, period="FY2015", by=officer, value="200",
                            parts={female.pk: PartInput(D(150)), male.pk: PartInput(D(100))})
    t = services.target_set(indicator=trained, period="FY2015", by=officer, value="200",
                            parts={female.pk: PartInput(D(100)), male.pk: PartInput(D(100))})
    t = services.target_approve(target=t, by=manager, version=t.version)
    assert {p.dimension_value.name: p.approved_value for p in TargetPart.objects.filter(target=t)} == {
        "female": D(100), "male": D(100)}


def test_a_value_of_a_dimension_the_indicator_is_not_split_by_is_refused(make_indicator, sex, officer):
    indicator = make_indicator()  # not disaggregated
    with pytest.raises(ValidationError, match="is not disaggregated by"):
        services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="5",
                                        parts={sex[1].pk: PartInput(D(5))})


def test_every_change_of_parts_or_dimensions_moves_the_figures_stamp(trained, sex, officer, manager):
    """Cached pages are kept under the stamp: a part written, approved or a dimension changed shows at once."""
    from indicators.stamps import figures_stamp

    _, female, male = sex
    stamps = [figures_stamp()]
    m = services.measurement_save_draft(indicator=trained, period="FY2014", by=officer, value="10",
                                        parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    stamps.append(figures_stamp())
    services.measurement_save_draft(indicator=trained, period="FY2014", by=officer, value="10", version=m.version,
                                    parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    assert figures_stamp() == stamps[-1]  # saved unchanged: nothing written
    # the parts alone change: the total and the measurement stay as they were
    services.measurement_save_draft(indicator=trained, period="FY2014", by=officer, value="10", version=m.version,
                                    parts={female.pk: PartInput(D(7)), male.pk: PartInput(D(3))})
    stamps.append(figures_stamp())
    assert m.history.count() == 2  # a change of the parts alone is an edit of the measurement (a new version)
    DimensionValue.objects.create(dimension=sex[0], name="other", slug="other", order=3)
    stamps.append(figures_stamp())
    other = Dimension.objects.create(name="Country", slug="country")
    services.indicator_dimensions_set(indicator=trained, dimensions=[sex[0], other], by=manager)
    stamps.append(figures_stamp())
    assert len(set(stamps)) == len(stamps)


# --- baseline parts ----------------------------------------------------------------------------

def test_baseline_parts_add_up_and_go_to_review_once_a_measurement_is_approved(trained, sex, officer, manager):
    from indicators.dimensions import BaselinePart

    _, female, male = sex
    with pytest.raises(ValidationError, match="Record the collected value of the baseline"):
        services.baseline_parts_set(indicator=trained, by=officer, parts={female.pk: PartInput(D(3))})
    services.baseline_record(indicator=trained, by=officer, value="10", period="FY2013", status="validated")
    with pytest.raises(ValidationError, match="Sex: the parts add up to 9, 1 less than the total 10"):
        services.baseline_parts_set(indicator=trained, by=officer,
                                    parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(3))})
    services.baseline_parts_set(indicator=trained, by=officer,
                                parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    assert {p.dimension_value.name: p.value for p in BaselinePart.objects.all()} == {"female": 6, "male": 4}
    # a new baseline value must still agree with its parts, by the same rule
    with pytest.raises(ValidationError, match="Sex: the parts add up to 10, 2 less than the total 12"):
        services.baseline_record(indicator=trained, by=officer, value="12", period="FY2013", status="validated",
                                 version=trained.baseline.version)
    m = _record(trained, officer, "FY2014", "5", None)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    # afterwards a change of them is a proposal a manager approves (test_baseline_part_proposals.py)
    with pytest.raises(ValidationError, match="this change goes to a manager for review: say why"):
        services.baseline_parts_set(indicator=trained, by=officer,
                                    parts={female.pk: PartInput(D(5)), male.pk: PartInput(D(5))})
    assert {p.dimension_value.name: p.value for p in BaselinePart.objects.all()} == {"female": 6, "male": 4}


def test_a_proposed_baseline_value_its_parts_would_refuse_is_refused_at_once(trained, sex, officer, manager):
    """Once a measurement is approved a baseline change goes to review; its parts are fixed, so a
    new value they no longer add up to is refused when proposed, not when approved."""
    _, female, male = sex
    b = services.baseline_record(indicator=trained, by=officer, value="10", period="FY2013", status="validated",
                                 parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    m = _record(trained, officer, "FY2014", "5", None)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    with pytest.raises(ValidationError, match="Sex: the parts add up to 10, 2 less than the total 12"):
        services.baseline_record(indicator=trained, by=officer, value="12", period="FY2013", status="validated",
                                 version=b.version, reason="Recounted.")
    assert not trained.proposals.exists()
