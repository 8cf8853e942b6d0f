"""User-supplied text is escaped everywhere, and every page needs a login.

A script tag and an attribute-breaking payload are stored in every text field a user can fill (a
framework's and a business line's name, a result's statement, description and assumptions, an
alignment's note, an indicator's name, definition, unit, data source and means of verification, a
baseline's source and text, a target's rationale and review note, a measurement's finding, comment,
"so what?", evidence link and review note, an edition's commentary, people's names); then every page
of the site is fetched, as a manager, as the Executive Committee and (the admin) as a superuser,
and no response may carry the payload as markup. Every named URL of the site must be visited here:
a new page that is not listed fails `test_every_page_is_visited`.
"""
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from citiesalliance import roles
from indicators import services as indicator_services
from indicators.models import Indicator
from results import services as result_services
from results.levels import Level
from results.models import ResultsFramework
from scorecard import services as scorecard_services

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
HOSTILE = f"{SCRIPT} {ATTRIBUTE} & ' \""
HOSTILE_URL = "https://example.org/e?x=\"><img/src=x/onerror=alert(1)>"
# What must never reach a page unescaped: the script tag, and the img tag however it is spelled.
NEEDLES = ("<script>alert(1)", "<img src=x onerror", "<img/src=x", "onerror=alert(1)>")


def assert_escaped(response, where: str) -> None:
    body = response.content.decode("utf-8", errors="replace")
    for needle in NEEDLES:
        assert needle not in body, f"{where}: {needle!r} appears unescaped"


@pytest.fixture
def hostile(make_user, settings):
    """Every user-supplied text field holds the payload; one object of each kind, in every state."""
    settings.AXES_ENABLED = False
    names = {"first_name": SCRIPT[:150], "last_name": ATTRIBUTE}
    officer = make_user(roles.OFFICER, username="x-officer", **names)
    manager = make_user(roles.MANAGER, username="x-manager", **names)
    approver = make_user(roles.MANAGER, username="x-approver", **names)
    line = result_services.business_line_create(code="XSS", name=HOSTILE[:120], description=HOSTILE)

    def chain(code, kind):
        fw = result_services.framework_create(code=code, name=f"{code} {HOSTILE}"[:200], kind=kind,
                                              description=HOSTILE)
        made = {"framework": fw}
        parent = None
        for level, suffix in ((Level.IMPACT, "IMP"), (Level.OUTCOME, "OC"), (Level.INTERMEDIATE_OUTCOME, "IO"),
                              (Level.OUTPUT, "OUT"), (Level.ACTIVITY, "ACT")):
            parent = made[suffix] = result_services.result_create(
                framework=fw, parent=parent, level=level, code=f"{code}-{suffix}", statement=HOSTILE,
                description=HOSTILE, assumptions=HOSTILE,
                business_line=line if level >= Level.OUTPUT else None)
        return made

    corp = chain("XCORP", ResultsFramework.Kind.CORPORATE)
    sec = chain("XSEC", ResultsFramework.Kind.SECRETARIAT)
    alignment = result_services.alignment_create(source=sec["IO"], target=corp["OUT"], note=HOSTILE)

    text_fields = {"name": HOSTILE, "definition": HOSTILE, "unit": HOSTILE[:60], "data_source": HOSTILE,
                   "means_of_verification": HOSTILE, "responsible": officer}
    counted = indicator_services.indicator_create(by=officer, result=corp["OUT"], code="X-COUNT", **text_fields)
    rated = indicator_services.indicator_create(
        by=officer, result=corp["OC"], code="X-RATED", kind=Indicator.Kind.QUALITATIVE,
        measure=Indicator.Measure.RATING, aggregation=Indicator.Aggregation.LATEST, **text_fields)
    indicator_services.baseline_record(indicator=counted, by=officer, value="10", period="FY2013", source=HOSTILE)
    indicator_services.baseline_record(indicator=rated, by=officer, text=HOSTILE, period="FY2013", source=HOSTILE)

    for indicator, figure in ((counted, {"value": "20"}), (rated, {"rating": "on_track"})):
        t = indicator_services.target_set(indicator=indicator, period="FY2014", by=officer, rationale=HOSTILE, **figure)
        indicator_services.target_approve(target=t, by=approver, version=t.version)
        t = indicator_services.target_set(indicator=indicator, period="FY2015", by=officer, rationale=HOSTILE, **figure)
        indicator_services.target_return(target=t, by=approver, note=HOSTILE, version=t.version)
        indicator_services.target_set(indicator=indicator, period="FY2016", by=officer, rationale=HOSTILE, **figure)

        m = indicator_services.measurement_record(
            indicator=indicator, period="FY2014", by=officer, text=HOSTILE if "rating" in figure else "",
            comment=HOSTILE, so_what=HOSTILE, evidence_url=HOSTILE_URL, submit=True,
            evidence=SimpleUploadedFile(f"{ATTRIBUTE}.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
            **figure)
        indicator_services.measurement_approve(measurement=m, by=approver, version=m.version)
        m = indicator_services.measurement_record(
            indicator=indicator, period="FY2015", by=officer, comment=HOSTILE, so_what=HOSTILE,
            evidence_url=HOSTILE_URL, submit=True, **figure)
        indicator_services.measurement_return(measurement=m, by=approver, note=HOSTILE, version=m.version)
        indicator_services.measurement_record(indicator=indicator, period="FY2016", by=officer, comment=HOSTILE,
                                              so_what=HOSTILE, evidence_url=HOSTILE_URL, submit=True, **figure)

    proposal = indicator_services.baseline_record(
        indicator=counted, by=officer, value="11", period="FY2013", source=HOSTILE,
        version=counted.baseline.version, reason=HOSTILE).proposal

    period = counted.measurements.get(period__label="FY2014").period
    first = scorecard_services.edition_publish(framework=corp["framework"], period=period, commentary=HOSTILE,
                                               published_by=manager)
    second = scorecard_services.edition_publish(framework=corp["framework"], period=period, commentary=HOSTILE,
                                                published_by=approver, business_line=line)
    from indicators.services.dimensions import dimension_create
    dimension_create(name=HOSTILE[:80], values=[f"1 {HOSTILE}"[:80], f"2 {HOSTILE}"[:80]], slug="hostile",
                     by=manager)
    superuser = get_user_model().objects.create_superuser("x-root", password="pw-for-tests", **names)
    return {"corp": corp, "sec": sec, "alignment": alignment, "counted": counted, "rated": rated,
            "editions": (first, second), "officer": officer, "manager": manager, "approver": approver,
            "superuser": superuser, "line": line, "proposal": proposal}


def site_pages(s) -> dict[str, list[str]]:
    """Every named URL of the site (not the admin) -> the URLs that exercise it."""
    corp, counted, rated = s["corp"], s["counted"], s["rated"]
    first, second = s["editions"]
    fw = corp["framework"].code
    code_pages = lambda name, *extra: [reverse(name, args=[i.code, *extra]) for i in (counted, rated)]  # noqa: E731
    query = "?q=" + HOSTILE.replace("&", "%26").replace(" ", "+")
    return {
        "home": [reverse("home")],
        "results:framework": [reverse("results:framework", args=[fw]), reverse("results:framework", args=["XSEC"])],
        "results:result": [reverse("results:result", args=[r.code]) for r in corp.values() if hasattr(r, "level")]
        + [reverse("results:result", args=["XSEC-IO"])],
        "results:result_create": [reverse("results:result_create", args=[fw]) + "?parent=XCORP-OUT"],
        "results:result_edit": [reverse("results:result_edit", args=["XCORP-OUT"])],
        "results:result_move": [reverse("results:result_move", args=["XCORP-ACT"])],
        "results:result_delete": [reverse("results:result_delete", args=["XCORP-ACT"])],
        "results:alignment_map": [reverse("results:alignment_map"),
                                  reverse("results:alignment_map") + f"?left=XSEC&right={fw}"],
        "results:alignment_create": [reverse("results:alignment_create")],
        "results:alignment_edit": [reverse("results:alignment_edit", args=[s["alignment"].pk])],
        "results:alignment_delete": [reverse("results:alignment_delete", args=[s["alignment"].pk])],
        "indicators:list": [reverse("indicators:list"), reverse("indicators:list") + query,
                            reverse("indicators:list") + f"?framework={fw}"],
        "indicators:indicator": code_pages("indicators:indicator"),
        "indicators:indicator_create": [reverse("indicators:indicator_create") + "?result=XCORP-OUT"],
        "indicators:indicator_edit": code_pages("indicators:indicator_edit"),
        "indicators:computation_edit": code_pages("indicators:computation_edit"),
        "indicators:baseline_edit": code_pages("indicators:baseline_edit"),
        "indicators:target_create": code_pages("indicators:target_create"),
        "indicators:target_edit": code_pages("indicators:target_edit", "FY2014")
        + code_pages("indicators:target_edit", "FY2015"),
        "indicators:target_review": code_pages("indicators:target_review", "FY2016"),
        "indicators:measurement": code_pages("indicators:measurement", "FY2014")
        + code_pages("indicators:measurement", "FY2015") + code_pages("indicators:measurement", "FY2016"),
        "indicators:measurement_create": code_pages("indicators:measurement_create"),
        "indicators:measurement_edit": code_pages("indicators:measurement_edit", "FY2014")
        + code_pages("indicators:measurement_edit", "FY2015"),
        "indicators:measurement_review": [],  # POST only: exercised by the form tests
        "indicators:evidence": [reverse("indicators:evidence", args=[m.pk])
                                for m in counted.measurements.exclude(evidence="")],
        "indicators:worklist": [reverse("indicators:worklist"), reverse("indicators:worklist") + "?all=1"],
        "indicators:review_queue": [reverse("indicators:review_queue")],
        "reminders:preferences": [reverse("reminders:preferences")],
        "indicators:proposal": [reverse("indicators:proposal", args=[counted.code, s["proposal"].pk])],
        "scorecard:scorecard": [reverse("scorecard:scorecard"),
                                reverse("scorecard:scorecard") + f"?framework={fw}&period=FY2014",
                                reverse("scorecard:scorecard") + f"?framework={fw}&period=FY2015&line=XSS",
                                reverse("scorecard:scorecard") + "?framework=XSEC"],
        "scorecard:export": [reverse("scorecard:export", args=[f]) + f"?framework={fw}&period=FY2014"
                             for f in ("csv", "xlsx")],
        "scorecard:editions": [reverse("scorecard:editions"), reverse("scorecard:editions") + f"?framework={fw}"],
        "scorecard:edition_publish": [reverse("scorecard:edition_publish") + f"?framework={fw}&period=FY2014"],
        "scorecard:edition_compare": [reverse("scorecard:edition_compare"),
                                      reverse("scorecard:edition_compare") + f"?a={first.pk}&b={second.pk}"],
        "scorecard:edition": [reverse("scorecard:edition", args=[e.pk]) for e in (first, second)],
        "scorecard:edition_export": [reverse("scorecard:edition_export", args=[first.pk, f]) for f in ("csv", "xlsx")],
        "scorecard:overtime": [reverse("scorecard:overtime"), reverse("scorecard:overtime") + f"?framework={fw}&line=XSS",
                               reverse("scorecard:overtime") + "?framework=XSEC"],
        # The PDFs are rendered from the same escaped HTML (WeasyPrint would draw markup, not run it).
        "scorecard:overtime_pdf": [reverse("scorecard:overtime_pdf") + f"?framework={fw}"],
        "scorecard:scorecard_pdf": [reverse("scorecard:scorecard_pdf") + f"?framework={fw}&period=FY2014"],
        "scorecard:edition_pdf": [reverse("scorecard:edition_pdf", args=[e.pk]) for e in (first, second)],
        # Spreadsheet import and export: administrators only (the others get 403).
        "imports:upload": [reverse("imports:upload")],
        "imports:template": [reverse("imports:template", args=[k]) for k in ("indicators", "measurements")],
        "imports:export": [reverse("imports:export", args=[k, f]) for k in ("indicators", "measurements")
                           for f in ("csv", "xlsx")],
        "imports:confirm": [], "imports:cancel": [], "imports:problems": [],  # POST only: below
        "imports:job": [], "imports:job_status": [],  # a large import's pages: tests/spreadsheets/test_jobs.py
        # The REST API answers JSON (and the IATI download XML): fetched here so that every answer is
        # built from the hostile fields; the HTML among them (the documentation pages) is checked.
        **_api_pages(s),
    }


def _api_pages(s) -> dict[str, list[str]]:
    counted, rated = s["counted"], s["rated"]
    fw = s["corp"]["framework"].code
    approved = counted.measurements.get(period__label="FY2014")
    target = counted.targets.get(period__label="FY2014")
    return {
        "api:framework-list": [reverse("api:framework-list")],
        "api:framework-detail": [reverse("api:framework-detail", args=[fw])],
        "api:framework-iati": [reverse("api:framework-iati", args=[fw])],
        "api:result-list": [reverse("api:result-list") + f"?framework={fw}"],
        "api:result-detail": [reverse("api:result-detail", args=["XCORP-OUT"])],
        "api:alignment-list": [reverse("api:alignment-list")],
        "api:alignment-detail": [reverse("api:alignment-detail", args=[s["alignment"].pk])],
        "api:period-list": [reverse("api:period-list")],
        "api:period-detail": [reverse("api:period-detail", args=["FY2014"])],
        "api:indicator-list": [reverse("api:indicator-list")],
        "api:dimension-list": [reverse("api:dimension-list")],
        "api:dimension-detail": [reverse("api:dimension-detail", args=["hostile"])],
        "api:indicator-detail": [reverse("api:indicator-detail", args=[i.code]) for i in (counted, rated)],
        "api:baseline-list": [reverse("api:baseline-list")],
        "api:baseline-detail": [reverse("api:baseline-detail", args=[i.code]) for i in (counted, rated)],
        "api:target-list": [reverse("api:target-list")],
        "api:target-detail": [reverse("api:target-detail", args=[target.pk])],
        "api:measurement-list": [reverse("api:measurement-list")],
        "api:measurement-detail": [reverse("api:measurement-detail", args=[approved.pk])],
        "api:measurement-submit": [], "api:measurement-approve": [],  # POST only: tests/api
        "api:measurement-return-for-revision": [],
        "api:scorecard": [reverse("api:scorecard") + f"?framework={fw}&period=FY2014"],
        "api:edition-list": [reverse("api:edition-list")],
        "api:edition-detail": [reverse("api:edition-detail", args=[e.pk]) for e in s["editions"]],
        "api:schema": [reverse("api:schema")],
        "api:docs": [reverse("api:docs")],
        "api:redoc": [reverse("api:redoc")],
        "api:not_found": [],  # any other address under /api/v1/: a JSON 404, tests/api
    }


ADMIN_ONLY = {"imports:upload", "imports:template", "imports:export"}


# The language menu (set_language) is anyone's, the login page's too; its hostile input (a language
# that is not offered) is checked in tests/citiesalliance/test_i18n.py.
AUTH_VIEWS = {"login", "logout", "password_change", "password_change_done", "password_reset",
              "password_reset_done", "password_reset_confirm", "password_reset_complete", "set_language"}
PUBLIC = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
          "set_language"}


def site_url_names() -> set[str]:
    """Every named URL of the site, outside the admin."""
    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "admin":
                    walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_page_is_visited(hostile):
    missing = site_url_names() - AUTH_VIEWS - set(site_pages(hostile))
    assert not missing, f"Add these pages to site_pages() in this test: {sorted(missing)}"


ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _get_all(client, pages, *, allowed_statuses, role):
    """GET every page; returns (pages fetched, HTML pages that show the payload as text)."""
    seen, shown = 0, 0
    for name, urls in pages.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code in allowed_statuses(name), f"{role} GET {url}: {response.status_code}"
            content_type = response.get("Content-Type", "")
            if response.status_code == 200 and "html" in content_type:
                assert_escaped(response, f"{role} GET {url}")
                shown += ESCAPED in response.content.decode()
            elif response.status_code == 200 and response.streaming:
                b"".join(response.streaming_content)  # read to the end, as a browser would (closes it)
            seen += 1
    return seen, shown


def test_manager_pages_escape_every_field(client, hostile):
    pages = site_pages(hostile)
    client.force_login(hostile["manager"])
    # The manager may open every page but the administrators' imports (the delete page of a result
    # with indicators still renders).
    seen, shown = _get_all(client, pages, allowed_statuses=lambda name: {403} if name in ADMIN_ONLY else {200},
                           role="manager")
    assert seen >= 60
    assert shown >= 45  # the payload did reach the pages: as text


def test_committee_pages_escape_every_field(client, hostile):
    pages = site_pages(hostile)
    writes = {n for n in pages if n.split(":")[-1].endswith(("_create", "_edit", "_move", "_delete", "_review",
                                                              "_publish")) or n == "indicators:worklist"}
    writes.add("indicators:review_queue")
    writes |= ADMIN_ONLY
    client.force_login(make_committee(hostile))
    seen, shown = _get_all(client, pages, allowed_statuses=lambda name: {403} if name in writes else {200},
                           role="committee")
    assert shown >= 25


def make_committee(hostile):
    from django.contrib.auth.models import Group
    user = get_user_model().objects.create_user("x-committee", password="pw-for-tests", first_name=SCRIPT[:150],
                                                last_name=ATTRIBUTE)
    user.groups.add(Group.objects.get(name=roles.COMMITTEE))
    return user


def test_officer_sees_returned_work_escaped(client, hostile):
    """The officer's worklist and the forms showing a reviewer's note (as a returned item) escape it."""
    client.force_login(hostile["officer"])
    for url in (reverse("indicators:worklist"),
                reverse("indicators:measurement_edit", args=["X-COUNT", "FY2015"]),
                reverse("indicators:target_edit", args=["X-COUNT", "FY2015"]),
                reverse("indicators:indicator", args=["X-COUNT"])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response, url)
        assert ESCAPED in response.content.decode(), url  # shown, as text


def test_forms_redisplay_hostile_input_escaped(client, hostile):
    """A refused form shows what was typed, escaped, with the message."""
    client.force_login(hostile["manager"])
    posts = [
        (reverse("results:result_create", args=["XCORP"]),
         {"code": HOSTILE, "statement": HOSTILE, "level": "4", "order": "0", "parent": "", "description": HOSTILE}),
        (reverse("results:alignment_create"), {"source": HOSTILE, "target": "", "note": HOSTILE, "relation": HOSTILE}),
        (reverse("indicators:indicator_create"), {"code": HOSTILE, "name": HOSTILE, "unit": HOSTILE}),
        (reverse("indicators:baseline_edit", args=["X-COUNT"]),
         {"value": HOSTILE[:40], "period": HOSTILE, "source": HOSTILE, "status": "collected", "version": "1"}),
        (reverse("indicators:target_create", args=["X-COUNT"]),
         {"period": HOSTILE, "value": HOSTILE[:40], "rationale": HOSTILE, "version": "0"}),
        (reverse("indicators:measurement_create", args=["X-COUNT"]),
         {"period": "FY2017", "value": HOSTILE[:40], "comment": HOSTILE, "evidence_url": HOSTILE,
          "version": "0", "action_submit": "1"}),
        (reverse("scorecard:edition_publish"), {"framework": HOSTILE, "period": HOSTILE, "commentary": HOSTILE}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "is-invalid" in body or "alert-danger" in body or "invalid-feedback" in body, url
        assert_escaped(response, f"POST {url}")


def test_import_pages_escape_every_field(client, hostile):
    """The administrator's import pages, and a preview of a file full of hostile text, escape it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(hostile["superuser"])
    pages = {name: urls for name, urls in site_pages(hostile).items() if name.startswith("imports:")}
    seen, _ = _get_all(client, pages, allowed_statuses=lambda name: {200}, role="administrator")
    assert seen >= 7
    csv = ("Indicator code,Period,Value,Evidence link,Comment\n"
           f'"{HOSTILE}",FY2015,"{HOSTILE[:30]}",{HOSTILE[:20]},"{HOSTILE}"\n'
           f'X-COUNT,"{HOSTILE}",12,https://example.org/e,"{HOSTILE}"\n').encode()
    upload = SimpleUploadedFile(f"{SCRIPT[:20]}.csv", csv, content_type="text/csv")
    response = client.post(reverse("imports:upload"), {"file": upload, "kind": "measurements"})
    assert response.status_code == 200
    assert "Nothing will be imported" in response.content.decode()
    assert_escaped(response, "import preview")
    assert ESCAPED in response.content.decode() or "&lt;script&gt;" in response.content.decode()


def test_admin_pages_escape_every_field(client, hostile):
    from django.contrib import admin

    client.force_login(hostile["superuser"])
    seen = 0
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
        obj = model.objects.order_by("-pk").first()
        if obj is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
            if hasattr(model, "history") and hasattr(model_admin, "history_view"):
                urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk]))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"GET {url}: {response.status_code}"
            assert_escaped(response, f"GET {url}")
            seen += 1
    assert seen >= 20


def test_exports_are_attachments_never_html(client, hostile):
    """CSV and XLSX carry the text as data, as downloads: a browser never renders them as a page."""
    client.force_login(hostile["manager"])
    for urls in (site_pages(hostile)["scorecard:export"], site_pages(hostile)["scorecard:edition_export"]):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "html" not in response["Content-Type"], url
            assert response["Content-Disposition"].startswith("attachment;"), url
            assert response["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------------------------------------
# every URL needs a login


def _sample_kwargs(pattern, s) -> dict:
    """Real arguments for a URL pattern's converters, from the hostile scenario's objects."""
    values = {"code": s["counted"].code, "pk": s["alignment"].pk, "period": "FY2014", "fmt": "csv",
              "label": "FY2014", "indicator": s["counted"].code, "id": "1"}
    converters = getattr(pattern.pattern, "converters", {})
    names = list(converters) or list(pattern.pattern.regex.groupindex)
    uuid_sample = "00000000-0000-4000-8000-000000000000"  # a large import's job
    return {name: uuid_sample if type(converters.get(name)).__name__ == "UUIDConverter" else values.get(name, "1")
            for name in names}


def all_patterns():
    """(name or route, pattern, namespace) of every URL of the project, the admin's included."""
    found = []

    def walk(patterns, namespace, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace, prefix + [p])
            elif isinstance(p, URLPattern):
                found.append((prefix, p, namespace))

    walk(get_resolver().url_patterns, None, [])
    return found


def test_every_url_but_the_login_pages_needs_a_login(client, hostile):
    """Walk every URL pattern (the admin's too), fill in real arguments, and ask as nobody."""
    from django.urls import NoReverseMatch

    checked = 0
    for prefix, pattern, namespace in all_patterns():
        if pattern.name in PUBLIC and namespace is None:
            continue
        if pattern.name is None:
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        kwargs = _sample_kwargs(pattern, hostile)
        for resolver in prefix:
            kwargs.update(_sample_kwargs(resolver, hostile))
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            if namespace == "api":
                continue  # the catch-all JSON 404 (tests/api/test_hostile.py)
            if namespace == "admin":
                try:  # admin routes take object ids and app labels
                    url = reverse(name, kwargs={k: ("indicators" if k == "app_label" else
                                                    "indicator" if k == "model_name" else "1") for k in kwargs})
                except NoReverseMatch:
                    continue
            else:
                raise
        for method in (client.get, client.post):
            response = method(url)
            if namespace == "api" and name not in ("api:docs", "api:redoc"):
                # The REST API authenticates itself (token or session): 401 in JSON, never data (an
                # address it does not have is a JSON 404 for everyone).
                expected = 404 if name == "api:not_found" else 401
                assert response.status_code == expected, f"{name} {url}: {response.status_code}"
                assert "json" in response["Content-Type"] or "openapi" in response["Content-Type"], name
            elif namespace == "admin":
                # The admin has its own login page; it never shows anything to a stranger.
                assert response.status_code in (302, 404, 405) or response.status_code == 200 and \
                    name in ("admin:login",), f"{name} {url}: {response.status_code}"
                if response.status_code == 302:
                    assert "login" in response.url, f"{name} {url} -> {response.url}"
            elif name == "logout" and method == client.post:
                assert response.status_code == 302 and "/login/" in response.url
            else:
                assert response.status_code == 302, f"{name} {url}: {response.status_code}"
                assert response.url.startswith(reverse("login")), f"{name} {url} -> {response.url}"
            checked += 1
    assert checked >= 70


def test_the_login_pages_are_public(client, db, settings):
    settings.EMAIL_CONFIGURED = True  # the reset pages exist only where mail is set up (EMAIL_URL)
    for name in ("login", "password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200, name
