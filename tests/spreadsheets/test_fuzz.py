"""Fuzzing the spreadsheet import with random and hostile files (hypothesis).

Generated files: CSV (UTF-8 with or without BOM, Windows-1252, Latin-1, UTF-16; comma, semicolon,
tab, pipe or a different delimiter on every line) and XLSX (typed cells: numbers, NaN, infinities,
dates, datetimes, times, durations, booleans, formulas, Excel date serials), with random unicode
and control characters in every column, very long cells, numbers written as text with odd
separators, headers in random case and spacing, duplicate and extra columns, rows referring to
unknown codes, valid and invalid rows mixed; and files that are not spreadsheets at all (binary
garbage, broken zips, empty files, a header only) under a .csv or .xlsx name.

Every file goes through the browser (upload -> preview -> confirm), and some straight through
spreadsheet_preview / spreadsheet_import and the `import_indicators` command. The rules:

- never a server error or an uncaught exception;
- a preview writes nothing; a file with problems lists each one (row, column, value, message) and
  its confirm writes nothing: every domain table and every audit-history table as before;
- a file without problems, confirmed, writes exactly what the preview counted: `new` more rows of
  its kind, one history record per new or changed row, and nothing else besides reporting periods
  (and, for indicators, the measure a blank baseline carries).

Each example runs inside a savepoint rolled back afterwards, so each starts from the same scenario.
"""
import csv
import io
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators import services
from indicators.models import Baseline, Indicator, Measurement, Proposal, Target
from results.models import Result
from results.selectors import trees_problems
from spreadsheets import importing
from spreadsheets.columns import COLUMNS, KIND_LABELS, KINDS

from .conftest import csv_bytes
from .test_faults import changed_tables, tables

FUZZ = settings(max_examples=50, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])

MODELS = {"results": Result, "indicators": Indicator, "baselines": Baseline, "targets": Target,
          "measurements": Measurement}

# ---------------------------------------------------------------------------------------------
# the scenario: an indicator of each measure with figures in every state


@pytest.fixture
def world(chain_with_indicators, officer, manager):
    number, percent, rated = (chain_with_indicators[k] for k in ("number", "percent", "rated"))
    out = chain_with_indicators["outputs"][1]
    services.indicator_create(by=officer, result=out, code="FWI-Y", name="Plan adopted", measure="yes_no", unit="")
    services.indicator_create(by=officer, result=out, code="FWI-C", name="Funds raised", measure="currency",
                              unit="USD")
    services.baseline_record(indicator=number, by=officer, value="10", period="FY2013")
    services.baseline_record(indicator=percent, by=officer, status="planned")
    for indicator, figure in ((number, {"value": "20"}), (percent, {"value": "45"}), (rated, {"rating": "on_track"})):
        t = services.target_set(indicator=indicator, period="FY2014", by=officer, **figure)
        services.target_approve(target=t, by=manager, version=t.version)
        services.target_set(indicator=indicator, period="FY2015", by=officer, **figure)  # preliminary
        quarter = "-Q1" if indicator.frequency == "quarterly" else ""  # FWI-R is measured quarterly
        m = services.measurement_record(indicator=indicator, period=f"FY2014{quarter}", by=officer,
                                        evidence_url="https://example.org/a", so_what="Used to plan the next round.", submit=True, **figure)
        services.measurement_approve(measurement=m, by=manager, version=m.version)
        services.measurement_record(indicator=indicator, period=f"FY2015{quarter}", by=officer,  # awaiting review
                                    evidence_url="https://example.org/b", so_what="Used to plan the next round.", submit=True, **figure)
        m = services.measurement_record(indicator=indicator, period=f"FY2016{quarter}", by=officer,
                                        evidence_url="https://example.org/c", so_what="Used to plan the next round.", submit=True, **figure)
        services.measurement_return(measurement=m, by=manager, note="Check it", version=m.version)
        services.measurement_record(indicator=indicator, period=f"FY2017{quarter}", by=officer, **figure)  # draft
    return chain_with_indicators


# ---------------------------------------------------------------------------------------------
# cells


NASTY = [
    "", " ", "\t", "\r\n", "0", "-1", "-0", "1.5", "1e999", "-1e999", "1e-999", "1E5", "NaN", "nan", "Infinity",
    "-inf", "45%", "45%%", "%", "101%", "-5%", "1,2,3", "1.2.3", "1.200,50", "1 200", "1'200", "1_000", "0x1F",
    "½", "١٢٣", "１２３", "\u00a01\u202f000", "99999999999999999999", "12.34567", "None", "null", "N/A", "-", "—",
    "true", "yes", "on_track", "FY2014", "fy14", "FY2014-Q3", "FY2014-Q9", "FY2014-H3", "FY99999", "FY-1",
    "2014-02-30", "30/06/2014", "03/04/2013", "06/30/2014", "30 Jun 2013", "June 30, 2013", "41455", "99999",
    "=1+1", "=HYPERLINK(\"http://evil.example\",\"click\")", "=cmd|' /C calc'!A0", "@SUM(A1:A2)", "+1+1",
    "<script>alert(1)</script>", "'; DROP TABLE indicators_measurement; --", "\x00", "a\x00b", "\x1b[31m",
    "\u202e\u0635", "\U0001f600" * 3, "\ufeffFWI-N", "FWI-N\u200b", "../../etc/passwd", "x" * 301, "y" * 5000,
]
LONG = ["z" * 40_000, "9" * 2000]


def hostile_text():
    return st.one_of(st.sampled_from(NASTY), st.text(max_size=30),
                     st.decimals(allow_nan=True, allow_infinity=True).map(str), st.floats().map(repr),
                     st.sampled_from(LONG))


def typed_cell():
    """What an XLSX cell can hold besides text (a CSV writes these as text)."""
    return st.one_of(
        st.integers(min_value=-(10 ** 20), max_value=10 ** 20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0.45, 1200.0, 0.1 + 0.2, 1e300, -0.0, 1e-9, 41455, 41455.5, 20000, 80001]),
        st.booleans(),
        st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2200, 1, 1)),
        st.dates(min_value=date(1900, 3, 1), max_value=date(2200, 1, 1)),
        st.sampled_from([time(12, 30), timedelta(days=3, hours=2), Decimal("12.5"), Decimal("1E+30")]),
    )


def cell(*known):
    """A cell: empty, one of the sensible values, typed, or anything hostile."""
    options = [st.none(), hostile_text(), typed_cell()]
    if known:
        options = [st.sampled_from(known)] * 3 + options  # sensible values often, so some files pass
    return st.one_of(*options)


CODES = ["FWI-N", "fwi-n", " FWI-P ", "FWI-R", "FWI-Y", "fwi-c", "FWI-Z", "NOPE-1", "FWI-OUT-1"]
PERIODS = ["FY2013", "FY2014", "fy15", "FY2016", "FY2017 ", "FY2018", "FY2014-Q1", "fy2016-q1", "FY2019-Q3",
           "FY2020-H1", "FY2040", "FY2012"]
VALUES = ["12", "1,200", "45%", "12.5", "yes", "no", "0", "100", "On track", 7, 12.5, 0.45]
RATINGS = ["on track", "Needs attention", "off_track", "green", "RED"]
URLS = ["https://example.org/r", "http://example.org/a?b=c", "javascript:alert(1)", "example.org", "ftp://x",
        "https://" + "a" * 600 + ".org"]
DATES = ["2013-06-30", "30 Jun 2013", "30/04/2013", "03/04/2013", "31/02/2013", datetime(2013, 6, 30),
         date(2013, 6, 30), 41455, "2099-01-01"]
KNOWN = {
    "indicator_code": CODES, "period": PERIODS, "value": VALUES, "rating": RATINGS, "evidence_url": URLS,
    "text": ["Weak planning capacity"], "comment": ["From the partner"], "so_what": ["Shared"],
    "status": ["planned", "collected", "validated", "approved", "submitted", "preliminary", "Draft"],
    "rationale": ["Growth in the pipeline", "Pipeline"], "as_of": DATES, "due_date": DATES,
    "source": ["Portfolio review"], "result_code": ["FWI-OUT-1", "fwi-out-2", "FWI-IO", "NOPE"],
    "code": ["FWI-NEW", "FWI-N", "fwi-new-2", "FWI-OUT-3", "bad code!", "X" * 31], "name": ["Cities"],
    "kind": ["quantitative", "Qualitative", "other"], "measure": ["number", "%", "yes/no", "rating", "currency"],
    "unit": ["cities", "u" * 61], "direction": ["increase", "down", "sideways"],
    "aggregation": ["sum", "latest", "mean", "median"], "frequency": ["annual", "quarterly", "hourly"],
    "weight": ["1", "0", "0.01", "9999.99", "10000", "1.005"], "order": ["0", "1", "32768", "-1", "1.5"],
    "responsible": ["officer1", "ADMIN1", "nobody"], "framework": ["FWI", "fwi", "NOPE"],
    "parent_code": ["FWI-IO", "FWI-OUT-1", "FWI-IMP", "NOPE"], "level": ["Output", "Activity", "3", "Impact", "9"],
    "statement": ["A statement"], "business_line": ["CP", "Nope"], "beneficiary": ["clients", "urban poor", "x"],
}


# ---------------------------------------------------------------------------------------------
# headers and tables


def header_cell(column):
    """One of the column's names, in random case and spacing."""
    names = [column.header, column.key, *column.aliases]
    return st.tuples(st.sampled_from(names), st.sampled_from(["as is", "upper", "lower", "title", "snake", "padded",
                                                              "starred", "bracketed"])).map(lambda nt: {
        "as is": nt[0], "upper": nt[0].upper(), "lower": nt[0].lower(), "title": nt[0].title(),
        "snake": nt[0].replace(" ", "_"), "padded": f"  {nt[0]}\t", "starred": f"{nt[0]} *",
        "bracketed": f"{nt[0]} (see notes)"}[nt[1]])


@st.composite
def table(draw, kind=None):
    """(rows, kind): a header row (maybe under title rows) and data rows for one kind of data."""
    kind = kind or draw(st.sampled_from(["measurements", "measurements", "targets", "baselines", "indicators",
                                         "results"]))
    columns = list(COLUMNS[kind])
    chosen = [c for c in columns if c.required and draw(st.integers(0, 19))] + [
        c for c in columns if not c.required and draw(st.booleans())]
    chosen = draw(st.permutations(chosen))
    header = [draw(header_cell(c)) for c in chosen]
    keys = [c.key for c in chosen]
    for _ in range(draw(st.integers(0, 2))):  # extra columns, maybe a duplicate or a near-miss
        extra = draw(st.one_of(st.sampled_from(["Notes", "Partner's remarks", "", "Value", "Indicator", "Period",
                                                "Code", "Status"]), st.text(max_size=12)))
        position = draw(st.integers(0, len(header)))
        header.insert(position, extra)
        keys.insert(position, None)
    rows = [[draw(st.sampled_from(["Indicator data FY2014-15", "Submitted by the country team"]))]
            for _ in range(draw(st.integers(0, 2)))]
    rows.append(header)
    for _ in range(draw(st.integers(0, 6))):
        row = [draw(cell(*KNOWN.get(k, ()))) if k else draw(cell()) for k in keys]
        if draw(st.integers(0, 9)) == 0:
            row = row[:draw(st.integers(0, len(row)))]  # a short row
        rows.append(row)
    return rows, kind


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


@st.composite
def csv_file(draw, rows):
    text_rows = [[as_text(v) for v in row] for row in rows]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    mixed = draw(st.integers(0, 5)) == 0
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buffer = io.StringIO()
    if mixed:  # a different delimiter on each line
        for row in text_rows:
            csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"]))).writerow(row)
    else:
        csv.writer(buffer, delimiter=delimiter).writerows(text_rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def xlsx_cell(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]  # what Excel itself can store
    return value  # openpyxl writes NaN and infinities as empty cells


@st.composite
def xlsx_file(draw, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = draw(st.sampled_from(["Sheet1", "Data", "Measurements", "Targets", "FY2015", "Instructions"]))
    if draw(st.integers(0, 4)) == 0:
        book.create_sheet("Notes", 0).append(["Read me first"])
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    if draw(st.booleans()):  # percentage and date formats on random data cells
        for r in range(1, len(rows) + 1):
            for c in range(1, max((len(row) for row in rows), default=0) + 1):
                if draw(st.integers(0, 7)) == 0:
                    sheet.cell(row=r, column=c).number_format = draw(st.sampled_from(["0%", "0.0%", "yyyy-mm-dd",
                                                                                      "@", "#,##0.00"]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GARBAGE = [
    b"", b"\x00", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\x00\x01", b"PK\x03\x04 not a zip", b"PK\x05\x06" + b"\x00" * 18,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", b"\xff\xfe\x00\x00", b"<html><body>Not a file</body></html>",
    b"Indicator code,Period,Value\n", b"Indicator code;Period;Value;Evidence link\r\n", b"\n\n\n", b",,,\n,,,\n",
    b"\"unterminated,quote\nFWI-N,FY2014\n",
    b"Indicator code,Period,Value,Evidence link\n\"" + b"x" * 140_000 + b"\"\n",  # past csv's field limit
]


@st.composite
def hostile_file(draw):
    """(bytes, file name, kind chosen on the form or None)."""
    shape = draw(st.sampled_from(["csv", "csv", "xlsx", "xlsx", "damaged", "garbage", "random"]))
    if shape == "garbage":
        data = draw(st.sampled_from(GARBAGE))
    elif shape == "random":
        data = draw(st.binary(min_size=1, max_size=600))
    elif shape == "damaged":  # a real workbook whose sheet XML another programme got wrong
        rows, _ = draw(table())
        data = draw(xlsx_file(rows))
        cut = draw(st.sampled_from(["value", "truncate", "tag"]))
        junk = draw(st.sampled_from(["inf", "nan", "abc", "1e99999", "", "&#0;", "<", "12,5"]))

        def damage(xml):
            if cut == "truncate":
                return xml[: len(xml) * 2 // 3]
            if cut == "tag":
                return xml.replace(b"<sheetData>", b"<sheetData><row r=\"x\"><c r=\"ZZZ\" t=\"q\"/></row>", 1)
            return re.sub(rb"<v>[^<]*</v>", f"<v>{junk}</v>".encode(), xml, count=1) if b"<v>" in xml else xml + b" "

        data = rewrite_zip(data, "xl/worksheets/sheet1.xml", damage)
        shape = "xlsx"
    else:
        rows, _ = draw(table())
        data = draw(csv_file(rows) if shape == "csv" else xlsx_file(rows))
    extension = draw(st.sampled_from([".csv", ".xlsx"]) if shape in ("garbage", "random")
                     else st.just(f".{shape}") | st.sampled_from([".csv", ".xlsx", ".CSV", ".XLSX"]))
    name = draw(st.sampled_from(["partner", "Données 2015", "a" * 120, "..", "report.final", "名前"])) + extension
    kind = draw(st.one_of(st.none(), st.sampled_from(KINDS)))
    return data, name, kind


# ---------------------------------------------------------------------------------------------
# mostly valid files: rows that fit their indicator, with a hostile cell here and there


MEASURES = {"FWI-N": "number", "FWI-P": "percentage", "FWI-R": "rating", "FWI-Y": "yes_no", "FWI-C": "currency"}
FIGURES = {
    "number": ["12", "1,200", 7, 12.5, "0", "1 250", 99999],
    "currency": ["1,200.50", "250000", 1500.25, "0.5"],
    "percentage": ["45%", "45", 45, "12.5 %", "100", 0, "0%"],
    "yes_no": ["yes", "No", "Y", 1, 0, True, False, "done"],
    "rating": ["On track", "needs attention", "off_track", "Green", "red"],
}


def some_text(*known):
    return st.one_of(st.sampled_from(known or ["—"]), st.text(max_size=60))


def code_variant(code):
    return st.sampled_from([code, code.lower(), f" {code} ", code.title()])


def year_period(code):
    years = st.integers(2013, 2020)
    if code == "FWI-R":  # measured quarterly
        return st.tuples(years, st.integers(1, 4)).map(lambda yq: f"FY{yq[0]}-Q{yq[1]}")
    return years.flatmap(lambda y: st.sampled_from([f"FY{y}", f"fy{y}", f"FY{y} ", f"fy{y % 100:02d}"]))


@st.composite
def coherent_row(draw, kind):
    """{column key: cell} for one row that would pass, if nothing else in the file objects."""
    if kind == "indicators":
        return {"result_code": draw(st.sampled_from(["FWI-OUT-1", "fwi-out-2", "FWI-IO"])),
                "code": draw(st.sampled_from(["FWI-NEW-1", "FWI-NEW-2", "fwi-new-3", "FWI-N", "FWI-C", "FWI-Y"])),
                "name": draw(some_text("Cities", "Policies adopted")),
                "definition": draw(some_text()), "kind": draw(st.sampled_from(["quantitative", "Quantitative", None])),
                "measure": draw(st.sampled_from(["number", "currency", "Percentage", None])),
                "unit": draw(st.sampled_from(["cities", "USD", "", None])),
                "direction": draw(st.sampled_from(["increase", "Decrease", "maintain", None])),
                "aggregation": draw(st.sampled_from(["sum", "latest", "average", None])),
                "frequency": draw(st.sampled_from(["annual", None])),
                "weight": draw(st.sampled_from(["1", "2.5", 3, None])), "order": draw(st.sampled_from([0, "2", None])),
                "data_source": draw(some_text()), "means_of_verification": draw(some_text()),
                "responsible": draw(st.sampled_from(["officer1", "ADMIN1", None]))}
    code = draw(st.sampled_from(list(MEASURES)))
    measure = MEASURES[code]
    figure = draw(st.sampled_from(FIGURES[measure]))
    row = {"indicator_code": draw(code_variant(code))}
    if kind == "baselines":
        if measure == "rating":
            row.update(text=draw(some_text("Weak planning capacity")), value=None)
        else:
            row.update(value=figure, text=None)
        row.update(period=draw(st.sampled_from(["FY2013", "FY2014", None])),
                   as_of=draw(st.sampled_from(DATES[:3] + [None])), source=draw(some_text("Portfolio review")),
                   status=draw(st.sampled_from(["collected", "validated", None])),
                   due_date=draw(st.sampled_from([None, "2013-06-30", date(2014, 1, 31)])))
        return row
    period = draw(year_period(code)) if kind == "measurements" else draw(st.sampled_from(PERIODS[:6]))
    row["period"] = period
    if measure == "rating" and draw(st.booleans()):
        row.update(rating=figure, value=None)
    else:
        row.update(value=figure, rating=None)
    if kind == "targets":
        row["rationale"] = draw(some_text("Pipeline", "Growth"))
    else:
        row.update(evidence_url=draw(st.sampled_from(URLS[:2])), comment=draw(some_text()),
                   so_what=draw(some_text()), text=draw(st.one_of(st.none(), some_text())))
    return row


ALWAYS = {"value", "rating", "text", "evidence_url"}  # a row's figure and evidence have their columns


def row_key(kind, record):
    """What a row is about; a file gives each at most once."""
    if kind == "indicators":
        return record["code"].strip().upper()
    code = record["indicator_code"].strip().upper()
    if kind == "baselines":
        return code
    return code, record["period"].strip().upper().replace("FY", "").lstrip("20")


@st.composite
def coherent_table(draw, kind):
    columns = [c for c in COLUMNS[kind] if c.required or c.key in ALWAYS or draw(st.booleans())]
    columns = draw(st.permutations(columns))
    header = [draw(st.sampled_from([c.header, c.header.upper(), c.header.lower(), f" {c.header} ", c.key]))
              for c in columns]
    rows = [header]
    seen = set()
    for n in range(draw(st.integers(1, 6))):
        record = draw(coherent_row(kind))
        if kind == "indicators" and draw(st.integers(0, 2)):
            record["code"] = f"FWI-NEW-{n}"
        if row_key(kind, record) in seen and draw(st.integers(0, 5)):
            continue  # a repeated row now and then, not in most files
        seen.add(row_key(kind, record))
        row = [record.get(c.key) for c in columns]
        if draw(st.integers(0, 4)) == 0:  # one hostile cell
            row[draw(st.integers(0, len(row) - 1))] = draw(cell())
        rows.append(row)
    if draw(st.integers(0, 4)) == 0:
        header.append("Partner's remarks")
        for row in rows[1:]:
            row.append(draw(cell()))
    return rows


@st.composite
def mostly_valid_file(draw):
    kind = draw(st.sampled_from(["measurements", "measurements", "targets", "baselines", "indicators"]))
    rows = draw(coherent_table(kind))
    if draw(st.booleans()):
        book = openpyxl.Workbook()
        book.active.title = draw(st.sampled_from(["Sheet1", "Data", str(KIND_LABELS[kind])]))
        for row in rows:
            book.active.append([xlsx_cell(v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        data, name = buffer.getvalue(), "partner.xlsx"
    else:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"]))).writerows(
            [[as_text(v) for v in row] for row in rows])
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
        data, name = buffer.getvalue().encode(encoding, errors="replace"), "partner.csv"
    return data, name, draw(st.sampled_from([kind, kind, kind, kind, None]))


# ---------------------------------------------------------------------------------------------
# the checks


def check_problems(preview) -> None:
    """Every problem says where and what: a row (or the whole file), a column, the value, a message."""
    for p in preview.problems:
        assert isinstance(p.message, str) and p.message.strip(), p
        assert p.row is None or (isinstance(p.row, int) and p.row >= 1), p
        assert isinstance(p.column, str) and isinstance(p.value, str), p
        if p.row is not None and p.column == "":
            # A row without a column: the header row the kind could not be told from, or a whole
            # row a results service refused.
            assert not preview.header_row or preview.kind == "results", p
        assert str(p)  # the command prints it


def outcome_of(preview) -> str:
    """For hypothesis' statistics (--hypothesis-show-statistics): what became of the file."""
    if not preview.header_row:
        return "file refused"
    if not preview.ok:
        return f"{preview.kind}: rows with problems"
    counts = counts_of(preview)
    return f"{preview.kind}: valid, {'to write' if counts['new'] or counts['changed'] else 'nothing to do'}"


def counts_of(preview) -> dict:
    return {k: v for k, v in preview.counts.items() if k != "invalid"}


def check_written(before: dict, after: dict, kind: str, counts: dict) -> None:
    """Exactly the previewed rows: `new` more of the kind, a history record per new or changed row."""
    model = MODELS[kind]
    name = model.__name__
    assert len(after[name]) == len(before[name]) + counts["new"], (kind, counts)
    if f"{name} history" in before:
        written = len(after[f"{name} history"]) - len(before[f"{name} history"])
        # A change that re-scores approved figures (a baseline's value, an indicator's measure) opens a
        # proposal for a manager instead of writing the row; the world starts with none, rolled back.
        proposed = Proposal.objects.count() if kind in ("baselines", "indicators") else 0
        assert counts["new"] + counts["changed"] <= written + proposed and written <= counts["new"] + counts["changed"]
    allowed = {name, f"{name} history", "ReportingPeriod"}
    if kind == "indicators":
        allowed.add("Baseline")  # a planned baseline carries its indicator's measure
    if kind == "results":
        allowed.add("Result")
        assert trees_problems() == []
    assert set(changed_tables(before, after)) <= allowed, changed_tables(before, after)


def upload(client, data, name, kind):
    return client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"), "kind": kind or ""})


def browser_round_trip(client, data, name, kind) -> None:
    """Upload, preview and (when offered or forged) confirm, inside a savepoint rolled back after."""
    with transaction.atomic():
        before = tables()
        response = upload(client, data, name, kind)
        assert response.status_code == 200, (name, response.status_code)
        assert changed_tables(before, tables()) == []  # a preview writes nothing
        preview = response.context.get("preview")
        if preview is None:  # the form refused the file (empty, wrong type): it says why
            event("refused by the upload form")
            assert response.context["form"].errors["file"]
            transaction.set_rollback(True)
            return
        check_problems(preview)
        event(outcome_of(preview))
        page = response.content.decode()
        token = response.context["token"]
        if not preview.ok:
            assert "Nothing will be imported" in page
            assert reverse("imports:confirm") not in page
            for p in preview.problems[:5]:  # the page shows each problem's message
                assert escape(p.message) in page, p
        if token and (not preview.ok or counts_of(preview)["new"] or counts_of(preview)["changed"]):
            # Confirm: offered for a valid file, forged for one with problems.
            confirmed = client.post(reverse("imports:confirm"), {"token": token, "take_over_work_in_progress": "yes"})
            after = tables()
            if preview.ok:
                assert confirmed.status_code == 302, (
                    name, [str(p) for p in confirmed.context["preview"].problems] if confirmed.context else None)
                check_written(before, after, preview.kind, counts_of(preview))
            else:
                assert confirmed.status_code == 200 and "Nothing will be imported" in confirmed.content.decode()
                assert changed_tables(before, after) == []
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# the tests


@FUZZ
@given(file=hostile_file())
def test_fuzz_upload_preview_confirm(client, world, administrator, file):
    client.force_login(administrator)
    browser_round_trip(client, *file)


@FUZZ
@given(file=mostly_valid_file())
def test_fuzz_mostly_valid_files_through_the_browser(client, world, administrator, file):
    """Rows that fit their indicators more often than not, so many files pass and are written."""
    client.force_login(administrator)
    browser_round_trip(client, *file)


@FUZZ
@given(file=st.one_of(hostile_file(), mostly_valid_file()))
def test_fuzz_preview_and_import_functions(world, administrator, file):
    data, name, kind = file
    with transaction.atomic():
        before = tables()
        preview = importing.spreadsheet_preview(data=data, name=name, by=administrator, kind=kind)
        assert changed_tables(before, tables()) == []
        check_problems(preview)
        event(outcome_of(preview))
        outcome = importing.spreadsheet_import(data=data, name=name, by=administrator, kind=kind,
                                               expected=counts_of(preview) if preview.ok else None,
                                               take_over_work_in_progress=True)
        after = tables()
        assert not outcome.stale
        assert outcome.preview.ok == preview.ok and counts_of(outcome.preview) == counts_of(preview)
        if outcome.written:
            check_written(before, after, preview.kind, counts_of(preview))
        else:
            assert outcome.preview.problems and changed_tables(before, after) == []
        transaction.set_rollback(True)


@settings(FUZZ, max_examples=25)
@given(file=st.one_of(hostile_file(), mostly_valid_file()))
def test_fuzz_the_command(world, administrator, tmp_path_factory, capsys, file):
    data, name, kind = file
    path = tmp_path_factory.mktemp("cmd") / re.sub(r"[^\w.\- ]", "_", name)
    path.write_bytes(data)
    args = [str(path), "--user", administrator.username, "--take-over-work-in-progress"] + (
        ["--kind", kind] if kind else [])
    with transaction.atomic():
        before = tables()
        preview = importing.spreadsheet_preview(data=data, name=path.name, by=administrator, kind=kind)
        capsys.readouterr()
        try:
            call_command("import_indicators", *args)
        except CommandError as exc:
            assert str(exc).strip()
            assert changed_tables(before, tables()) == []
            assert not preview.ok or not path.stat().st_size
        else:
            out = capsys.readouterr().out
            counts = counts_of(preview)
            assert preview.ok
            assert (f"Imported: {counts['new']} new, {counts['changed']} changed, "
                    f"{counts['unchanged']} unchanged.") in out
            check_written(before, tables(), preview.kind, counts)
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# regressions the fuzzing found


def test_an_indicators_file_without_a_measure_column_updates_an_existing_indicator(chain_with_indicators,
                                                                                    administrator):
    """Planning an update of an existing indicator from a file without a Measure column raised a
    KeyError (a server error on the preview page)."""
    data = csv_bytes([["Result code", "Indicator code", "Name"], ["FWI-OUT-1", "FWI-N", "Cities, renamed"]])
    outcome = importing.spreadsheet_import(data=data, name="indicators.csv", by=administrator)
    assert outcome.written and outcome.counts["changed"] == 1
    indicator = Indicator.objects.get(code="FWI-N")
    assert (indicator.name, indicator.measure) == ("Cities, renamed", "number")


def test_the_command_reports_changed_rows(chain_with_indicators, administrator, tmp_path, capsys):
    """The command's report of changed rows read self.verbosity, which Django does not set: an
    AttributeError after the import had been written."""
    path = tmp_path / "indicators.csv"
    path.write_bytes(csv_bytes([["Result code", "Indicator code", "Name", "Measure"],
                                ["FWI-OUT-1", "FWI-N", "Cities, renamed", "number"]]))
    call_command("import_indicators", str(path), "--user", administrator.username, verbosity=2)
    out = capsys.readouterr().out
    assert "row 2 FWI-N: Name: Cities supported -> Cities, renamed" in out
    assert "Imported: 0 new, 1 changed, 0 unchanged." in out


def test_a_nul_character_further_down_a_csv_file_is_named_not_a_server_error(chain_with_indicators, administrator):
    """The first 4 KB of a CSV file are checked for binary data; a NUL character past them reached
    the database, where PostgreSQL refuses to store it (ValueError: a server error on confirm)."""
    rows = [["Indicator code", "Period", "Value", "Evidence link", "Comment"],
            ["FWI-N", "FY2014", "1", "https://example.org/a", "y" * 5000],
            ["FWI-N", "FY2015", "2", "https://example.org/b", "a\x00b"]]
    outcome = importing.spreadsheet_import(data=csv_bytes(rows), name="partner.csv", by=administrator)
    assert not outcome.written and Measurement.objects.count() == 0
    (problem,) = outcome.preview.problems
    assert (problem.row, problem.column, problem.value) == (3, "Comment", "a\u2400b")
    assert "NUL character" in problem.message


def workbook_storing(stored: str, member="xl/worksheets/sheet1.xml", change=None) -> bytes:
    """A measurements workbook whose percentage-formatted Value cell holds `stored` in its XML, as
    another programme (or a damaged file) may have written it; openpyxl itself writes no infinities."""
    book = openpyxl.Workbook()
    book.active.append(["Indicator code", "Period", "Value", "Evidence link"])
    book.active.append(["FWI-P", "FY2014", 12345, "https://example.org/a"])
    book.active["C2"].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return rewrite_zip(buffer.getvalue(), member,
                       change or (lambda xml: xml.replace(b"<v>12345</v>", f"<v>{stored}</v>".encode())))


@pytest.mark.parametrize("stored", ["1e+300", "1e+20", "-1e+17"])
def test_a_huge_number_in_a_percentage_formatted_cell_is_refused_with_a_message(chain_with_indicators,
                                                                                administrator, stored):
    """Reading a %-formatted cell rounded the number to six places, which raised InvalidOperation
    for numbers past Decimal's precision (a server error on upload)."""
    preview = importing.spreadsheet_preview(data=workbook_storing(stored), name="partner.xlsx", by=administrator)
    (problem,) = preview.problems
    assert (problem.row, problem.column) == (2, "Value") and "too large" in problem.message


@pytest.mark.parametrize("damage", ["inf", "-inf", "abc", "broken xml"])
def test_a_damaged_workbook_is_refused_with_a_message(client, chain_with_indicators, administrator, damage):
    """openpyxl reads a read-only workbook's cells lazily: a number cell holding "inf" raised its
    ValueError (and broken XML its ParseError) while the rows were read, past the check around
    opening the file (a server error on upload)."""
    if damage == "broken xml":
        data = workbook_storing("", change=lambda xml: xml[: len(xml) // 2])
    else:
        data = workbook_storing(damage)
    preview = importing.spreadsheet_preview(data=data, name="partner.xlsx", by=administrator)
    (problem,) = preview.problems
    assert problem.row is None and "could not be read as an Excel workbook" in problem.message
    client.force_login(administrator)
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("partner.xlsx", data)})
    assert response.status_code == 200 and "could not be read as an Excel workbook" in response.content.decode()


def rewrite_zip(data: bytes, member: str, change) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                changed = change(content)
                assert changed != content
                content = changed
            target.writestr(info, content)
    return out.getvalue()
