"""The sliced scorecard's exports (issue 14): the PDF, the over-time view and its PDF, the CSV and
the XLSX honour ?slice= as the page does, scored by the one arithmetic on the slice's own figures
(scorecard.slices.slice_apply), name the slice, and cost the same queries at two sizes.

The figures are test_slices' hand calculation (its docstring): the female slice scores PPL 140 / 200
= 70%, SHR 54% / 60% = 90%, BSE (4 - 3) / (5 - 3) = 50%; framework score (70 + 90 + 50) / 3 = 70%;
CIT (not disaggregated) and CRS (cumulative, baseline not split) are left out and named.
"""
import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.dimensions import Dimension
from scorecard.formatting import EXPORT_HEADERS
from scorecard.overtime import overtime_build

from .pdfs import page_texts
from .test_slices import sliced, two_sliced_sizes  # noqa: F401 (the fixtures: the hand calculation, two sizes)

D = Decimal
FEMALE = {"framework": "SL", "period": "FY2015", "slice": "female"}


def _row(text: str, code: str, length: int = 160) -> str:
    start = text.index(f" {code} ")
    return text[start:start + length]


def test_the_sliced_pdf_names_the_slice_and_matches_the_hand_calculation(client, manager, sliced):  # noqa: F811
    client.force_login(manager)
    response = client.get(reverse("scorecard:scorecard_pdf"), FEMALE)
    assert response.status_code == 200 and "female" in response["Content-Disposition"]
    text = " ".join(page_texts(response.content))
    assert "Scorecard: Framework SL, FY2015 · Slice: Sex = female" in text
    assert "Framework score: 70%" in text
    assert "Left out, not disaggregated by sex: CIT." in text
    assert "Left out, cumulative with a baseline that is not split: CRS." in text
    assert " CIT " not in text.split("Left out")[-1] and " CRS " not in text.split("Left out")[-1]
    assert "140" in _row(text, "PPL") and "200" in _row(text, "PPL") and "70%" in _row(text, "PPL")
    assert "54%" in _row(text, "SHR") and "60%" in _row(text, "SHR") and "90%" in _row(text, "SHR")
    bse = _row(text, "BSE")
    assert bse.index("3") < bse.index("4") < bse.index("5") < bse.index("50%")
    whole = " ".join(page_texts(client.get(reverse("scorecard:scorecard_pdf"),
                                           {"framework": "SL", "period": "FY2015"}).content))
    assert "Slice:" not in whole and "320" in _row(whole, "PPL") and "80%" in _row(whole, "PPL")


def test_the_sliced_overtime_view_scores_each_period_on_the_slice(client, committee, sliced):  # noqa: F811
    view = overtime_build(framework_code="SL", slice_key="female")
    at = [c.label for c in view.columns].index("FY2015")
    cells = {line.code: line.cells[at] for line in view.indicator_lines}
    assert set(cells) == {"PPL", "SHR", "BSE"}
    assert {code: (c.progress, c.actual) for code, c in cells.items()} == {
        "PPL": ("70%", "140"), "SHR": ("90%", "54%"), "BSE": ("50%", "4")}
    assert view.framework_cells[at]["score"] == "70%"
    assert view.slice.excluded == ["CIT"] and view.slice.unsliced == ["CRS"]
    whole = overtime_build(framework_code="SL")
    assert {line.code: line.cells[at].progress for line in whole.indicator_lines}["PPL"] == "80%"

    client.force_login(committee)
    page = client.get(reverse("scorecard:overtime"), {"framework": "SL", "slice": "female"}).content.decode()
    assert "sliced by <strong>Sex: female</strong>" in page and "<strong>Slice: Sex = female.</strong>" in page
    assert "&amp;slice=female" in page  # each period's cell opens that period's sliced scorecard
    assert 'data-code="CIT"' not in page and 'data-code="PPL"' in page
    response = client.get(reverse("scorecard:overtime_pdf"), {"framework": "SL", "slice": "female"})
    assert "female" in response["Content-Disposition"]
    text = " ".join(page_texts(response.content))
    assert "Over time: Framework SL · Slice: Sex = female" in text
    assert "70%" in _row(text, "PPL", 60) and "90%" in _row(text, "SHR", 60)


def test_the_sliced_spreadsheets_name_the_slice_in_their_title(client, committee, sliced):  # noqa: F811
    import openpyxl

    client.force_login(committee)
    response = client.get(reverse("scorecard:export", args=["xlsx"]), FEMALE)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "Slice: Sex = female" in str(sheet["A1"].value)
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in cells if "Indicator code" in row)
    code, progress = header.index("Indicator code"), header.index("Progress")
    scored = {row[code]: row[progress] for row in cells if row[code] in ("PPL", "SHR", "BSE", "CIT", "CRS")}
    assert {k: round(float(v), 4) for k, v in scored.items()} == {"PPL": 0.7, "SHR": 0.9, "BSE": 0.5}
    response = client.get(reverse("scorecard:export", args=["csv"]), FEMALE)
    assert response["Content-Disposition"] == 'attachment; filename="scorecard-SL-FY2015-female.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    at = EXPORT_HEADERS.index("Actual")
    assert {r[EXPORT_HEADERS.index("Indicator code")]: r[at] for r in rows[1:]}["PPL"] == "140"


def test_the_sliced_spreadsheet_names_the_slice_in_the_readers_language(client, committee, sliced):  # noqa: F811
    import openpyxl

    client.force_login(committee)
    response = client.get(reverse("scorecard:export", args=["xlsx"]), FEMALE, HTTP_ACCEPT_LANGUAGE="fr")
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows()
                    for c in row if c.value is not None)
    assert "Découpage : Sex = female" in text and "Slice:" not in text


def test_the_sliced_page_offers_the_pdf_and_says_editions_are_unsliced(client, manager, sliced):  # noqa: F811
    client.force_login(manager)
    page = client.get(reverse("scorecard:scorecard"), FEMALE).content.decode()
    assert f'{reverse("scorecard:scorecard_pdf")}?framework=SL&amp;period=FY2015&amp;slice=female' in page
    assert "Editions are published with the whole figures, never a slice." in page
    assert "Publish as an edition" not in page


def test_an_edition_asked_for_a_slice_says_it_is_frozen_unsliced(client, manager, sliced):  # noqa: F811
    from scorecard import services

    edition = services.edition_publish(published_by=manager, framework=sliced["framework"],
                                       period=_period("FY2015"), business_line=None, commentary="Reflect: on track.")
    client.force_login(manager)
    page = client.get(reverse("scorecard:edition", args=[edition.pk]), {"slice": "female"}).content.decode()
    assert f"Edition {edition.pk} is frozen unsliced: it holds the whole figures only" in page
    assert "its CSV, XLSX and PDF downloads" in page
    assert "320" in page  # the whole figures, as frozen; no slice is invented
    french = client.get(reverse("scorecard:edition", args=[edition.pk]), {"slice": "female"},
                        HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"L&#x27;édition {edition.pk} est figée sans tranche" in french
    # the downloads are the frozen files whatever the slice asked: byte for byte the unsliced ones
    for url in (reverse("scorecard:edition_export", args=[edition.pk, "csv"]),
                reverse("scorecard:edition_export", args=[edition.pk, "xlsx"]),
                reverse("scorecard:edition_pdf", args=[edition.pk])):
        unsliced, asked = client.get(url), client.get(url, {"slice": "female"})
        assert unsliced.status_code == asked.status_code == 200, url
        if url.endswith(".csv"):
            assert asked.content == unsliced.content and b"320" in asked.content
        assert asked["Content-Disposition"] == unsliced["Content-Disposition"] and "female" not in asked[
            "Content-Disposition"]


def _period(label):
    from indicators.models import ReportingPeriod

    return ReportingPeriod.objects.get(label=label)


# --- query counts at two sizes ---------------------------------------------------------------------

@pytest.mark.parametrize("url, extra", [
    (reverse("scorecard:scorecard_pdf"), {"period": "FY2014"}),
    (reverse("scorecard:export", args=["csv"]), {"period": "FY2014"}),
    (reverse("scorecard:export", args=["xlsx"]), {"period": "FY2014"}),
    (reverse("scorecard:overtime"), {}),
    (reverse("scorecard:overtime_pdf"), {}),
])
@pytest.mark.usefixtures("two_sliced_sizes")
def test_the_sliced_exports_cost_the_same_queries_at_two_sizes(client, committee, url, extra,
                                                               django_assert_num_queries):
    client.force_login(committee)
    client.get(url, {"framework": "SMA", "slice": "female", **extra})
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"framework": "SMA", "slice": "female", **extra}).status_code == 200
    with django_assert_num_queries(len(small)):
        response = client.get(url, {"framework": "LAR", "slice": "female", **extra})
    assert response.status_code == 200
    if url.endswith(".pdf"):
        text = " ".join(page_texts(response.content))
        assert "Slice: Sex = female" in text and all(f"LAR-{i}" in text for i in range(6))
        assert "Left out, not disaggregated by sex: LAR-X1, LAR-X3, LAR-X5." in text


def test_a_hostile_dimension_name_is_shown_as_text_in_the_sliced_pages(client, committee, sliced):  # noqa: F811
    Dimension.objects.filter(slug="sex").update(name='Sex <script>alert(1)</script>')
    client.force_login(committee)
    for url, params in ((reverse("scorecard:overtime"), {"framework": "SL", "slice": "female"}),
                        (reverse("scorecard:scorecard"), FEMALE)):
        page = client.get(url, params).content.decode()
        assert "<script>alert(1)</script>" not in page and "Sex &lt;script&gt;alert(1)&lt;/script&gt;" in page
