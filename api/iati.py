"""The IATI 2.03 `iati-activities` document of results frameworks (one activity per framework).

Built with lxml from the rows of api.iati_selectors (approved figures only); nothing here reads the
database. The choices a publisher must make, and that the README's IATI section explains:

- result type: Impact 3, Outcome 2, Intermediate Outcome 2 (IATI has no intermediate level; the
  result's description says which it was), Output 1; Activities are work done, not results, and
  are left out unless IATI_INCLUDE_ACTIVITIES asks for them as 9 (Other). A result without an
  indicator is left out (the schema needs at least one).
- measure: number and currency 1 (Unit), percentage 2, yes/no 1 (Unit) with 0 = no and 1 = yes so
  that it stays countable, rating 5 (Qualitative) with the rating in words and no value.
- ascending: 1 for increase, 0 for decrease; left out for maintain (holding a level is neither).
- the result carries the reference (vocabulary 99, its code); indicators carry none (rule 8.11.1).
- per period: the approved target and the approved actual, stated alike (actual(P)), with the
  comment and the evidence as document-links (category A08, absolute URLs from SITE_URL).
- parts (issue 14): after each total, one more baseline, target or actual per approved part,
  carrying `<dimension name="Sex" value="female"/>` (IATI 2.03's disaggregation); a percentage's
  part says its numerator and denominator in the comment. An actual's part is left out where it
  cannot be split (api.iati_selectors).
"""
from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

from lxml import etree

from indicators.validation import RATINGS
from results.levels import Level

from .approved import ApprovedPart
from .iati_selectors import IatiFramework, IatiIndicator, IatiPeriod

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RESULT_TYPES = {Level.IMPACT: "3", Level.OUTCOME: "2", Level.INTERMEDIATE_OUTCOME: "2", Level.OUTPUT: "1",
                Level.ACTIVITY: "9"}
MEASURES = {"number": "1", "currency": "1", "yes_no": "1", "percentage": "2", "rating": "5"}
ASCENDING = {"increase": "1", "decrease": "0"}  # maintain: no attribute
RESULT_VOCABULARY = "99"  # Reporting Organisation
EVIDENCE_CATEGORY = "A08"  # Results, outcomes and outputs
ACTIVITY_DATE = {"planned_start": "1", "actual_start": "2", "planned_end": "3", "actual_end": "4"}
# Characters XML 1.0 cannot carry (NUL, most C0 controls, lone surrogates): dropped, never a crash.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Publisher:
    """The activity's fixed fields (settings IATI_*; see the README's configuration table)."""
    org_ref: str
    org_type: str
    org_name: str
    participating_role: str
    activity_status: str
    language: str
    site_url: str
    evidence_path: str  # the evidence download's path with {pk} for the measurement, e.g. /indicators/evidence/{pk}/


def clean(text) -> str:
    return _NOT_XML.sub("", str(text or "")).strip()


def number(value: Decimal) -> str:
    """A decimal as IATI reads it: plain digits, no exponent, no trailing zeros (1200, 12.5)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _narrative(parent, text: str, tag: str | None = None):
    """`parent` (or a new child `tag` of it) holding one narrative; None when there is no text."""
    text = clean(text)
    if not text:
        return None
    holder = etree.SubElement(parent, tag) if tag else parent
    etree.SubElement(holder, "narrative").text = text
    return holder


def _titled(parent, tag: str, text: str, fallback: str, translations: dict[str, str] | None = None):
    holder = etree.SubElement(parent, tag)
    etree.SubElement(holder, "narrative").text = clean(text) or fallback
    _translated(holder, translations)
    return holder


def _translated(holder, translations: dict[str, str] | None) -> None:
    """One narrative per stored translation, in its own xml:lang (IATI's multilingual narratives);
    the English text before them carries the activity's default language."""
    if holder is None:
        return
    for lang, text in (translations or {}).items():
        if clean(text):
            etree.SubElement(holder, "narrative", **{XML_LANG: lang}).text = clean(text)


def _document_link(parent, *, url: str, title: str, media: str | None = None):
    """A link to evidence; its format is the media type its name suggests (a web page by default)."""
    if media is None:
        path = PurePosixPath(url.split("?", 1)[0].split("#", 1)[0])
        media = mimetypes.guess_type(path.name)[0] if path.suffix else None
    link = etree.SubElement(parent, "document-link", url=clean(url), format=media or "text/html")
    _titled(link, "title", title, "Evidence")
    etree.SubElement(link, "category", code=EVIDENCE_CATEGORY)


def _rating(code: str) -> str:
    return RATINGS.get(code, code.replace("_", " "))


def _dimension(el, part: ApprovedPart) -> None:
    etree.SubElement(el, "dimension", name=clean(part.dimension), value=clean(part.name))


def _share(part: ApprovedPart) -> str:
    """ "30 of 50" for a percentage's part, "" otherwise."""
    if part.numerator is None or part.denominator is None:
        return ""
    return f"{part.dimension}, {part.name}: {number(part.numerator)} of {number(part.denominator)}."


def _part_element(parent, tag: str, part: ApprovedPart, value: Decimal, words: list[str], **attrs):
    """A baseline, target or actual of one dimension value (its dimension before its comment)."""
    el = etree.SubElement(parent, tag, value=number(value), **attrs)
    _dimension(el, part)
    _narrative(el, " ".join(clean(w) for w in words if clean(w)), "comment")
    return el


def _target(period_el, indicator: IatiIndicator, period: IatiPeriod) -> None:
    target = period.target
    if target is None:
        return
    if indicator.qualitative:
        el = etree.SubElement(period_el, "target")
        _narrative(el, f"Rating aimed for: {_rating(target.rating)}. {target.rationale}", "comment")
        return
    if target.value is None:
        return
    el = etree.SubElement(period_el, "target", value=number(target.value))
    comment = target.rationale
    if indicator.measure == "yes_no":
        comment = f"{'Yes' if target.value >= 1 else 'No'} (1 = yes, 0 = no). {comment}"
    _narrative(el, comment, "comment")
    for part in target.parts:
        if part.value is not None:
            _part_element(period_el, "target", part, part.value, [_share(part)])


def _actual(period_el, indicator: IatiIndicator, period: IatiPeriod, publisher: Publisher) -> None:
    m = period.measurement
    if m is None:
        return
    words = []
    if indicator.qualitative:
        el = etree.SubElement(period_el, "actual")
        words.append(f"Rating: {_rating(m.rating)}.")
        words.append(m.text)
    else:
        if period.actual is None:
            return  # nothing countable to report (8.10.1 needs a value)
        el = etree.SubElement(period_el, "actual", value=number(period.actual))
        if indicator.measure == "yes_no":
            words.append(f"{'Yes' if period.actual >= 1 else 'No'} (1 = yes, 0 = no).")
        if indicator.aggregation == "sum" and m.value is not None and m.value != period.actual:
            words.append(f"Cumulative total; {period.label} alone: {number(m.value)}.")
        elif indicator.aggregation == "average":
            words.append(f"Average of the periods to {period.label}; {period.label} alone: "
                         f"{number(m.value) if m.value is not None else '-'}.")
    words.append(m.comment)
    if clean(m.so_what):
        words.append(f"So what? {m.so_what}")
    _narrative(el, " ".join(clean(w) for w in words if clean(w)), "comment")
    if m.evidence_url:
        _document_link(el, url=m.evidence_url, title=f"Evidence for {indicator.code}, {period.label}")
    if m.evidence_file:
        url = publisher.site_url + publisher.evidence_path.replace("{pk}", str(m.pk))
        name = PurePosixPath(m.evidence_file).name
        link_title = f"Evidence file for {indicator.code}, {period.label} ({name})"
        _document_link(el, url=url, title=link_title,
                       media=mimetypes.guess_type(name)[0] or "application/octet-stream")
    for item in period.actual_parts:
        words = [_share(item.part)]
        if item.value != item.part.value:
            kind = "Cumulative total" if indicator.aggregation == "sum" else f"Average of the periods to {period.label}"
            words.append(f"{kind}; {period.label} alone: {number(item.part.value)}.")
        _part_element(period_el, "actual", item.part, item.value, words)


def _indicator(result_el, indicator: IatiIndicator, publisher: Publisher) -> None:
    attrs = {"measure": MEASURES[indicator.measure]}
    if indicator.direction in ASCENDING:
        attrs["ascending"] = ASCENDING[indicator.direction]
    el = etree.SubElement(result_el, "indicator", **attrs)
    _titled(el, "title", indicator.name, indicator.code, indicator.name_translations)
    facts = [f"Indicator {indicator.code}."]
    if indicator.unit:
        facts.append(f"Unit: {indicator.unit}.")
    if indicator.direction == "maintain":
        facts.append("Direction: maintain the level (neither ascending nor descending).")
    _translated(_narrative(el, " ".join([clean(indicator.definition)] + facts).strip(), "description"),
                indicator.definition_translations)
    baseline = indicator.baseline
    if baseline is not None and (indicator.qualitative or baseline.value is not None):
        attrs = {"year": str(baseline.day.year), "iso-date": baseline.day.isoformat()}
        if not indicator.qualitative:
            attrs["value"] = number(baseline.value)
        b = etree.SubElement(el, "baseline", **attrs)
        comment = baseline.text if indicator.qualitative else ""
        if baseline.source:
            comment = f"{comment} Source: {baseline.source}".strip()
        _narrative(b, comment, "comment")
        if not indicator.qualitative:
            for part in baseline.parts:
                _part_element(el, "baseline", part, part.value, [_share(part)],
                              year=attrs["year"], **{"iso-date": attrs["iso-date"]})
    for period in indicator.periods:
        p = etree.SubElement(el, "period")
        etree.SubElement(p, "period-start", **{"iso-date": period.start.isoformat()})
        etree.SubElement(p, "period-end", **{"iso-date": period.end.isoformat()})
        _target(p, indicator, period)
        _actual(p, indicator, period, publisher)


def _activity(root, framework: IatiFramework, publisher: Publisher, today: date):
    updated = framework.last_updated
    attrs = {XML_LANG: publisher.language}
    if updated is not None:
        attrs["last-updated-datetime"] = updated.replace(microsecond=0).isoformat()
    activity = etree.SubElement(root, "iati-activity", **attrs)
    etree.SubElement(activity, "iati-identifier").text = clean(f"{publisher.org_ref}-{framework.code}")
    org = etree.SubElement(activity, "reporting-org", ref=clean(publisher.org_ref), type=clean(publisher.org_type))
    etree.SubElement(org, "narrative").text = clean(publisher.org_name) or clean(publisher.org_ref)
    _titled(activity, "title", framework.name, framework.code)
    description = etree.SubElement(activity, "description", type="1")
    etree.SubElement(description, "narrative").text = clean(framework.description) or clean(framework.name)
    if framework.illustrative:
        _narrative(activity, "Contains illustrative demonstration or synthetic figures: they are not "
                             "Cities Alliance results.", "description").set("type", "4")
    participant = etree.SubElement(activity, "participating-org", ref=clean(publisher.org_ref),
                                   role=clean(publisher.participating_role), type=clean(publisher.org_type))
    etree.SubElement(participant, "narrative").text = clean(publisher.org_name) or clean(publisher.org_ref)
    etree.SubElement(activity, "activity-status", code=clean(publisher.activity_status))
    # Planned dates from the framework's fiscal years; an actual start only once it has begun, and
    # never an actual end: the system cannot know that the work has finished (rule 11.1).
    etree.SubElement(activity, "activity-date", type=ACTIVITY_DATE["planned_start"],
                     **{"iso-date": framework.start.isoformat()})
    if framework.start <= today:
        etree.SubElement(activity, "activity-date", type=ACTIVITY_DATE["actual_start"],
                         **{"iso-date": framework.start.isoformat()})
    etree.SubElement(activity, "activity-date", type=ACTIVITY_DATE["planned_end"],
                     **{"iso-date": framework.end.isoformat()})
    for result in framework.results:
        if not result.indicators:
            continue
        el = etree.SubElement(activity, "result", type=RESULT_TYPES[Level(result.level)])
        _titled(el, "title", result.statement, result.code, result.statement_translations)
        level_note = result.level_name
        if result.level == Level.INTERMEDIATE_OUTCOME:
            level_note += " (reported as an IATI outcome)"
        _narrative(el, f"{level_note}. {clean(result.description)}".strip(), "description")
        etree.SubElement(el, "reference", vocabulary=RESULT_VOCABULARY, code=clean(result.code))
        for indicator in result.indicators:
            _indicator(el, indicator, publisher)


def build_document(frameworks: list[IatiFramework], *, publisher: Publisher, now: datetime):
    """The iati-activities document (an lxml ElementTree) with one activity per framework."""
    root = etree.Element("iati-activities", version=VERSION,
                         **{"generated-datetime": now.replace(microsecond=0).isoformat()})
    for framework in frameworks:
        _activity(root, framework, publisher, now.date())
    return etree.ElementTree(root)


def to_bytes(document) -> bytes:
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
