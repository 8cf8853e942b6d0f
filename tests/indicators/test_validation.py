"""The one place where values, ratings, periods and evidence files are parsed and checked."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from indicators import validation as v


@pytest.mark.parametrize("raw, expected", [
    (" 12 ", Decimal("12")), ("1,200", Decimal("1200")), ("1 200 000", Decimal("1200000")),
    ("12.5", Decimal("12.5")), ("-3", Decimal("-3")), (".5", Decimal("0.5")), (7, Decimal(7)),
    (Decimal("3.25"), Decimal("3.25")), (2.5, Decimal("2.5")), ("1.50000", Decimal("1.5")),
])
def test_parse_decimal_accepts_what_people_type(raw, expected):
    assert v.parse_decimal(raw) == expected


@pytest.mark.parametrize("raw, words", [
    ("abc", "'abc' is not a number"), ("12 cities", "'12 cities' is not a number"), ("", "Enter a value"),
    ("1.23456", "more than 4 decimal places"), ("1" * 17, "too large"), ("NaN", "not a number"),
    ("45%", "only belongs to a percentage"), (True, "not a number"),
])
def test_parse_decimal_refuses_with_a_message_naming_the_value(raw, words):
    with pytest.raises(ValidationError) as exc:
        v.parse_decimal(raw)
    assert words in " ".join(exc.value.messages)


def test_percentage_accepts_percent_sign_and_bounds():
    assert v.clean_figure(measure="percentage", value="45%").value == Decimal("45")
    assert v.clean_figure(measure="percentage", value="100").value == Decimal("100")
    assert v.clean_figure(measure="percentage", value="0").value == Decimal("0")
    for bad in ("100.5", "-1", "145%"):
        with pytest.raises(ValidationError) as exc:
            v.clean_figure(measure="percentage", value=bad)
        assert exc.value.message_dict["value"] == [f"{bad!r} is not a percentage between 0 and 100."]


def test_yes_no_and_ratings():
    assert v.clean_figure(measure="yes_no", value="Yes").value == 1
    assert v.clean_figure(measure="yes_no", value="no").value == 0
    with pytest.raises(ValidationError, match="not yes or no"):
        v.clean_figure(measure="yes_no", value="maybe")
    assert v.clean_figure(measure="rating", rating="On track").rating == "on_track"
    assert v.clean_figure(measure="rating", rating="needs attention").rating == "needs_attention"
    assert v.clean_figure(measure="rating", rating="red").rating == "off_track"
    with pytest.raises(ValidationError) as exc:
        v.clean_figure(measure="rating", rating="excellent")
    assert "'excellent' is not a rating" in exc.value.message_dict["rating"][0]


def test_qualitative_values_are_kept_apart():
    with pytest.raises(ValidationError) as exc:
        v.clean_figure(measure="rating", value="3", rating="on_track")
    assert "rated, not counted" in exc.value.message_dict["value"][0]
    with pytest.raises(ValidationError) as exc:
        v.clean_figure(measure="number", value="3", rating="on_track")
    assert "Only qualitative indicators take a rating" in exc.value.message_dict["rating"][0]


def test_required_and_optional_figures():
    with pytest.raises(ValidationError) as exc:
        v.clean_figure(measure="number", value="  ")
    assert exc.value.message_dict == {"value": ["Enter a value."]}
    assert v.clean_figure(measure="number", value="", required=False).is_empty


def test_periods_inside_the_framework():
    spec = v.clean_period("fy14", first_fiscal_year=2013, last_fiscal_year=2016)
    assert spec.label == "FY2014"
    assert v.clean_period("FY2016 Q3", first_fiscal_year=2013, last_fiscal_year=2016).label == "FY2016-Q3"
    with pytest.raises(ValidationError) as exc:
        v.clean_period("FY2012", first_fiscal_year=2013, last_fiscal_year=2016, framework="Corporate")
    assert exc.value.messages == ["FY2012 is outside Corporate, which covers FY2013 to FY2016."]
    with pytest.raises(ValidationError, match="'2014' is not a reporting period"):
        v.clean_period("2014", first_fiscal_year=2013, last_fiscal_year=2016)
    with pytest.raises(ValidationError, match="two halves"):
        v.parse_period("FY2014-H3")


def test_evidence_files():
    v.check_evidence_file(name="Report 2016.PDF", size=1000)
    with pytest.raises(ValidationError, match="'run.exe': evidence must be one of these file types"):
        v.check_evidence_file(name="run.exe", size=10)
    with pytest.raises(ValidationError, match="at most 10 MB"):
        v.check_evidence_file(name="big.pdf", size=v.EVIDENCE_MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="is empty"):
        v.check_evidence_file(name="empty.csv", size=0)


def test_format_figure():
    assert v.format_figure(measure="number", value=Decimal("1200.0000"), unit="cities") == "1,200 cities"
    assert v.format_figure(measure="number", value=Decimal("3.4000")) == "3.4"
    assert v.format_figure(measure="percentage", value=Decimal("45")) == "45%"
    assert v.format_figure(measure="yes_no", value=Decimal("1")) == "Yes"
    assert v.format_figure(measure="rating", value=None, rating="off_track") == "Off track"
    assert v.format_figure(measure="number", value=None) == "—"


decimals = st.decimals(min_value=Decimal("-999999999999"), max_value=Decimal("999999999999"), places=4,
                       allow_nan=False, allow_infinity=False)


@given(decimals, st.sampled_from([
    "{:,}".format, str, lambda n: f" {n} ", lambda n: f"{n:,}".replace(",", " "),
    lambda n: f"{n:,}".replace(",", "\u00a0")]))
def test_parse_decimal_reads_back_what_people_write(number, write):
    assert v.parse_decimal(write(number)) == number


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False), st.booleans())
def test_every_percentage_from_0_to_100_is_accepted(number, sign):
    assert v.clean_figure(measure="percentage", value=f"{number}{'%' if sign else ''}").value == number
