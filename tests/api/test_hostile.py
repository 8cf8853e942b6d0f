"""Attacks on the API's own endpoints: NUL bytes and junk in paths and filters (400 or 404, never a
500, on SQLite and PostgreSQL alike), huge page sizes, hostile text round trips, forged writes,
throttling, and the documentation pages under the site's Content-Security-Policy."""
import pytest
from django.urls import reverse

from indicators import services

LISTS = ["framework", "result", "alignment", "period", "indicator", "dimension", "baseline", "target", "measurement",
         "edition"]
PATHS = ["/api/v1/frameworks/{x}/", "/api/v1/frameworks/{x}/iati/", "/api/v1/results/{x}/",
         "/api/v1/indicators/{x}/", "/api/v1/dimensions/{x}/", "/api/v1/baselines/{x}/", "/api/v1/periods/{x}/", "/api/v1/alignments/{x}/",
         "/api/v1/targets/{x}/", "/api/v1/measurements/{x}/", "/api/v1/editions/{x}/",
         "/api/v1/measurements/{x}/approve/"]
JUNK = ["%00", "CORP%00", "%00%00%00", "..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1--", "%E2%80%AE", "9" * 40,
        "-1", "%F0%9F%92%A9", "%FF"]


@pytest.fixture
def data(make_indicator, officer, manager):
    indicator = make_indicator(code="H-1")
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3",
                                    evidence_url="https://example.org/e", so_what="Used to plan the next round.", submit=True)
    services.measurement_approve(measurement=m, by=manager, version=m.version)
    return indicator


def test_junk_in_paths_is_404_never_500(data, client_as):
    client = client_as("manager")
    for template in PATHS:
        for junk in JUNK:
            url = template.format(x=junk)
            response = client.get(url) if "approve" not in url else client.post(url, {"version": 1})
            assert response.status_code in (400, 404, 405), (url, response.status_code)
            assert response["Content-Type"].startswith("application/json"), url


@pytest.mark.parametrize("noun", LISTS)
def test_junk_in_filters_is_400_or_ignored_never_500(data, client_as, noun):
    client = client_as("manager")
    url = reverse(f"api:{noun}-list")
    params = ["framework", "period", "status", "indicator", "result", "figures", "kind", "level", "parent",
              "relation", "fiscal_year", "page", "page_size", "format", "ordering"]
    for name in params:
        for value in ["\x00", "FY2014\x00", "x" * 5000, "'; DROP TABLE x; --", "-1", "1e309", "\u202e"]:
            response = client.get(url, {name: value})
            assert response.status_code in (200, 400, 404), (url, name, repr(value), response.status_code)
        for raw in ["%ED%A0%80", "%FF%FE", "%00%00"]:  # a lone surrogate, invalid UTF-8, NULs
            response = client.get(f"{url}?{name}={raw}")
            assert response.status_code in (200, 400, 404), (url, name, raw, response.status_code)


def test_huge_and_odd_page_sizes_are_capped(data, client_as, settings):
    settings.API_MAX_PAGE_SIZE = 2
    for i in range(3):
        services.target_set(indicator=data, period=f"FY201{5 + i}", by=data.responsible, value="5")
    client = client_as("officer")
    url = reverse("api:target-list")
    body = client.get(url, {"page_size": 10**12, "figures": "working"}).json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert client.get(url, {"page_size": 0, "figures": "working"}).status_code == 200
    assert client.get(url, {"page": 99, "figures": "working"}).status_code == 404
    assert client.get(url, {"page": "last", "figures": "working"}).status_code == 200


def test_hostile_text_comes_back_as_text(data, client_as):
    hostile = '<script>alert(1)</script> "quoted" \u202e =SUM(A1) \U0001F4A9'
    client = client_as("officer")
    created = client.post(reverse("api:measurement-list"), {
        "indicator": "H-1", "period": "FY2015", "value": "2", "comment": hostile}, format="json")
    assert created.status_code == 201
    assert created.json()["comment"] == hostile
    assert created["Content-Type"] == "application/json"
    page = client.get(reverse("api:measurement-detail", args=[created.json()["id"]]),
                      {"figures": "working"}, HTTP_ACCEPT="text/html")
    assert b"<script>alert(1)</script>" not in page.content  # the browsable API escapes it


def test_forged_writes_change_nothing(data, client_as):
    from indicators.models import Measurement

    m = Measurement.objects.get()
    client = client_as("officer")
    # Fields the API does not take are ignored, never written (status, approved figures, reviewer).
    response = client.patch(reverse("api:measurement-detail", args=[m.pk]), {
        "version": m.version, "status": "approved", "approved_value": "999", "reviewed_by": 1,
        "indicator": "OTHER", "period": "FY2019"}, format="json")
    assert response.status_code == 200
    m.refresh_from_db()
    # Nothing the API takes changed, so nothing was written (no new revision of the approved figure).
    assert (m.status, m.approved_value, m.period.label, m.indicator.code) == ("approved", 3, "FY2014", "H-1")
    # An officer cannot approve by posting to the approve action.
    assert client.post(reverse("api:measurement-approve", args=[m.pk]), {"version": m.version}).status_code == 403
    # Malformed bodies are 400 or 415, never 500.
    url = reverse("api:measurement-list")
    assert client.post(url, "{not json", content_type="application/json").status_code == 400
    assert client.post(url, "[1, 2]", content_type="application/json").status_code == 400
    assert client.post(url, "x", content_type="application/x-unknown").status_code == 415
    assert client.post(url, {"indicator": ["H-1"], "period": {"a": 1}}, format="json").status_code == 400
    too_big = client.patch(reverse("api:measurement-detail", args=[m.pk]), {"version": 10**20}, format="json")
    assert too_big.status_code == 400 and "version" in too_big.json()


def test_throttling_answers_429(data, client_as, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_THROTTLE_USER = "3/minute"
    client = client_as("committee")
    codes = [client.get(reverse("api:framework-list")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    throttled = client.get(reverse("api:framework-list"))
    assert int(throttled["Retry-After"]) > 0
    cache.clear()


def test_the_documentation_pages_use_local_files_and_the_sites_policy(client, committee):
    client.force_login(committee)
    swagger = client.get(reverse("api:docs"))
    assert swagger.status_code == 200
    html = swagger.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http" not in html.replace("http-equiv", "")  # no CDN, no absolute link anywhere
    assert "<script>" not in html  # the start-up script is its own file (?script)
    csp = swagger["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "blob:" not in csp
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    redoc = client.get(reverse("api:redoc"))
    assert redoc.status_code == 200
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in redoc.content.decode()
    assert "googleapis" not in redoc.content.decode()
    assert "worker-src 'self' blob:" in redoc["Content-Security-Policy"]
    assert "worker-src" not in client.get(reverse("home"))["Content-Security-Policy"]


def test_the_documentation_pages_need_a_login(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
