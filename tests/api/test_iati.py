"""The IATI 2.03 export: it validates against the official schema and passes IATI's results rules
on the seeded chains with the demo data, maps the domain as the README says, and lets only
approved figures out."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from api import iati_checks, iati_export
from indicators import services
from indicators.models import Indicator, Measurement

TODAY = date.today()


def _doc(*codes):
    return iati_export.document(list(codes))


def _indicator(doc, code):
    for el in doc.iter("indicator"):
        if f"Indicator {code}." in (el.findtext("description/narrative") or ""):
            return el
    raise AssertionError(f"{code} is not in the export")


def _period(indicator_el, start):
    return next(p for p in indicator_el.iter("period") if p.find("period-start").get("iso-date") == start)


@pytest.mark.parametrize("code", ["CORP", "SEC"])
def test_the_seeded_chains_validate_against_the_official_schema(demo, iati_schema_dir, code):
    doc = _doc(code)
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    from indicators.models import Indicator
    from results.levels import Level

    exported = Indicator.objects.filter(result__framework__code=code).exclude(result__level=Level.ACTIVITY)
    assert len(list(doc.iter("indicator"))) == exported.count() >= 4  # Activities are left out by default
    # Round trip through bytes, as a consumer reads it.
    reparsed = etree.ElementTree(etree.fromstring(iati_export.export_bytes([code])))
    assert iati_checks.schema_errors(reparsed, iati_schema_dir) == []


@pytest.mark.parametrize("code", ["CORP", "SEC"])
def test_the_seeded_chains_pass_the_iati_results_rules(demo, code):
    assert iati_checks.rule_errors(_doc(code), today=TODAY) == []


def test_both_chains_in_one_document_validate(demo, iati_schema_dir):
    doc = _doc("CORP", "SEC")
    assert [a.findtext("iati-identifier") for a in doc.iter("iati-activity")] == [
        "XI-IATI-CITIESALLIANCE-CORP", "XI-IATI-CITIESALLIANCE-SEC"]
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    assert iati_checks.rule_errors(doc, today=TODAY) == []


def test_results_types_measures_direction_and_references(demo):
    doc = _doc("CORP", "SEC")
    types = {r.find("reference").get("code"): r.get("type") for r in doc.iter("result")}
    assert types["CORP-IO"] == "2"  # an Intermediate Outcome is reported as an outcome
    assert types["CORP-OUT-1"] == types["SEC-OUT-4"] == "1"
    assert types["SEC-OC"] == "2"
    corp_io = next(r for r in doc.iter("result") if r.find("reference").get("code") == "CORP-IO")
    assert "Intermediate Outcome" in corp_io.findtext("description/narrative")
    # Only the result carries a reference (rule 8.11.1).
    assert not list(doc.iter("indicator")) or all(i.find("reference") is None for i in doc.iter("indicator"))
    assert _indicator(doc, "CORP-IO-I1").get("measure") == "2"  # percentage
    assert _indicator(doc, "CORP-OUT-1-I1").attrib == {"measure": "1", "ascending": "1"}
    assert _indicator(doc, "SEC-OUT-4-I1").get("ascending") == "0"  # decrease
    qualitative = _indicator(doc, "SEC-OC-I1")
    assert qualitative.get("measure") == "5"
    assert all(el.get("value") is None for tag in ("baseline", "target", "actual") for el in qualitative.iter(tag))
    assert "Rating: " in qualitative.find("period/actual/comment/narrative").text


def test_only_approved_figures_leave(demo):
    """CORP-OUT-1-I1: FY2014 and FY2015 approved (2 and 2 on a baseline of 3, cumulative), FY2016
    submitted (3): the export has the FY2016 target but no FY2016 actual."""
    ind = _indicator(_doc("CORP"), "CORP-OUT-1-I1")
    baseline = ind.find("baseline")
    assert baseline.attrib == {"year": "2013", "iso-date": "2013-06-30", "value": "3"}
    assert _period(ind, "2013-07-01").find("actual").get("value") == "5"  # 3 + 2: stated like the target
    assert _period(ind, "2014-07-01").find("actual").get("value") == "7"
    fy2016 = _period(ind, "2015-07-01")
    assert fy2016.find("target").get("value") == "11"
    assert fy2016.find("actual") is None
    # A planned baseline is no figure: SEC-OUT-3-I1 has none in the export.
    assert _indicator(_doc("SEC"), "SEC-OUT-3-I1").find("baseline") is None


def test_a_revision_under_way_keeps_its_approved_figure_and_words(demo):
    officer = demo["officer"]
    m = Measurement.objects.get(indicator__code="CORP-OUT-2-I1", period__label="FY2014")
    approved_value = m.approved_value
    services.measurement_save_draft(indicator=m.indicator, period="FY2014", by=officer, version=m.version,
                                    value="999", comment="DRAFT WORDS", evidence_url="https://example.org/draft", so_what="Used to plan the next round.")
    ind = _indicator(_doc("CORP"), "CORP-OUT-2-I1")
    actual = _period(ind, "2013-07-01").find("actual")
    text = etree.tostring(actual, encoding="unicode")
    assert "999" not in text and "DRAFT WORDS" not in text and "example.org/draft" not in text
    baseline = Decimal(ind.find("baseline").get("value"))
    indicator = Indicator.objects.get(code="CORP-OUT-2-I1")
    expected = approved_value + (baseline if indicator.aggregation == "sum" else 0)
    assert Decimal(actual.get("value")) == expected


def test_evidence_links_are_absolute_document_links(demo, settings):
    settings.SITE_URL = "https://rbm.example.org"
    doc = _doc("CORP")
    links = list(doc.iter("document-link"))
    assert links and all(link.find("category").get("code") == "A08" for link in links)
    assert all(link.get("url").startswith("https://") for link in links)


def test_an_evidence_file_links_to_the_sites_download(make_indicator, officer, manager, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SITE_URL = "https://rbm.example.org"
    indicator = make_indicator()
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="4", submit=True,
                                    so_what="Used to plan the next round.",
                                    evidence=SimpleUploadedFile("report.pdf", b"%PDF-1.4 x"))
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    doc = _doc(indicator.result.framework.code)
    link = next(doc.iter("document-link"))
    assert link.get("url") == f"https://rbm.example.org{reverse('indicators:evidence', args=[m.pk])}"
    assert link.get("format") == "application/pdf"


def test_hostile_text_is_escaped_or_dropped_and_still_valid(make_chain, make_indicator, officer, manager,
                                                            iati_schema_dir):
    from results import services as result_services

    chain = make_chain()
    # Control characters XML 1.0 cannot carry (PostgreSQL stores them; a NUL it refuses, see below).
    hostile = 'Cities <b>&amp; "towns"</b> \x01\x0b\x1f\ufffe ]]> <!-- -->'
    result_services.result_update(result=chain["outputs"][0], statement=hostile)
    indicator = make_indicator(chain["outputs"][0], name=hostile, definition=hostile)
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="4", comment=hostile,
                                    evidence_url="https://example.org/r", so_what="Used to plan the next round.", submit=True)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    raw = iati_export.export_bytes([chain["framework"].code])
    doc = etree.ElementTree(etree.fromstring(raw))
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    title = _indicator(doc, indicator.code).findtext("title/narrative")
    assert title == 'Cities <b>&amp; "towns"</b>  ]]> <!-- -->'
    assert b"\x01" not in raw and b"<b>" not in raw


def test_text_xml_cannot_carry_is_dropped():
    from api import iati

    assert iati.clean("a\x00b\x08c\ud800d\ufffee\tf\U0001F4A9") == "abcde\tf\U0001F4A9"


def test_results_without_indicators_and_activities_are_left_out(make_chain, make_indicator, settings):
    chain = make_chain(outputs=2, activities_per_output=1)
    activity = chain["outputs"][0].get_children().first()
    make_indicator(activity, code="ACT-IND")
    make_indicator(chain["outputs"][1], code="OUT-IND")
    codes = [r.find("reference").get("code") for r in _doc(chain["framework"].code).iter("result")]
    assert codes == [chain["outputs"][1].code]
    settings.IATI_INCLUDE_ACTIVITIES = True
    results = {r.find("reference").get("code"): r.get("type") for r in _doc(chain["framework"].code).iter("result")}
    assert results[activity.code] == "9"


def test_maintain_has_no_ascending_and_yes_no_is_a_unit(make_indicator):
    keep = make_indicator(code="KEEP", direction="maintain", aggregation="latest")
    yes = make_indicator(keep.result, code="YESNO", measure="yes_no", aggregation="latest")
    doc = _doc(keep.result.framework.code)
    assert "ascending" not in _indicator(doc, "KEEP").attrib
    assert _indicator(doc, "YESNO").attrib == {"measure": "1", "ascending": "1"}
    assert yes.measure == "yes_no"


def test_activity_dates_follow_the_framework_years(make_framework, make_indicator):
    from results import services as result_services
    from results.levels import Level
    from results.models import ResultsFramework

    framework = make_framework()
    ResultsFramework.objects.filter(pk=framework.pk).update(first_fiscal_year=TODAY.year + 2,
                                                            last_fiscal_year=TODAY.year + 4)
    impact = result_services.result_create(framework=framework, level=Level.IMPACT, code=f"{framework.code}-I",
                                           statement="Later")
    make_indicator(impact, code="LATER")
    activity = next(_doc(framework.code).iter("iati-activity"))
    dates = {d.get("type"): d.get("iso-date") for d in activity.iter("activity-date")}
    # Not begun: planned dates only, never an actual date in the future (rule 11.1.2).
    assert dates == {"1": f"{TODAY.year + 1}-07-01", "3": f"{TODAY.year + 4}-06-30"}


# -- the rule checker finds what it is there to find -------------------------------------------------

def _broken(demo_doc, mutate):
    mutate(demo_doc.getroot())
    return iati_checks.rule_errors(demo_doc, today=TODAY)


def test_the_rule_checker_reports_each_rule(demo):
    doc = _doc("CORP")

    def swap_dates(root):
        period = next(root.iter("period"))
        start, end = period.find("period-start"), period.find("period-end")
        s, e = start.get("iso-date"), end.get("iso-date")
        start.set("iso-date", e)
        end.set("iso-date", s)
    assert any(e.startswith("8.6.1") for e in _broken(doc, swap_dates))

    doc = _doc("CORP")
    assert any(e.startswith("8.9.1") for e in _broken(doc, lambda r: next(r.iter("target")).attrib.pop("value")))
    doc = _doc("CORP")
    assert any(e.startswith("8.10.2") for e in _broken(doc, lambda r: next(r.iter("actual")).set("value", "n/a")))
    doc = _doc("SEC")
    qualitative = next(i for i in doc.iter("indicator") if i.get("measure") == "5")
    next(qualitative.iter("actual")).set("value", "1")
    assert any(e.startswith("8.10.3") for e in iati_checks.rule_errors(doc, today=TODAY))

    doc = _doc("CORP")

    def both_references(root):
        indicator = next(root.iter("indicator"))
        indicator.insert(2, etree.Element("reference", vocabulary="99", code="X"))
    assert any(e.startswith("8.11.1") for e in _broken(doc, both_references))

    doc = _doc("CORP")

    def future_actual(root):
        next(d for d in root.iter("activity-date") if d.get("type") == "2").set("iso-date", "2999-01-01")
    assert any(e.startswith("11.1") for e in _broken(doc, future_actual))


def test_the_schema_check_reports_a_broken_document(demo, iati_schema_dir):
    doc = _doc("CORP")
    activity = next(doc.iter("iati-activity"))
    activity.remove(activity.find("reporting-org"))
    assert iati_checks.schema_errors(doc, iati_schema_dir)


# -- the command and the download -------------------------------------------------------------------

def test_the_command_writes_a_valid_file(demo, iati_schema_dir, tmp_path, capsys):
    out = tmp_path / "corp.xml"
    call_command("export_iati", framework=["corp"], output=str(out), validate=str(iati_schema_dir))
    doc = etree.parse(str(out))
    assert iati_checks.schema_errors(doc, iati_schema_dir) == []
    assert "valid against the schema and the IATI rules" in capsys.readouterr().err


def test_the_command_exports_every_framework_and_refuses_unknown_codes(demo, capsys):
    from django.core.management.base import CommandError

    call_command("export_iati", framework=["ALL"])
    doc = etree.fromstring(capsys.readouterr().out.encode("utf-8"))
    assert len(doc.findall("iati-activity")) == 2
    with pytest.raises(CommandError, match="no results framework 'NOPE'"):
        call_command("export_iati", framework=["NOPE"])
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_iati", framework=["CORP"], validate="/nonexistent")


def test_the_framework_page_offers_the_download(demo, client, committee, make_user):
    client.force_login(committee)
    page = client.get(reverse("results:framework", args=["CORP"])).content.decode()
    url = reverse("api:framework-iati", args=["CORP"])
    assert f'href="{url}"' in page and "Download IATI XML" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"] == 'attachment; filename="iati-corp.xml"'
    assert etree.fromstring(response.content).get("version") == "2.03"
    client.force_login(make_user(None))
    assert client.get(url).status_code == 403


def test_the_export_reads_a_constant_number_of_queries(make_chain, make_indicator, officer, manager,
                                                      django_assert_num_queries):
    def grow(chain, n):
        for i in range(n):
            indicator = make_indicator(chain["outputs"][i % 2], code=f"{chain['framework'].code}-Q{i}")
            services.baseline_record(indicator=indicator, by=officer, value="1", period="FY2013")
            t = services.target_set(indicator=indicator, period="FY2014", by=officer, value="5")
            t = services.target_approve(target=t, by=manager, version=t.version)
            services.target_revise(target=t, by=officer, value="6", rationale="More", version=t.version)
            m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3",
                                            evidence_url="https://example.org/e", so_what="Used to plan the next round.", submit=True)
            m = services.measurement_approve(measurement=m, by=manager, version=m.version)
            services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="4",
                                            version=m.version)

    small, large = make_chain(code="SMALL"), make_chain(code="LARGE")
    grow(small, 2)
    grow(large, 12)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _doc("SMALL")
    with django_assert_num_queries(len(captured)):
        doc = _doc("LARGE")
    assert len(list(doc.iter("indicator"))) == 12
