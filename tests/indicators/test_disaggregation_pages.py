"""Entering and reviewing parts in the browser (issue 14): the grid under the total on the
measurement and target forms, its errors on the grid, and the review pages showing the parts."""
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services
from indicators.dimensions import Dimension, DimensionValue, MeasurementPart
from indicators.services.parts import PartInput


@pytest.fixture
def sex(db):
    dim = Dimension.objects.create(name="Sex", slug="sex", order=1)
    return (dim, DimensionValue.objects.create(dimension=dim, name="female", slug="female", order=1),
            DimensionValue.objects.create(dimension=dim, name="male", slug="male", order=2))


@pytest.fixture
def trained(make_indicator, sex):
    indicator = make_indicator(name="People trained", unit="people", aggregation="sum")
    sex[0].indicators.add(indicator)
    return indicator


def _post_measurement(client, indicator, data):
    return client.post(reverse("indicators:measurement_create", args=[indicator.code]), {
        "period": "FY2014", "evidence_url": "https://example.org/e", "so_what": "Shared.", "version": "0",
        "action_submit": "1", **data})


def test_the_measurement_form_shows_a_grid_of_parts_under_the_total(client, officer, trained, sex):
    client.force_login(officer)
    page = client.get(reverse("indicators:measurement_create", args=[trained.code])).content.decode()
    assert "By sex" in page and "The parts of sex add up to the total." in page
    assert f'name="part-{sex[1].pk}-value"' in page and f'name="part-{sex[2].pk}-value"' in page
    assert page.index('name="value"') < page.index(f'name="part-{sex[1].pk}-value"') < page.index('name="evidence_url"')


def test_parts_that_do_not_add_up_are_refused_on_the_grid(client, officer, trained, sex):
    client.force_login(officer)
    _, female, male = sex
    response = _post_measurement(client, trained, {"value": "100", f"part-{female.pk}-value": "55",
                                                   f"part-{male.pk}-value": "40"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sex: the parts add up to 95, 5 less than the total 100." in page
    assert page.index("By sex") < page.index("5 less than the total 100") < page.index('name="evidence_url"')
    assert "is-invalid" in page and not trained.measurements.exists()
    response = _post_measurement(client, trained, {"value": "100", f"part-{female.pk}-value": "abc"})
    assert "Sex, female: &#x27;abc&#x27; is not a number" in response.content.decode()


def test_parts_that_add_up_are_saved_and_the_review_page_shows_them(client, officer, manager, trained, sex):
    client.force_login(officer)
    _, female, male = sex
    response = _post_measurement(client, trained, {"value": "1,000", f"part-{female.pk}-value": "600",
                                                   f"part-{male.pk}-value": "400"})
    assert response.status_code == 302
    assert {p.dimension_value.name: p.value for p in MeasurementPart.objects.all()} == {
        "female": Decimal(600), "male": Decimal(400)}
    client.force_login(manager)
    page = client.get(reverse("indicators:measurement", args=[trained.code, "FY2014"])).content.decode()
    assert "By sex" in page and "600 people" in page and "400 people" in page
    # the edit form opens with the stored parts
    client.force_login(officer)
    m = trained.measurements.get()
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    page = client.get(reverse("indicators:measurement_edit", args=[trained.code, "FY2014"])).content.decode()
    assert f'name="part-{female.pk}-value" id="id_part-{female.pk}-value" value="600"' in page


def test_the_target_form_takes_parts_and_the_target_review_page_shows_them(client, officer, manager, trained, sex):
    client.force_login(officer)
    _, female, male = sex
    url = reverse("indicators:target_create", args=[trained.code])
    response = client.post(url, {"period": "FY2015", "value": "200", "rationale": "Two courses.", "version": "0",
                                 f"part-{female.pk}-value": "150", f"part-{male.pk}-value": "100"})
    assert "Sex: the parts add up to 250, 50 more than the total 200." in response.content.decode()
    response = client.post(url, {"period": "FY2015", "value": "200", "rationale": "Two courses.", "version": "0",
                                 f"part-{female.pk}-value": "100", f"part-{male.pk}-value": "100"})
    assert response.status_code == 302
    client.force_login(manager)
    page = client.get(reverse("indicators:target_review", args=[trained.code, "FY2015"])).content.decode()
    assert "By sex" in page and page.count("100 people") >= 2


def test_a_percentage_grid_takes_numerators_and_denominators(client, officer, make_indicator, sex):
    indicator = make_indicator(name="Share of plans adopted", unit="", measure="percentage")
    sex[0].indicators.add(indicator)
    _, female, male = sex
    client.force_login(officer)
    response = _post_measurement(client, indicator, {
        "value": "", f"part-{female.pk}-numerator": "30", f"part-{female.pk}-denominator": "50",
        f"part-{male.pk}-numerator": "10", f"part-{male.pk}-denominator": "150"})
    assert response.status_code == 302
    m = indicator.measurements.get()
    assert m.value == Decimal(20)  # 40 of 200, not the average of 60% and 6.7%
    page = client.get(reverse("indicators:measurement", args=[indicator.code, "FY2014"])).content.decode()
    assert "60% (30 of 50)" in page


def test_a_committee_reader_sees_approved_parts_only(client, committee, officer, manager, trained, sex):
    _, female, male = sex
    m = services.measurement_record(indicator=trained, period="FY2014", by=officer, value="10", submit=True,
                                    evidence_url="https://example.org/e", so_what="Shared.",
                                    parts={female.pk: PartInput(Decimal(6)), male.pk: PartInput(Decimal(4))})
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    client.force_login(committee)
    page = client.get(reverse("indicators:measurement", args=[trained.code, "FY2014"])).content.decode()
    assert "By sex" in page and "6 people" in page and "This version" not in page


# --- the indicator page's breakdown ------------------------------------------------------------

def _disaggregated(make_indicator, officer, manager, result, *, code, dims, years):
    """An indicator split by `dims` ({name: [values]}) with approved measurements over `years` years,
    each value's part being 10 x its position, the total their sum."""
    indicator = make_indicator(result, code=code, name="People trained", unit="people", aggregation="sum")
    values = []
    for name, names in dims.items():
        dim = Dimension.objects.create(name=f"{name} {code}", slug=f"{name}-{code}".lower())
        dim.indicators.add(indicator)
        values.append([DimensionValue.objects.create(dimension=dim, name=n, slug=f"{n}-{code}".lower(), order=i)
                       for i, n in enumerate(names)])
    for n in range(years):
        parts = {dv.pk: PartInput(Decimal(10 * (i + 1))) for group in values for i, dv in enumerate(group)}
        total = sum(10 * (i + 1) for i in range(len(values[0])))
        m = services.measurement_record(indicator=indicator, period=f"FY{2014 + n}", by=officer, value=str(total),
                                        parts=parts, evidence_url="https://example.org/e", so_what="Shared.",
                                        submit=True)
        services.measurement_approve(measurement=m, by=manager, version=m.version)
    return indicator


def test_the_indicator_page_shows_the_breakdown_per_dimension_over_time(client, committee, officer, manager,
                                                                         make_chain, make_indicator):
    chain = make_chain()
    indicator = _disaggregated(make_indicator, officer, manager, chain["outputs"][0], code="BRK-1",
                               dims={"Sex": ["female", "male"]}, years=2)
    client.force_login(committee)
    page = client.get(indicator.get_absolute_url()).content.decode()
    section = page[page.index('id="breakdown-title"'):]
    assert "By sex brk-1" in section
    assert '<th scope="row">FY2014</th><td class="text-end">10</td><td class="text-end">20</td>' in section
    assert 'aria-label="female 33%, male 67%"' in section  # the split, drawn as a stacked bar


def test_the_breakdown_costs_the_same_queries_at_two_sizes(client, officer, manager, make_chain, make_indicator,
                                                            django_assert_num_queries):
    from .test_queries import count_queries, forget_pages

    chain = make_chain(outputs=2)
    small = _disaggregated(make_indicator, officer, manager, chain["outputs"][0], code="BRK-S",
                           dims={"Sex": ["female", "male"]}, years=2)
    large = _disaggregated(make_indicator, officer, manager, chain["outputs"][1], code="BRK-L",
                           dims={"Sex": ["female", "male", "other"], "Country": ["Uganda", "Ghana", "Peru"]},
                           years=6)
    client.force_login(officer)
    client.get(small.get_absolute_url())
    forget_pages(client)
    built = count_queries(client, small.get_absolute_url())
    forget_pages(client)
    with django_assert_num_queries(built):
        page = client.get(large.get_absolute_url()).content.decode()
    assert "By country brk-l" in page and page.count('<th scope="row">FY20') >= 12


# --- choosing an indicator's dimensions --------------------------------------------------------

def _indicator_post(indicator, **changes):
    data = {"result": indicator.result_id, "code": indicator.code, "name": indicator.name, "kind": indicator.kind,
            "measure": indicator.measure, "unit": indicator.unit, "direction": indicator.direction,
            "aggregation": indicator.aggregation, "frequency": indicator.frequency, "weight": "1", "order": "0",
            "responsible": indicator.responsible_id or "", "version": indicator.version}
    data.update(changes)
    return data


def test_a_manager_chooses_an_indicators_dimensions_on_its_form(client, manager, officer, make_indicator, sex):
    indicator = make_indicator(name="People trained", unit="people", aggregation="sum")
    url = reverse("indicators:indicator_edit", args=[indicator.code])
    client.force_login(officer)
    assert "Disaggregated by" not in client.get(url).content.decode()  # an officer does not choose them
    client.force_login(manager)
    assert "Disaggregated by" in client.get(url).content.decode()
    response = client.post(url, _indicator_post(indicator, dimensions=[sex[0].pk]))
    assert response.status_code == 302
    assert [d.name for d in indicator.dimensions.all()] == ["Sex"]
    assert sex[0].history.first().history_change_reason == f"{indicator.code} disaggregated by Sex"


def test_a_dimension_with_parts_stays(client, manager, officer, trained, sex):
    services.measurement_save_draft(indicator=trained, period="FY2014", by=officer, value="10",
                                    parts={sex[1].pk: PartInput(Decimal(6)), sex[2].pk: PartInput(Decimal(4))})
    client.force_login(manager)
    trained.refresh_from_db()
    response = client.post(reverse("indicators:indicator_edit", args=[trained.code]),
                           _indicator_post(trained, dimensions=[]))
    assert f"{trained.code} already has figures split by Sex; it stays disaggregated by them." in \
        response.content.decode()
    assert [d.name for d in trained.dimensions.all()] == ["Sex"]


def test_a_yes_no_indicator_is_not_disaggregated(manager, make_indicator, sex):
    from django.core.exceptions import ValidationError

    indicator = make_indicator(name="Audit clean", unit="", measure="yes_no")
    with pytest.raises(ValidationError, match="only numbers, amounts and percentages are disaggregated"):
        services.indicator_dimensions_set(indicator=indicator, dimensions=[sex[0]], by=manager)


# --- the admin ---------------------------------------------------------------------------------

def test_an_administrator_defines_a_dimension_and_its_values_in_the_admin(client, administrator, make_indicator):
    indicator = make_indicator(name="People trained", unit="people", aggregation="sum")
    client.force_login(administrator)
    assert client.get(reverse("admin:indicators_dimension_changelist")).status_code == 200
    response = client.post(reverse("admin:indicators_dimension_add"), {
        "name": "Age group", "slug": "age-group", "order": "2", "indicators": [indicator.pk],
        "values-TOTAL_FORMS": "2", "values-INITIAL_FORMS": "0", "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
        "values-0-name": "under 25", "values-0-slug": "under-25", "values-0-order": "1",
        "values-1-name": "25 and over", "values-1-slug": "25-and-over", "values-1-order": "2",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    dimension = Dimension.objects.get(name="Age group")
    assert [v.name for v in dimension.values.all()] == ["under 25", "25 and over"]
    assert list(indicator.dimensions.all()) == [dimension]
    assert dimension.history.first().history_user == administrator
    page = client.get(reverse("indicators:measurement_create", args=[indicator.code])).content.decode()
    assert "By age group" in page


def test_the_admin_keeps_an_indicator_whose_figures_have_parts(client, administrator, officer, trained, sex):
    services.measurement_save_draft(indicator=trained, period="FY2014", by=officer, value="10",
                                    parts={sex[1].pk: PartInput(Decimal(6)), sex[2].pk: PartInput(Decimal(4))})
    client.force_login(administrator)
    dim, female, male = sex
    response = client.post(reverse("admin:indicators_dimension_change", args=[dim.pk]), {
        "name": "Sex", "slug": "sex", "order": "1", "indicators": [],
        "values-TOTAL_FORMS": "2", "values-INITIAL_FORMS": "2", "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
        "values-0-id": female.pk, "values-0-dimension": dim.pk, "values-0-name": "female", "values-0-slug": "female",
        "values-0-order": "1",
        "values-1-id": male.pk, "values-1-dimension": dim.pk, "values-1-name": "male", "values-1-slug": "male",
        "values-1-order": "2",
    })
    assert response.status_code == 200
    assert f"{trained.code} already has figures split by Sex" in response.content.decode()
    assert list(trained.dimensions.all()) == [dim]


def test_the_baseline_form_takes_parts_and_proposes_them_once_a_measurement_is_approved(client, officer, manager, trained, sex):
    from indicators.dimensions import BaselinePart

    _, female, male = sex
    url = reverse("indicators:baseline_edit", args=[trained.code])
    client.force_login(officer)
    data = {"value": "10", "period": "FY2013", "status": "validated", "version": "0"}
    response = client.post(url, {**data, f"part-{female.pk}-value": "6", f"part-{male.pk}-value": "3"})
    assert "Sex: the parts add up to 9, 1 less than the total 10." in response.content.decode()
    response = client.post(url, {**data, f"part-{female.pk}-value": "6", f"part-{male.pk}-value": "4"})
    assert response.status_code == 302
    assert {p.dimension_value.name: p.value for p in BaselinePart.objects.all()} == {"female": 6, "male": 4}
    # both at once: a new value with new parts
    version = trained.baseline.version
    response = client.post(url, {**data, "value": "12", "version": version, f"part-{female.pk}-value": "7",
                                 f"part-{male.pk}-value": "5"})
    assert response.status_code == 302
    assert sorted(p.value for p in BaselinePart.objects.all()) == [5, 7]
    m = services.measurement_record(indicator=trained, period="FY2014", by=officer, value="3", submit=True,
                                    evidence_url="https://example.org/e", so_what="Shared.")
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    page = client.get(url).content.decode()  # then changed parts go to review (test_baseline_part_proposals.py)
    assert "By sex" in page and 'name="reason"' in page
