"""The API refuses figures for a computed indicator (issue 18), with the rulebook's words, as the forms do."""
from django.urls import reverse

from indicators.models import Measurement

LIST = reverse("api:measurement-list")


def test_a_measurement_of_a_computed_indicator_is_refused(client_as, programmes):
    programmes["define"]()
    before = Measurement.objects.count()
    response = client_as("officer").post(LIST, {"indicator": "CORP-CITIES", "period": "FY2016", "value": "3"},
                                         format="json")
    assert response.status_code == 400, response.content
    assert any("CORP-CITIES is computed" in m for m in response.json()["indicator"])
    assert Measurement.objects.count() == before
    # A programme's own indicator is recorded as usual.
    ok = client_as("officer").post(LIST, {"indicator": "P1-CITIES", "period": "FY2016", "value": "3"}, format="json")
    assert ok.status_code == 201, ok.content
