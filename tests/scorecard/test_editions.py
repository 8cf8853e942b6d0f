"""Editions: publication rights, immutability after corrections, comparison, read-only admin."""
import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Measurement, ReportingPeriod
from scorecard import services
from scorecard.models import Edition

from .pages import page_rows

PUBLISH = reverse("scorecard:edition_publish")


def _post(client, **data):
    payload = {"framework": "SC", "period": "FY2016", "business_line": "",
               "commentary": "Outputs on track; the slum share falls faster than planned."}
    payload.update(data)
    return client.post(PUBLISH, payload)


def _correct_inc(scorecard_data, value=Decimal(25)):
    """A later correction: the FY2016 revision of INC is approved at 25."""
    Measurement.objects.filter(indicator=scorecard_data["inc"], period__label="FY2016").update(
        value=value, approved_value=value, status="approved")


@pytest.mark.parametrize("role", ["officer", "committee"])
def test_only_managers_and_administrators_publish(client, request, role, scorecard_data):
    client.force_login(request.getfixturevalue(role))
    assert client.get(PUBLISH).status_code == 403
    assert _post(client).status_code == 403
    assert not Edition.objects.exists()


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_manager_and_administrator_publish(client, request, role, scorecard_data):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(PUBLISH + "?framework=SC&period=FY2016").status_code == 200
    response = _post(client)
    edition = Edition.objects.get()
    assert response.status_code == 302 and response["Location"] == edition.get_absolute_url()
    assert (edition.framework_name, edition.period_label, edition.published_by) == \
        ("Test corporate chain", "FY2016", user)
    assert edition.standard["default"]["on_track"] == "0.9000"
    assert [o["indicator"] for o in edition.standard["overrides"]] == ["NOBASE"]


def test_commentary_is_required(client, manager, scorecard_data):
    client.force_login(manager)
    response = _post(client, commentary="   ")
    assert response.status_code == 200
    assert "Write the reflect note" in response.content.decode() or "This field is required" in \
        response.content.decode()
    assert not Edition.objects.exists()


def test_period_without_data_is_refused_by_the_service(manager, scorecard_data):
    empty = ReportingPeriod.objects.create(label="FY2013", kind="year", fiscal_year=2013, number=0,
                                           start="2012-07-01", end="2013-06-30")
    with pytest.raises(ValidationError) as info:
        services.edition_publish(framework=scorecard_data["framework"], period=empty, commentary="x",
                                 published_by=manager)
    assert "no targets or approved figures for FY2013" in str(info.value)


def test_published_edition_is_unchanged_after_a_correction(client, manager, committee, scorecard_data):
    client.force_login(manager)
    _post(client)
    edition = Edition.objects.get()
    client.force_login(committee)
    before = client.get(edition.get_absolute_url()).content.decode()
    assert page_rows(before)["INC"]["progress"] == "67%"
    assert "slum share falls faster" in before  # the manager's reflect note

    _correct_inc(scorecard_data)
    live = page_rows(client.get(reverse("scorecard:scorecard")).content.decode())
    assert (live["INC"]["actual"], live["INC"]["progress"], live["INC"]["status"]) == ("25", "100%", "On track")

    after = client.get(edition.get_absolute_url()).content.decode()
    assert page_rows(after) == page_rows(before)
    frozen = page_rows(after)["INC"]
    assert (frozen["actual"], frozen["progress"], frozen["status"]) == ("20", "67%", "Needs attention")
    rows = list(csv.reader(io.StringIO(client.get(
        reverse("scorecard:edition_export", args=[edition.pk, "csv"])).content.decode("utf-8-sig"))))
    assert [r for r in rows if r[2] == "INC"][0][13:15] == ["67%", "Needs attention"]


def test_comparison_shows_what_moved(client, manager, scorecard_data):
    client.force_login(manager)
    _post(client)
    _correct_inc(scorecard_data)
    scorecard_data["fut"].delete()  # an indicator dropped
    _post(client, commentary="After the FY2016 correction.")
    older, newer = Edition.objects.order_by("pk")
    response = client.get(reverse("scorecard:edition_compare"), {"a": newer.pk, "b": older.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 status change (1 better, 0 worse), 0 indicators added, 1 removed" in html
    changed = html[html.index('id="cmp-changed"'):]
    row = changed[changed.index('data-code="INC"'):changed.index("</tr>", changed.index('data-code="INC"'))]
    assert "67% → 100%" in row and "+33 pp" in row and "Needs attention" in row and "On track" in row
    assert "FUT" in html[html.index('id="cmp-removed"'):]


def test_edition_list_and_no_edit_or_delete(client, manager, scorecard_data):
    client.force_login(manager)
    _post(client)
    edition = Edition.objects.get()
    html = client.get(reverse("scorecard:editions")).content.decode()
    assert f"Edition {edition.pk}" in html and "FY2016" in html
    assert not manager.has_perm("scorecard.change_edition") and not manager.has_perm("scorecard.delete_edition")
    from django.contrib import admin
    model_admin = admin.site._registry[Edition]
    assert not model_admin.has_change_permission(None, edition)
    assert not model_admin.has_delete_permission(None, edition)
    assert not model_admin.has_add_permission(None)


def test_edition_page_reads_no_live_figures(client, manager, scorecard_data, django_assert_max_num_queries):
    client.force_login(manager)
    _post(client)
    edition = Edition.objects.get()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicators.selectors import waiting_counts

    manager.has_perm("indicators.change_measurement")  # permissions loaded: counted in the 8 below
    with CaptureQueriesContext(connection) as nav:  # the navigation bar's counts (worklist, review queue)
        waiting_counts(user=manager)
    # session, user, permissions, the edition: no indicator tables but the navigation bar's counts
    with django_assert_max_num_queries(8 + len(nav.captured_queries)):
        client.get(edition.get_absolute_url())


def test_publishing_twice_makes_one_edition(client, manager, scorecard_data):
    """A double click, or the same form sent from two tabs: one edition, and the second says so."""
    client.force_login(manager)
    first = _post(client)
    second = client.post(PUBLISH, {"framework": "SC", "period": "FY2016", "business_line": "", "commentary":
                                   "Outputs on track; the slum share falls faster than planned."}, follow=True)
    assert first.status_code == 302 and Edition.objects.count() == 1
    assert "already published as edition" in second.content.decode()
    # Another commentary is another edition.
    _post(client, commentary="A different reflect note.")
    assert Edition.objects.count() == 2


def test_a_second_publication_racing_the_first_finds_it(manager, scorecard_data, monkeypatch):
    """Both requests pass the look-up before either commits: the unique fingerprint decides."""
    framework, period = scorecard_data["framework"], ReportingPeriod.objects.get(label="FY2016")
    first = services.edition_publish(framework=framework, period=period, commentary="Reflect.",
                                     published_by=manager)
    real_filter = Edition.objects.filter
    calls = []

    def blind_first_lookup(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            return Edition.objects.none()  # the race: the first edition is not yet visible
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Edition.objects, "filter", blind_first_lookup)
    again = services.edition_publish(framework=framework, period=period, commentary="Reflect.",
                                     published_by=manager)
    assert (again.pk, again.created, Edition.objects.count()) == (first.pk, False, 1)
