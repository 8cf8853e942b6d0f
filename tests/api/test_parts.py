"""The API writes measurements through the same services: a total that no longer agrees with the
measurement's stored parts is refused with the rulebook's message (issue 14)."""
from decimal import Decimal

from django.urls import reverse

from indicators import services
from indicators.dimensions import Dimension, DimensionValue
from indicators.services.parts import PartInput


def test_an_api_total_that_no_longer_matches_its_parts_is_refused(client_as, make_indicator, officer):
    indicator = make_indicator(code="API-P", aggregation="sum", unit="people")
    sex = Dimension.objects.create(name="Sex", slug="sex")
    female = DimensionValue.objects.create(dimension=sex, name="female", slug="female")
    male = DimensionValue.objects.create(dimension=sex, name="male", slug="male")
    sex.indicators.add(indicator)
    m = services.measurement_save_draft(indicator=indicator, period="FY2014", by=officer, value="100",
                                        parts={female.pk: PartInput(Decimal(60)), male.pk: PartInput(Decimal(40))})
    client = client_as("officer")
    response = client.patch(reverse("api:measurement-detail", args=[m.pk]), {"version": m.version, "value": "120"},
                            format="json")
    assert response.status_code == 400
    assert "Sex: the parts add up to 100, 20 less than the total 120." in response.content.decode()
    m.refresh_from_db()
    assert m.value == Decimal(100)
