"""Checks of an IATI document: the official XML Schema, and the IATI rules that touch results.

The schema (IATI-Schemas, version 2.03) is not part of this repository: IATI publishes it under its
own licence and a copy here would drift from the official files. `manage.py export_iati --validate
DIR` and the tests point to a folder holding `iati-activities-schema.xsd`, `iati-common.xsd` and
`xml.xsd`. The schema checks structure only; `rule_errors` adds the rules of IATI's validator that a
results publisher must also pass (codes as IATI numbers them):

- 8.6.1  a period's start is before its end
- 8.8.x, 8.9.x, 8.10.x  baseline, target and actual carry a numeric @value for measures 1-4 and
  none for measure 5 (qualitative)
- 8.11.1 a reference sits on the result or on its indicators, not both
- 11.1.x activity dates in order; actual dates not in the future
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

SCHEMA_FILE = "iati-activities-schema.xsd"
QUANTITATIVE_MEASURES = {"1", "2", "3", "4"}
QUALITATIVE_MEASURE = "5"


def schema_errors(document, schema_dir: Path | str) -> list[str]:
    """The schema's complaints about `document` (empty when it validates)."""
    path = Path(schema_dir) / SCHEMA_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: point to the folder holding the IATI 2.03 schema files.")
    schema = etree.XMLSchema(etree.parse(str(path)))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except (InvalidOperation, TypeError):
        return False


def _where(el) -> str:
    indicator = next(el.iterancestors("indicator"), el if el.tag == "indicator" else None)
    result = next(el.iterancestors("result"), None)
    parts = []
    if result is not None:
        code = result.find("reference")
        parts.append(f"result {code.get('code') if code is not None else '?'}")
    if indicator is not None:
        title = indicator.findtext("title/narrative") or "?"
        parts.append(f"indicator {title[:60]!r}")
    return ", ".join(parts) or f"line {el.sourceline}"


def _value_errors(indicator) -> list[str]:
    errors = []
    measure = indicator.get("measure")
    rules = {"baseline": "8.8", "target": "8.9", "actual": "8.10"}
    for tag, rule in rules.items():
        for el in indicator.iter(tag):
            value = el.get("value")
            if measure in QUANTITATIVE_MEASURES:
                if value is None:
                    errors.append(f"{rule}.1 {_where(el)}: {tag} has no @value though the measure is {measure}")
                elif not _is_number(value):
                    errors.append(f"{rule}.2 {_where(el)}: {tag} @value {value!r} is not a number")
            elif measure == QUALITATIVE_MEASURE and value is not None:
                errors.append(f"{rule}.3 {_where(el)}: {tag} has a @value though the measure is qualitative")
    return errors


def rule_errors(document, *, today: date) -> list[str]:
    """The listed IATI rules broken by `document` (empty when it passes them all)."""
    root = document.getroot() if hasattr(document, "getroot") else document
    errors = []
    for activity in root.iter("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        org = activity.find("reporting-org")
        if org is not None and not identifier.startswith(org.get("ref", "")):
            errors.append(f"1.1.1 {identifier!r} does not start with the reporting-org ref {org.get('ref')!r}")
        dates = {}
        for el in activity.findall("activity-date"):
            try:
                dates[el.get("type")] = date.fromisoformat(el.get("iso-date", ""))
            except ValueError:
                errors.append(f"11.1 activity-date type {el.get('type')}: {el.get('iso-date')!r} is not a date")
        for start, end in (("1", "3"), ("2", "4")):
            if start in dates and end in dates and dates[start] > dates[end]:
                errors.append(f"11.1.1 activity-date type {start} ({dates[start]}) is after type {end} ({dates[end]})")
        for actual in ("2", "4"):
            if actual in dates and dates[actual] > today:
                errors.append(f"11.1.2 actual activity-date type {actual} ({dates[actual]}) is in the future")
        for result in activity.iter("result"):
            if result.find("reference") is not None and result.find("indicator/reference") is not None:
                errors.append(f"8.11.1 {_where(result)}: references on the result and on its indicators")
            for indicator in result.iter("indicator"):
                errors.extend(_value_errors(indicator))
                for period in indicator.iter("period"):
                    start = period.find("period-start")
                    end = period.find("period-end")
                    try:
                        if date.fromisoformat(start.get("iso-date")) >= date.fromisoformat(end.get("iso-date")):
                            errors.append(f"8.6.1 {_where(period)}: period-start is not before period-end")
                    except (AttributeError, TypeError, ValueError):
                        errors.append(f"8.6.1 {_where(period)}: a period without valid start and end dates")
    return errors
