"""The Committee's pack as PDF: it opens, carries the page's figures, is A4 landscape with page
numbers and a header repeated on every page, uses only the project's font, and the demo scorecard
fits on one page."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from scorecard import pack
from scorecard.pdf import static_file

from .pages import page_rows
from .pdfs import fonts, page_texts, reader

A4_LANDSCAPE = (842, 595)  # points, rounded


def _pdf(client, name, **query):
    response = client.get(reverse(f"scorecard:{name}"), query)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content


def assert_opens_as_a4_landscape(data):
    pdf = reader(data)
    for page in pdf.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == A4_LANDSCAPE
    texts = page_texts(data)
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text
    return texts


def test_scorecard_pdf_carries_every_row_of_the_page(scorecard_data, client, committee):
    client.force_login(committee)
    page = page_rows(client.get(reverse("scorecard:scorecard"), {"framework": "SC"}).content.decode())
    text = " ".join(assert_opens_as_a4_landscape(_pdf(client, "scorecard_pdf", framework="SC")))
    assert len(page) == 10
    for code, row in page.items():
        # The row reads left to right as on the page: code, name, baseline, actual, target, progress, status.
        start = text.index(f" {code} {row['name']}")
        line = text[start:start + 400]
        for figure in (row["baseline"], row["actual"], row["target"], row["progress"], row["status"]):
            assert figure in line, (code, figure, line)
        assert line.index(row["status"]) > line.index(row["name"])
    assert "Scorecard: Test corporate chain, FY2016" in text
    # The cover line: the latest approval of the figures shown (the builders approve on 1 August 2016).
    assert "Reporting period FY2016 (1 July 2015 – 30 June 2016) · as approved on 1 August 2016" in text
    assert "At a glance" in text and "Framework score:" in text and "Data completeness:" in text
    assert "from 90% progress" in text and "NOBASE (70% / 50%)" in text  # the standard's bands
    assert "Intermediate Outcome · score" in text  # rows by level


def test_scorecard_pdf_of_a_business_line_and_its_approval_date(scorecard_data, client, committee):
    client.force_login(committee)
    text = " ".join(page_texts(_pdf(client, "scorecard_pdf", framework="SC", period="FY2015", line="CP")))
    assert "business line Country Programmes" in text and "CUM" in text and "INC" not in text.split("Trend", 1)[1]


def test_pdf_uses_only_the_project_font_and_no_network(scorecard_data, client, committee):
    client.force_login(committee)
    names = fonts(_pdf(client, "scorecard_pdf", framework="SC"))
    assert names and all("Pack-Sans" in name for name in names), names
    with pytest.raises(ValueError, match="only use the project's static files"):
        static_file("https://example.org/font.ttf")
    with pytest.raises(ValueError, match="Not a static file"):
        static_file("https://static.pdf.invalid/../settings.py")


def test_long_scorecard_repeats_its_header_on_every_page(db, client, committee):
    call_command("generate_organisation", indicators=150, periods=3, code="BIG", name="Synthetic BIG",
                 stdout=io.StringIO())
    client.force_login(committee)
    texts = assert_opens_as_a4_landscape(_pdf(client, "scorecard_pdf", framework="BIG"))
    assert len(texts) > 2
    for text in texts:
        assert "Code Indicator Baseline Latest actual Target Progress Status Trend" in text
    codes = page_rows(client.get(reverse("scorecard:scorecard"), {"framework": "BIG"}).content.decode())
    joined = " ".join(texts)
    assert len(codes) == 150 and all(f" {code} " in joined for code in codes)


def test_overtime_pdf_carries_every_cell(scorecard_data, client, committee):
    from scorecard.overtime import overtime_build

    client.force_login(committee)
    text = " ".join(assert_opens_as_a4_landscape(_pdf(client, "overtime_pdf", framework="SC")))
    assert "Over time: Test corporate chain" in text and "Periods FY2014 to FY2017" in text
    for line in overtime_build(framework_code="SC").indicator_lines:
        start = text.index(f" {line.code} ")
        shown = text[start:start + 300]
        for cell in line.cells:  # period by period, left to right
            words = f"{cell.progress} {cell.status_label}".strip()
            assert words in shown, (line.code, words, shown)
            shown = shown[shown.index(words) + len(words):]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the demo loads only in development
    call_command("load_chains", verbosity=0)
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False


def test_demo_scorecard_is_one_page(demo, client, committee):
    client.force_login(committee)
    for framework in ("CORP", "SEC"):
        data = _pdf(client, "scorecard_pdf", framework=framework)
        assert len(reader(data).pages) == 1, framework
    card, document = pack.scorecard_document(framework_code="CORP")
    assert document.pages == 1 and "Illustrative figures." in page_texts(document.data)[0]


@pytest.mark.parametrize("name", ["scorecard", "overtime"])
def test_pdf_answers_every_user_as_its_page_does(scorecard_data, client, make_user, committee, name):
    page_url = reverse(f"scorecard:{name}") + "?framework=SC"
    pdf_url = reverse(f"scorecard:{name}_pdf") + "?framework=SC"
    for user in (None, make_user(), committee):
        client.logout()
        if user:
            client.force_login(user)
        page, pdf = client.get(page_url), client.get(pdf_url)
        assert page.status_code == pdf.status_code, (user, page.status_code, pdf.status_code)
        assert page.get("Location", "").split("?")[0] == pdf.get("Location", "").split("?")[0]


def test_nothing_to_print_is_a_clear_404(db, client, committee):
    client.force_login(committee)
    assert client.get(reverse("scorecard:scorecard_pdf")).status_code == 404
    assert client.get(reverse("scorecard:overtime_pdf")).status_code == 404


def test_a_missing_font_stops_the_pdf_rather_than_falling_back_to_the_machines(db):
    from scorecard.pdf import PdfRenderingError, html_to_pdf

    html = ('<html><head><style>@font-face { font-family: X; src: url("vendor/dejavu/missing.ttf"); }'
            'body { font-family: X; }</style></head><body>x</body></html>')
    with pytest.raises(PdfRenderingError, match="The PDF could not be made"):
        html_to_pdf(html)
    assert html_to_pdf("<p>plain</p>").pages == 1
