"""The OpenAPI 3 schema is valid, documents every operation, and the API keeps to it: schemathesis
generates requests for every documented operation, as each role and with no role, and finds no
server error and no response outside the schema (status, content type, headers, body).

Bounded for CI: SCHEMATHESIS_EXAMPLES (default 8) examples per operation and role, through the WSGI
application in-process (no server)."""
import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate

from indicators import services

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))


def _spec():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_validates_as_openapi_3():
    spec = _spec()
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_the_schema_documents_every_operation_and_its_errors():
    spec = _spec()
    operations = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert ("/api/v1/measurements/", "post") in operations
    assert ("/api/v1/measurements/{id}/approve/", "post") in operations
    assert ("/api/v1/scorecard/", "get") in operations
    assert ("/api/v1/frameworks/{code}/iati/", "get") in operations
    assert not any(method == "put" or method == "delete" for _path, method in operations)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert {"401", "403", "404", "429"} <= set(operation["responses"]), (path, method)
    assert "tokenAuth" in spec["components"]["securitySchemes"]


def test_the_schema_is_served_to_signed_in_people_only(client_as):
    url = reverse("api:schema")
    assert client_as(None).get(url).status_code == 401
    response = client_as("committee").get(url, {"format": "json"})
    assert response.status_code == 200
    validate(response.json())


@pytest.fixture
def scenario(make_chain, make_indicator, make_user, officer, manager):
    """A little of everything the operations read: two chains and an alignment, an approved, a
    submitted and a revised measurement (split by sex: approved and working parts), a qualitative
    indicator, a published edition."""
    from decimal import Decimal

    from indicators.dimensions import Dimension, DimensionValue
    from indicators.services.parts import PartInput
    from results import services as result_services
    from results.models import ResultsFramework
    from scorecard import services as scorecard_services

    chain = make_chain(code="ST", outputs=2)
    other = make_chain(code="ST2", kind=ResultsFramework.Kind.SECRETARIAT)
    result_services.alignment_create(source=other["io"], target=chain["io"])
    counted = make_indicator(chain["outputs"][0], code="ST-1", aggregation="sum")
    sex = Dimension.objects.create(name="Sex", slug="sex")
    female, male = (DimensionValue.objects.create(dimension=sex, name=n, slug=n, order=i)
                    for i, n in enumerate(["female", "male"]))
    sex.indicators.add(counted)

    def split(a, b):
        return {female.pk: PartInput(Decimal(a)), male.pk: PartInput(Decimal(b))}

    services.baseline_record(indicator=counted, by=officer, value="2", period="FY2013", parts=split(1, 1))
    t = services.target_set(indicator=counted, period="FY2014", by=officer, value="8", parts=split(5, 3))
    services.target_approve(target=t, by=manager, version=t.version)
    m = services.measurement_record(indicator=counted, period="FY2014", by=officer, value="3", parts=split(2, 1),
                                    evidence_url="https://example.org/a", so_what="Used to plan the next round.", submit=True)
    m = services.measurement_approve(measurement=m, by=manager, version=m.version)
    services.measurement_save_draft(indicator=counted, period="FY2014", by=officer, value="4", version=m.version,
                                    parts=split(2, 2))
    services.measurement_record(indicator=counted, period="FY2015", by=officer, value="5", parts=split(3, 2),
                                evidence_url="https://example.org/b", so_what="Used to plan the next round.", submit=True)
    rated = make_indicator(chain["outputs"][1], code="ST-Q", kind="qualitative", measure="rating",
                           aggregation="latest")
    m = services.measurement_record(indicator=rated, period="FY2014", by=officer, rating="on track",
                                    evidence_url="https://example.org/c", so_what="Used to plan the next round.", submit=True)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    scorecard_services.edition_publish(framework=chain["framework"], period=m.period, commentary="Reflect",
                                       published_by=manager)


def _schema():
    import schemathesis

    from citiesalliance.wsgi import application

    loaded = schemathesis.openapi.from_dict(_spec())
    loaded.app = application
    return loaded


ROLES = ["officer", "manager", "committee", "administrator", "no role", None]


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_operation_keeps_to_the_schema(role, scenario, client_as, settings):
    """One test per role walks every operation (to keep the scenario's set-up to one per role)."""
    from django.core import signals
    from django.db import close_old_connections
    from hypothesis import given
    from rest_framework.authtoken.models import Token
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_headers_conformance, response_schema_conformance]
    headers = {"Authorization": f"Token {Token.objects.get(user=client_as(role).user).key}"} if role else {}
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis's WSGI client says "localhost"
    schema = _schema()
    seen = []
    # The WSGI application closes the database connection around each request; inside the test's
    # transaction it must not (Django's own test client disconnects the same handlers).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy())
            @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                                 suppress_health_check=list(HealthCheck))
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)

            run()
            seen.append(operation.label)
        # A body with parts, whatever the generator drew: right, not adding up, of an unknown value.
        create = schema["/api/v1/measurements/"]["POST"]
        for parts in ([{"dimension_value": "female", "value": "4"}, {"dimension_value": "male", "value": "2"}],
                      [{"dimension": "sex", "dimension_value": "female", "value": "5"}],
                      [{"dimension_value": "nobody", "value": "1"}]):
            case = create.Case(body={"indicator": "ST-1", "period": "FY2016", "value": "6", "parts": parts},
                               media_type="application/json")
            case.call_and_validate(headers=headers, checks=checks)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert len(seen) >= 20
