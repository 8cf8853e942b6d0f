import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators import services


@pytest.fixture
def pdf():
    def make(name="evidence.pdf", size=None):
        content = b"%PDF-1.4 illustrative evidence\n" if size is None else b"x" * size
        return SimpleUploadedFile(name, content, content_type="application/pdf")
    return make


@pytest.fixture
def submitted(make_indicator, officer):
    """An indicator with an FY2014 measurement submitted by the officer, with evidence."""
    indicator = make_indicator(aggregation="sum")
    m = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="12",
                                        evidence_url="https://example.org/report", so_what="Used to plan the next round.")
    m = services.measurement_submit(measurement=m, by=officer, version=m.version)
    return m
