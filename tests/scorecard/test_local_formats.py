"""Figures in the reader's format (issue 19): 1,234.5 in English, 1 234,5 in French, 1.234,5 in
Spanish and Portuguese, on the scorecard page, in its PDF, and wherever a figure is written."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from indicators import validation
from indicators.chart import ChartPoint, build_chart
from indicators.part_selectors import part_text
from results import services as result_services
from results.levels import Level
from results.models import ResultsFramework
from scorecard import formatting

from .builders import baseline, indicator, measurement, target
from .pdfs import page_texts

D = Decimal
NBSP = "\u00a0"
SHOWN = {"en": "1,234.5", "fr": f"1{NBSP}234,5", "es": "1.234,5", "pt": "1.234,5"}


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_every_writer_of_figures_uses_the_readers_format(lang):
    two_thousand = {"en": "2,000", "fr": f"2{NBSP}000", "es": "2.000", "pt": "2.000"}[lang]
    with translation.override(lang):
        assert formatting.number(D("1234.50"), "number") == SHOWN[lang]
        assert formatting.number(D("1234.5"), "currency", "USD") == f"USD {SHOWN[lang]}"
        assert formatting.number(D("1234.5"), "percentage") == f"{SHOWN[lang]}%"
        assert formatting.percent(D("20")) == f"{two_thousand}%"
        assert validation.format_figure(measure="number", value=D("1234.5"), unit="cities") == f"{SHOWN[lang]} cities"
        assert part_text(measure="percentage", unit="", value=D(60), numerator=D("1234.5"),
                         denominator=D(2000)) == f"60% ({SHOWN[lang]} of {two_thousand})"
        chart = build_chart([ChartPoint(label="FY2016", actual=D("1234.5"), target=D(2000))])
        actual = {"en": "FY2016 actual: ", "fr": "Réalisé FY2016 : ", "es": "Valor real FY2016: ", "pt": "Valor real FY2016: "}[lang]
        assert [title for _, _, title in chart.actual_dots] == [f"{actual}{SHOWN[lang]}"]  # in the reader's words


def test_english_is_unchanged():
    assert formatting.plain_number(D("1200000")) == "1,200,000"
    assert formatting.number(D("45"), "percentage") == "45%"
    assert formatting.number(D("1"), "yes_no") == "Yes"
    assert formatting.percent(D("0.6667")) == "67%"


@pytest.fixture
def local(db):
    """One indicator in dollars: baseline 1,000, target 3,000 (FY2016), approved actual 1,234.5."""
    fw = result_services.framework_create(code="LOC", name="Local formats chain", kind=ResultsFramework.Kind.CORPORATE)
    imp = result_services.result_create(framework=fw, level=Level.IMPACT, code="LOC-IMP", statement="Impact")
    oc = result_services.result_create(framework=fw, parent=imp, level=Level.OUTCOME, code="LOC-OC",
                                       statement="Outcome")
    big = indicator(oc, "BIG", measure="currency", unit="USD", direction="increase", aggregation="latest")
    baseline(big, D(1000))
    target(big, "FY2016", D(3000))
    measurement(big, "FY2016", D("1234.5"))
    return fw


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_the_scorecard_page_in_the_readers_format(client, committee, local, lang):
    client.force_login(committee)
    page = client.get(reverse("scorecard:scorecard"), {"framework": "LOC", "period": "FY2016"},
                      HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f"USD {SHOWN[lang]}" in page
    thousands = {"en": "1,000", "fr": f"1{NBSP}000", "es": "1.000", "pt": "1.000"}[lang]
    assert f"USD {thousands}" in page and f"USD {thousands.replace('1', '3')}" in page
    assert "12%" in page  # (1,234.5 - 1,000) / (3,000 - 1,000)
    with translation.override(lang):  # the same under translation.override, without a request
        from scorecard.selectors import scorecard_build
        assert scorecard_build(framework_code="LOC", period_label="FY2016") is not None


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_the_scorecard_pdf_in_the_readers_format(client, committee, local, lang):
    client.force_login(committee)
    response = client.get(reverse("scorecard:scorecard_pdf"), {"framework": "LOC", "period": "FY2016"},
                          HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    text = " ".join(page_texts(response.content))
    assert f"USD {SHOWN[lang]}" in text, text[:1500]
