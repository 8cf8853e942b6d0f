"""Helpers for the spreadsheet import tests: files built in memory, as people send them."""
import csv
import io

import openpyxl
import pytest

from indicators import services


def csv_bytes(rows, *, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, title="Sheet1", formats=None, extra_sheets=(), before=None) -> bytes:
    """rows: lists of cell values; formats: {(row, col): number_format} (1-based)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for (r, c), number_format in (formats or {}).items():
        sheet.cell(row=r, column=c).number_format = number_format
    if before:
        before(sheet)
    for name in extra_sheets:
        workbook.create_sheet(name).append(["Nothing to import here"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def split_by_sex(*indicators) -> dict:
    """A Sex dimension (female, male) that the given indicators are disaggregated by: {name: value}."""
    from indicators.dimensions import Dimension, DimensionValue

    dimension = Dimension.objects.create(name="Sex", slug="sex")
    values = {name: DimensionValue.objects.create(dimension=dimension, name=name, slug=name, order=i)
              for i, name in enumerate(["female", "male"])}
    dimension.indicators.add(*indicators)
    return values


@pytest.fixture
def chain_with_indicators(make_chain, make_indicator):
    """A framework (FY2013-FY2020) with a number, a percentage (both annual) and a rated indicator
    (measured quarterly)."""
    chain = make_chain(code="FWI")
    out = chain["outputs"][0]
    return {
        **chain,
        "number": make_indicator(out, code="FWI-N", aggregation="sum"),
        "percent": make_indicator(out, code="FWI-P", measure="percentage", unit="%"),
        "rated": make_indicator(out, code="FWI-R", kind="qualitative", measure="rating", unit="",
                                frequency="quarterly"),
    }


@pytest.fixture
def approved_measurement(chain_with_indicators, officer, manager):
    indicator = chain_with_indicators["number"]
    m = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="12",
                                        evidence_url="https://example.org/fy14", so_what="Used to plan the next round.")
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    return services.measurement_approve(measurement=m, by=manager, version=m.version)
