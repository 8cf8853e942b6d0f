"""The IATI export of disaggregated figures (issue 14): after each approved total, one baseline,
target or actual per approved part with IATI 2.03's <dimension name= value=/>, valid against the
official schema; an actual's part only where the arithmetic can split it."""
from decimal import Decimal

import pytest

from api import iati_checks, iati_export
from indicators import services
from indicators.services.parts import PartInput

D = Decimal


def _indicator(doc, code):
    return next(el for el in doc.iter("indicator") if f"Indicator {code}." in el.findtext("description/narrative"))


def _period(indicator_el, start):
    return next(p for p in indicator_el.iter("period") if p.find("period-start").get("iso-date") == start)


def _figures(el, tag):
    """[(value, "Sex: female" or None)] of the period's (or indicator's) `tag` children, in order."""
    out = []
    for child in el.findall(tag):
        dim = child.find("dimension")
        out.append((child.get("value"), f"{dim.get('name')}: {dim.get('value')}" if dim is not None else None))
    return out


def _approve_measurement(indicator, period, value, parts, officer, manager):
    m = services.measurement_record(indicator=indicator, period=period, by=officer, value=value, parts=parts,
                                    evidence_url="https://example.org/e", so_what="Used to plan.", submit=True)
    return services.measurement_approve(measurement=m, by=manager, version=m.version)


def _approve_target(indicator, period, value, parts, officer, manager):
    t = services.target_set(indicator=indicator, period=period, by=officer, value=value, parts=parts)
    return services.target_approve(target=t, by=manager, version=t.version)


def test_the_demo_with_parts_validates_and_carries_them(demo, iati_schema_dir):
    doc = iati_export.document(["CORP"])
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    assert iati_checks.rule_errors(doc, today=__import__("datetime").date.today()) == []
    trained = _indicator(doc, "CORP-OUT-3-I1")  # cumulative, from a baseline of 0
    fy2015 = _period(trained, "2014-07-01")
    assert _figures(fy2015, "target") == [("900", None), ("450", "Sex: female"), ("450", "Sex: male")]
    # actual(FY2015) = 0 + 420 + 380; female 180 + 210, male 240 + 170
    assert _figures(fy2015, "actual") == [("800", None), ("390", "Sex: female"), ("410", "Sex: male")]
    female = fy2015.findall("actual")[1]
    assert "FY2015 alone: 210." in female.findtext("comment/narrative")
    # The schema's order: every target before the first actual, a part's dimension before its comment.
    tags = [child.tag for child in fy2015]
    assert tags.index("actual") > max(i for i, t in enumerate(tags) if t == "target")
    assert [c.tag for c in female] == ["dimension", "comment"]


def test_activities_with_parts_validate_too(demo, iati_schema_dir, settings):
    settings.IATI_INCLUDE_ACTIVITIES = True
    doc = iati_export.document(["CORP"])
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    courses = _period(_indicator(doc, "CORP-OUT-3-A1-I1"), "2015-07-01")
    assert _figures(courses, "actual") == [("11", None), ("6", "Country: Uganda"), ("3", "Country: Ghana"),
                                           ("2", "Country: Viet Nam")]


def test_a_running_total_that_cannot_be_split_has_no_parts(make_indicator, sex, officer, manager, iati_schema_dir):
    dim, female, male = sex
    # A count built up from a baseline of 10 that has no parts: the slice has no starting total.
    from_baseline = make_indicator(code="IP-BASE", aggregation="sum", unit="people")
    # A count whose first measurement had no parts: the running total cannot be split after it.
    late = make_indicator(from_baseline.result, code="IP-LATE", aggregation="sum", unit="people")
    # A latest-value count: each period's parts are its own.
    latest = make_indicator(from_baseline.result, code="IP-LATEST", aggregation="latest", unit="people")
    for indicator in (from_baseline, late, latest):
        dim.indicators.add(indicator)
    services.baseline_record(indicator=from_baseline, by=officer, value="10", period="FY2013")
    split = {female.pk: PartInput(D(3)), male.pk: PartInput(D(2))}
    _approve_target(from_baseline, "FY2014", "20", {female.pk: PartInput(D(12)), male.pk: PartInput(D(8))},
                    officer, manager)
    _approve_measurement(from_baseline, "FY2014", "5", split, officer, manager)
    _approve_measurement(late, "FY2014", "4", None, officer, manager)
    _approve_measurement(late, "FY2015", "5", split, officer, manager)
    _approve_measurement(latest, "FY2014", "4", None, officer, manager)
    _approve_measurement(latest, "FY2015", "5", split, officer, manager)

    doc = iati_export.document([from_baseline.result.framework.code])
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    base = _period(_indicator(doc, "IP-BASE"), "2013-07-01")
    assert _figures(base, "target") == [("20", None), ("12", "Sex: female"), ("8", "Sex: male")]
    assert _figures(base, "actual") == [("15", None)]  # 10 + 5, and no split of the 10
    assert _figures(_period(_indicator(doc, "IP-LATE"), "2014-07-01"), "actual") == [("9", None)]
    assert _figures(_period(_indicator(doc, "IP-LATEST"), "2014-07-01"), "actual") == [
        ("5", None), ("3", "Sex: female"), ("2", "Sex: male")]


def test_baseline_parts_are_exported_and_start_the_slices_running_total(make_indicator, sex, officer, manager,
                                                                        iati_schema_dir):
    dim, female, male = sex
    indicator = make_indicator(code="IP-BP", aggregation="sum", unit="people")
    dim.indicators.add(indicator)
    services.baseline_record(indicator=indicator, by=officer, value="10", period="FY2013",
                             parts={female.pk: PartInput(D(6)), male.pk: PartInput(D(4))})
    _approve_measurement(indicator, "FY2014", "5", {female.pk: PartInput(D(3)), male.pk: PartInput(D(2))},
                         officer, manager)
    doc = iati_export.document([indicator.result.framework.code])
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    el = _indicator(doc, "IP-BP")
    assert _figures(el, "baseline") == [("10", None), ("6", "Sex: female"), ("4", "Sex: male")]
    assert {b.get("year") for b in el.findall("baseline")} == {"2013"}
    assert _figures(_period(el, "2013-07-01"), "actual") == [("15", None), ("9", "Sex: female"), ("6", "Sex: male")]


def test_a_percentages_parts_say_their_numerator_and_denominator(make_indicator, sex, officer, manager,
                                                                 iati_schema_dir):
    dim, female, male = sex
    indicator = make_indicator(code="IP-PCT", measure="percentage", aggregation="latest", unit="%")
    dim.indicators.add(indicator)
    _approve_measurement(indicator, "FY2014", None, {female.pk: PartInput(numerator=D(30), denominator=D(50)),
                                                     male.pk: PartInput(numerator=D(10), denominator=D(150))},
                         officer, manager)
    doc = iati_export.document([indicator.result.framework.code])
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    period = _period(_indicator(doc, "IP-PCT"), "2013-07-01")
    # 40 of 200 = 20%, recomputed, never the mean of 60% and 6.67%
    assert _figures(period, "actual") == [("20", None), ("60", "Sex: female"), ("6.6667", "Sex: male")]
    assert "Sex, female: 30 of 50." in period.findall("actual")[1].findtext("comment/narrative")


def test_only_approved_parts_leave(make_indicator, sex, officer, manager):
    dim, female, male = sex
    indicator = make_indicator(code="IP-REV", aggregation="latest", unit="people")
    dim.indicators.add(indicator)
    m = _approve_measurement(indicator, "FY2014", "5", {female.pk: PartInput(D(3)), male.pk: PartInput(D(2))},
                             officer, manager)
    services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="5", version=m.version,
                                    parts={female.pk: PartInput(D(1)), male.pk: PartInput(D(4))})
    _approve_measurement(indicator, "FY2015", "7", None, officer, manager)  # not split at all
    t = services.target_set(indicator=indicator, period="FY2016", by=officer, value="9",
                            parts={female.pk: PartInput(D(5)), male.pk: PartInput(D(4))})  # never approved
    assert t.status == "preliminary"
    doc = iati_export.document([indicator.result.framework.code])
    el = _indicator(doc, "IP-REV")
    assert _figures(_period(el, "2013-07-01"), "actual") == [("5", None), ("3", "Sex: female"), ("2", "Sex: male")]
    assert _figures(_period(el, "2014-07-01"), "actual") == [("7", None)]
    assert not [p for p in el.iter("period") if p.find("period-start").get("iso-date") == "2015-07-01"]


@pytest.mark.parametrize("hostile", ['<script>"&\x00', "]]>\x01"])
def test_hostile_dimension_names_are_escaped_and_valid(make_indicator, officer, manager, iati_schema_dir, hostile):
    from django.db import connection

    from indicators.dimensions import Dimension, DimensionValue

    if "\x00" in hostile and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store a NUL in text at all (the site refuses NUL bytes before any write); "
                    "the export's handling of one is checked on SQLite")
    dim = Dimension.objects.create(name=f"Dim {hostile}", slug="dim")
    a = DimensionValue.objects.create(dimension=dim, name=f"a {hostile}", slug="a")
    b = DimensionValue.objects.create(dimension=dim, name="b", slug="b")
    indicator = make_indicator(code="IP-HOST", aggregation="latest", unit="people")
    dim.indicators.add(indicator)
    _approve_measurement(indicator, "FY2014", "5", {a.pk: PartInput(D(3)), b.pk: PartInput(D(2))}, officer, manager)
    content = iati_export.export_bytes([indicator.result.framework.code])
    from lxml import etree

    doc = etree.ElementTree(etree.fromstring(content))
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    names = [d.get("name") for d in doc.iter("dimension")]
    assert names and all("\x00" not in n and "\x01" not in n and n.startswith("Dim ") for n in names)


def test_the_export_with_parts_reads_a_constant_number_of_queries(make_chain, make_indicator, sex, officer, manager,
                                                                 django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dim, female, male = sex

    def grow(chain, n):
        for i in range(n):
            indicator = make_indicator(chain["outputs"][i % 2], code=f"{chain['framework'].code}-Q{i}",
                                       aggregation="sum")
            dim.indicators.add(indicator)
            services.baseline_record(indicator=indicator, by=officer, value="1", period="FY2013",
                                     parts={female.pk: PartInput(D(1)), male.pk: PartInput(D(0))})
            _approve_target(indicator, "FY2015", "9", {female.pk: PartInput(D(5)), male.pk: PartInput(D(4))},
                            officer, manager)
            for period in ("FY2014", "FY2015"):
                _approve_measurement(indicator, period, "3", {female.pk: PartInput(D(2)), male.pk: PartInput(D(1))},
                                     officer, manager)

    small, large = make_chain(code="SMALL"), make_chain(code="LARGE")
    grow(small, 2)
    grow(large, 8)
    with CaptureQueriesContext(connection) as captured:
        iati_export.document(["SMALL"])
    with django_assert_num_queries(len(captured)):
        doc = iati_export.document(["LARGE"])
    assert len(list(doc.iter("dimension"))) == 8 * (2 + 2 + 2 * 2)  # baseline, target, two actuals: two parts each
