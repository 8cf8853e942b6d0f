"""CSV and XLSX exports carry exactly the figures the page shows."""
import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from scorecard.formatting import EXPORT_HEADERS

from .pages import page_rows

COLUMNS = {name: i for i, name in enumerate(EXPORT_HEADERS)}


@pytest.fixture
def logged_in(client, committee, scorecard_data):
    client.force_login(committee)
    return client


def _as_page(cells: list[str]) -> dict:
    c = COLUMNS
    return {
        "code": cells[c["Indicator code"]], "name": cells[c["Indicator"]],
        "baseline": cells[c["Baseline"]], "baseline_period": cells[c["Baseline period"]],
        "actual": cells[c["Actual"]], "actual_period": cells[c["Actual period"]],
        "target": cells[c["Target"]], "target_period": cells[c["Target period"]],
        "preliminary": cells[c["Target status"]] == "Preliminary",
        "progress": cells[c["Progress"]], "status": cells[c["Status"]],
    }


def _compare(exported: list[list[str]], html: str):
    shown = page_rows(html)
    assert [row[COLUMNS["Indicator code"]] for row in exported] == list(shown)  # same rows, same order
    for cells in exported:
        expected = {k: v for k, v in shown[cells[COLUMNS["Indicator code"]]].items() if k in _as_page(cells)}
        assert _as_page(cells) == expected


@pytest.mark.parametrize("params", [{}, {"period": "FY2015"}, {"line": "CP"}])
def test_csv_equals_the_page(logged_in, params):
    html = logged_in.get(reverse("scorecard:scorecard"), params).content.decode()
    response = logged_in.get(reverse("scorecard:export", args=["csv"]), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADERS
    _compare(rows[1:], html)
    inc = next(r for r in rows if r[COLUMNS["Indicator code"]] == "INC") if not params else None
    if inc:
        assert (inc[COLUMNS["Level"]], inc[COLUMNS["Progress"]], inc[COLUMNS["Status"]], inc[COLUMNS["Trend"]]) \
            == ("Outcome", "67%", "Needs attention", "Up")


def _xlsx(logged_in, params=None):
    response = logged_in.get(reverse("scorecard:export", args=["xlsx"]), params or {})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _table(sheet):
    """(header row number, {code: {header: cell}}, [score rows]) of the workbook's table."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == "Level")
    header = [c.value for c in rows[start]]
    indicators, scores = {}, []
    for row in rows[start + 1:]:
        cells = dict(zip(header, row))
        (indicators.__setitem__(cells["Indicator code"].value, cells) if cells["Indicator code"].value
         else scores.append(cells))
    return header, indicators, scores


def test_xlsx_holds_the_pages_rows_as_numbers(logged_in):
    html = logged_in.get(reverse("scorecard:scorecard")).content.decode()
    sheet = _xlsx(logged_in)
    header, indicators, scores = _table(sheet)
    assert header == EXPORT_HEADERS
    shown = page_rows(html)
    assert list(indicators) == list(shown)  # same rows, same order
    for code, cells in indicators.items():
        assert cells["Status"].value == shown[code]["status"]
        assert (cells["Actual period"].value or "") == shown[code]["actual_period"]
        progress = cells["Progress"].value
        if shown[code]["progress"]:
            assert cells["Progress"].number_format == "0%"
            assert f"{round(progress * 100)}%" == shown[code]["progress"]  # the page's rounding
        else:
            assert progress is None
    inc = indicators["INC"]  # latest value 20 against 25, from a baseline of 10: 67%
    assert (inc["Actual"].value, inc["Target"].value, inc["Baseline"].value) == (20, 25, 10)
    assert inc["Actual"].data_type == "n" and inc["Actual"].number_format == "#,##0"
    pct = indicators["PCT"]  # a percentage is a percentage cell: 45% is 0.45 shown as 45%
    assert (pct["Actual"].value, pct["Actual"].number_format) == (0.45, "0%")
    assert indicators["QUAL"]["Actual"].value == "Needs attention"  # a rating stays words
    # Score rows: the framework, each level and each result, above their indicators.
    labels = [(c["Level"].value, c["Result"].value) for c in scores]
    assert ("Framework", None) in labels and ("Outcome", None) in labels and ("Outcome", "SC-OC") in labels
    framework = next(c for c in scores if c["Level"].value == "Framework")
    assert round(framework["Progress"].value * 100) == 78 and framework["Status"].value == "Needs attention"
    sc_oc = next(c for c in scores if c["Result"].value == "SC-OC")
    assert round(sc_oc["Progress"].value * 100) == 78


def test_xlsx_carries_the_heading_the_glance_block_and_the_widths(logged_in, settings):
    settings.DEBUG = True  # a development server: the figures are labelled illustrative
    sheet = _xlsx(logged_in)
    texts = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    assert texts[0] == "Scorecard: Test corporate chain"
    assert "FY2016" in sheet["A2"].value and "as approved on 1 August 2016" in sheet["A2"].value
    assert any(t.startswith("Illustrative figures.") for t in texts)
    glance = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value}
    assert glance["On track"].value == 3 and glance["No data"].value == 1
    assert glance["Data completeness"].value == 0.875 and glance["Data completeness"].number_format == "0%"
    assert round(glance["Framework score"].value * 100) == 78
    assert sheet.column_dimensions["D"].width >= 40 and sheet.column_dimensions["A"].width >= 12
    assert sheet.freeze_panes is not None


def test_unknown_format_is_a_404(logged_in):
    assert logged_in.get(reverse("scorecard:export", args=["pdf"])).status_code == 404


def test_xlsx_keeps_user_text_as_text(logged_in):
    from indicators.models import Indicator

    Indicator.objects.filter(code="INC").update(name='=HYPERLINK("http://evil.example","click")')
    _, indicators, _ = _table(_xlsx(logged_in))
    cell = indicators["INC"]["Indicator"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
