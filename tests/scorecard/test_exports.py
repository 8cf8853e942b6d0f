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


def test_xlsx_equals_the_page(logged_in):
    html = logged_in.get(reverse("scorecard:scorecard")).content.decode()
    response = logged_in.get(reverse("scorecard:export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == EXPORT_HEADERS
    _compare(rows[1:], html)


def test_unknown_format_is_a_404(logged_in):
    assert logged_in.get(reverse("scorecard:export", args=["pdf"])).status_code == 404
