"""Reporting periods are reference data: made by the system, on the calendar, and not edited.

The review relabelled FY2015 as FY2021 and moved its end to 2099 in the admin, and FY2015's
approved figures then exported as FY2021. Each path is tried: the admin (as the Administrator and
as a superuser, by the form and by a forged POST), model validation, and the database itself.
"""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from indicators import services
from indicators.models import ReportingPeriod
from indicators.periods import HALF, PERIOD_NUMBERS, QUARTER, YEAR, PeriodSpec, check_period


def fields_of(spec: PeriodSpec) -> dict:
    return {"label": spec.label, "kind": spec.kind, "fiscal_year": spec.fiscal_year, "number": spec.number,
            "start": spec.start, "end": spec.end, "parent_label": spec.parent.label if spec.parent else None}


specs = st.sampled_from([(k, n) for k, ns in PERIOD_NUMBERS.items() for n in ns]).flatmap(
    lambda kn: st.builds(PeriodSpec, st.just(kn[0]), st.integers(1990, 2100), st.just(kn[1])))


# --- the pure check ----------------------------------------------------------------------------------


@given(specs)
def test_every_calendar_period_passes_the_check(spec):
    assert check_period(**fields_of(spec)) == {}


@given(specs, st.sampled_from(["label", "start", "end", "parent_label"]), st.integers(1, 3000))
def test_any_field_moved_off_the_calendar_is_named(spec, field, shift):
    wrong = fields_of(spec)
    if field == "label":
        wrong["label"] = PeriodSpec(spec.kind, spec.fiscal_year + 1 + shift % 50, spec.number).label
    elif field == "parent_label":
        wrong["parent_label"] = "FY1999" if spec.parent is None or spec.parent.label != "FY1999" else None
    else:
        wrong[field] = date.fromordinal(wrong[field].toordinal() + shift)
    problems = check_period(**wrong)
    assert set(problems) == {"parent" if field == "parent_label" else field}


def test_the_reviews_period_is_refused_with_reasons():
    problems = check_period(label="FY2021", kind=YEAR, fiscal_year=2015, number=0, start=date(2014, 7, 1),
                            end=date(2099, 6, 30), parent_label=None)
    assert problems == {"label": "Fiscal year 2015 is labelled FY2015, not FY2021.",
                        "end": "FY2015 ends on 30 June 2015, not 2099-06-30."}
    assert check_period(label="FY2015-Q5", kind=QUARTER, fiscal_year=2015, number=5, start=None, end=None,
                        parent_label=None) == {"number": "A quarter is numbered 1, 2, 3, 4, not 5."}


def test_the_reasons_read_in_the_readers_language():
    with translation.override("fr"):
        problems = check_period(label="FY2015-Q1", kind=QUARTER, fiscal_year=2015, number=1,
                                start=date(2014, 7, 1), end=date(2014, 9, 29), parent_label="FY2015")
        fifth = check_period(label="FY2015-Q5", kind=QUARTER, fiscal_year=2015, number=5, start=None, end=None,
                             parent_label=None)
    assert problems == {"end": "FY2015-Q1 se termine le 30 septembre 2014, pas le 2014-09-29.",
                        "parent": "FY2015-Q1 se situe dans FY2015-H1, pas dans FY2015."}
    assert fifth == {"number": "Un trimestre est numéroté 1, 2, 3, 4, pas 5."}


# --- the model and the database ----------------------------------------------------------------------


@pytest.fixture
def fy2015(db):
    return services.period_get_or_create(label="FY2015")


def test_model_validation_refuses_the_reviews_edit(fy2015):
    fy2015.label, fy2015.end = "FY2021", date(2099, 6, 30)
    with pytest.raises(ValidationError) as info:
        fy2015.full_clean()
    assert set(info.value.message_dict) == {"label", "end"}


def test_a_period_with_figures_cannot_be_edited(make_indicator, officer):
    indicator = make_indicator()
    services.target_set(indicator=indicator, period="FY2015", by=officer, value="5")
    period = ReportingPeriod.objects.get(label="FY2015")
    assert period.has_figures()
    # Even a change that is itself on the calendar (FY2015 becoming FY2016) would re-date the figures.
    period.label, period.fiscal_year = "FY2016", 2016
    period.start, period.end = date(2015, 7, 1), date(2016, 6, 30)
    with pytest.raises(ValidationError, match="FY2015 has figures"):
        period.full_clean()


def test_a_half_needs_its_year_as_parent(db):
    h1 = services.period_get_or_create(label="FY2015-H1")
    assert h1.parent.label == "FY2015"
    h1.parent = services.period_get_or_create(label="FY2016")
    with pytest.raises(ValidationError) as info:
        h1.full_clean()
    assert info.value.message_dict == {"parent": ["FY2015-H1 lies inside FY2015, not FY2016."]}


@pytest.mark.parametrize("change", [
    {"label": "FY2021"},                                         # the review's relabel
    {"end": date(2099, 6, 30)},                                  # the review's end date
    {"start": date(2014, 8, 1)},
    {"fiscal_year": 2016},                                       # dates and label left behind
    {"label": "FY2015-H1"},
])
def test_the_database_refuses_a_period_off_the_calendar(fy2015, change):
    """A bulk update, a shell or raw SQL skips validation: the constraints still hold."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.filter(pk=fy2015.pk).update(**change)
    fy2015.refresh_from_db()
    assert (fy2015.label, fy2015.end) == ("FY2015", date(2015, 6, 30))


def test_the_database_refuses_a_half_without_its_year(db):
    spec = PeriodSpec(HALF, 2015, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(label=spec.label, kind=HALF, fiscal_year=2015, number=2,
                                       start=spec.start, end=spec.end)


def test_the_system_still_makes_every_kind_of_period(db):
    for label in ("FY2014", "FY2014-H2", "FY2014-Q1", "FY2014-Q3", "FY2014-Q4"):
        period = services.period_get_or_create(label=label)
        period.full_clean()
        assert period.label == label


# --- the admin ---------------------------------------------------------------------------------------


@pytest.fixture(params=["administrator", "superuser"])
def admin_client(request, administrator, make_user):
    user = administrator if request.param == "administrator" else make_user(
        username="root", is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_the_admin_shows_periods_read_only(admin_client, fy2015):
    change = reverse("admin:indicators_reportingperiod_change", args=[fy2015.pk])
    assert admin_client.get(reverse("admin:indicators_reportingperiod_changelist")).status_code == 200
    page = admin_client.get(change)
    assert page.status_code == 200 and 'name="label"' not in page.content.decode()
    forged = {"label": "FY2021", "kind": "year", "fiscal_year": "2015", "number": "0", "start": "2014-07-01",
              "end": "2099-06-30"}
    assert admin_client.post(change, forged).status_code == 403
    assert admin_client.post(reverse("admin:indicators_reportingperiod_add"), forged).status_code == 403
    delete = reverse("admin:indicators_reportingperiod_delete", args=[fy2015.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    fy2015.refresh_from_db()
    assert (fy2015.label, fy2015.end) == ("FY2015", date(2015, 6, 30))


# --- periods stored before the constraints -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_puts_edited_periods_back_on_the_calendar():
    executor = MigrationExecutor(connection)
    # Found by name, so a renumbering at merge does not break the test.
    names = {name: key for key in executor.loader.disk_migrations if key[0] == "indicators"
             for name in ("_repair_periods", "_periods_fit_the_calendar") if key[1].endswith(name)}
    repair = executor.loader.disk_migrations[names["_repair_periods"]]
    before = [dep for dep in repair.dependencies if dep[0] == "indicators"]
    after = [names["_periods_fit_the_calendar"]]
    executor.migrate(before)
    Period = executor.loader.project_state(before).apps.get_model("indicators", "ReportingPeriod")
    try:
        Period.objects.create(label="FY2021", kind="year", fiscal_year=2015, number=0,  # the review's edit
                              start="2014-07-01", end="2099-06-30")
        Period.objects.create(label="FY2015", kind="year", fiscal_year=2021, number=0,  # swapped labels
                              start="2020-07-01", end="2021-06-30")
        Period.objects.create(label="FY2016-Q3", kind="quarter", fiscal_year=2016, number=3,  # no parent
                              start="2016-01-01", end="2016-03-31")
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        rows = {(p.kind, p.fiscal_year, p.number): (p.label, str(p.end), p.parent.label if p.parent else None)
                for p in ReportingPeriod.objects.select_related("parent")}
        assert rows == {("year", 2015, 0): ("FY2015", "2015-06-30", None),
                        ("year", 2021, 0): ("FY2021", "2021-06-30", None),
                        ("year", 2016, 0): ("FY2016", "2016-06-30", None),
                        ("half", 2016, 2): ("FY2016-H2", "2016-06-30", "FY2016"),
                        ("quarter", 2016, 3): ("FY2016-Q3", "2016-03-31", "FY2016-H2")}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
