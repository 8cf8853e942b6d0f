"""indicators 0004: approved targets get their approved figures; others get none."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The results app as it was then too (its 0003 adds a column the old models do not know).
BEFORE = [("indicators", "0003_review_and_value_constraints"), ("results", "0002_roles")]
AFTER = [("indicators", "0004_target_approved_figures"), ("results", "0002_roles")]


@pytest.mark.django_db(transaction=True)
def test_approved_targets_keep_their_figures_as_approved_ones():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    try:
        framework = old.get_model("results", "ResultsFramework").objects.create(
            code="MIG", name="Migration chain", kind="corporate", first_fiscal_year=2013, last_fiscal_year=2020)
        Result = old.get_model("results", "Result")
        result = Result.objects.create(framework=framework, level=1, code="MIG-IMP", statement="Impact",
                                       lft=1, rght=2, tree_id=999, mptt_level=0)
        Indicator = old.get_model("indicators", "Indicator")
        number = Indicator.objects.create(result=result, code="MIG-N", name="N")
        rated = Indicator.objects.create(result=result, code="MIG-R", name="R", kind="qualitative",
                                         measure="rating")
        Period = old.get_model("indicators", "ReportingPeriod")
        fy15 = Period.objects.create(label="FY2015", kind="year", fiscal_year=2015, number=0,
                                     start="2014-07-01", end="2015-06-30")
        fy16 = Period.objects.create(label="FY2016", kind="year", fiscal_year=2016, number=0,
                                     start="2015-07-01", end="2016-06-30")
        Target = old.get_model("indicators", "Target")
        when = "2015-08-01T00:00:00Z"
        Target.objects.create(indicator=number, period=fy15, measure="number", value=40, status="approved",
                              approved_at=when)
        Target.objects.create(indicator=number, period=fy16, measure="number", value=50, status="preliminary")
        Target.objects.create(indicator=rated, period=fy15, measure="rating", rating="on_track",
                              status="approved", approved_at=when)
        Target.objects.create(indicator=rated, period=fy16, measure="rating", rating="off_track",
                              status="returned", approved_at=when)  # a stray time, cleared

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("indicators", "Target")
        rows = {(t.indicator.code, t.period.label): (t.approved_value, t.approved_rating, t.approved_at is not None)
                for t in new.objects.select_related("indicator", "period")}
        assert rows == {("MIG-N", "FY2015"): (40, "", True), ("MIG-N", "FY2016"): (None, "", False),
                        ("MIG-R", "FY2015"): (None, "on_track", True), ("MIG-R", "FY2016"): (None, "", False)}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
