"""The scorecard over time: every cell agrees with that period's scorecard, the last column is the
progress towards each indicator's final target (worked out by hand), and the query count does not
grow with results, indicators or periods."""
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.services import period_get_or_create
from scorecard.overtime import overtime_build
from scorecard.selectors import scorecard_build

from .builders import D, target

URL = reverse("scorecard:overtime")
QUERIES = 11  # as scorecard_build minus the targets awaiting approval: frameworks, business lines, periods,
#               alignments, results, indicators, baselines, approved targets, approved measurements, standards,
#               the computations of computed indicators (issue 18)


def assert_agrees_with_every_scorecard(framework_code, line=None):
    view = overtime_build(framework_code=framework_code, business_line_code=line)
    assert view.columns, "nothing to compare"
    compared = 0
    for n, column in enumerate(view.columns):
        card = scorecard_build(framework_code=framework_code, period_label=column.label, business_line_code=line)
        assert card.period.label == column.label
        rows = {row["code"]: row for row in card.rows}
        lines = {line.code: line for line in view.indicator_lines}
        assert set(lines) == set(rows), column.label
        for code, row in rows.items():
            cell = lines[code].cells[n]
            assert (cell.progress_raw, cell.status, cell.progress, cell.status_label) == \
                (row["progress_raw"], row["status"], row["progress"], row["status_label"]), (code, column.label)
            compared += 1
        blocks = {block["code"]: block for section in card.sections for block in section["results"]}
        results = {result.code: result for section in view.sections for result in section.results}
        assert set(blocks) == set(results)
        for code, block in blocks.items():
            shown = results[code].cells[n]
            expected = block["rollup"]
            assert (shown and (shown["score_raw"], shown["status"], shown["counts"])) == \
                (expected and (expected["score_raw"], expected["status"], expected["counts"])), (code, column.label)
        levels = {section.level: section for section in view.sections}
        for section in card.sections:
            shown, expected = levels[section["level"]].cells[n], section["rollup"]
            assert (shown["score_raw"], shown["status"], shown["counts"]) == \
                (expected["score_raw"], expected["status"], expected["counts"])
        framework = view.framework_cells[n]
        assert (framework["score"], framework["status"]) == (card.summary["score"], card.summary["status"])
    return compared


def test_every_cell_agrees_with_that_periods_scorecard(scorecard_data):
    assert [c.label for c in overtime_build(framework_code="SC").columns] == ["FY2014", "FY2015", "FY2016", "FY2017"]
    assert assert_agrees_with_every_scorecard("SC") == 4 * 10
    assert assert_agrees_with_every_scorecard("SC", line="CP") == 4 * 2


def test_agrees_on_a_synthetic_organisation_of_every_kind(db):
    call_command("generate_organisation", indicators=40, periods=5, code="SYN", name="Synthetic SYN",
                 stdout=io.StringIO())
    assert assert_agrees_with_every_scorecard("SYN") == 40 * 5


def test_final_target_column_worked_out_by_hand(scorecard_data):
    lines = {line.code: line for line in overtime_build(framework_code="SC").indicator_lines}
    # INC: baseline 10, last approved target 25 (FY2016), latest approved actual 20: (20 - 10) / (25 - 10).
    assert (lines["INC"].final.progress, lines["INC"].final.target) == ("67%", "25 by FY2016")
    # CUM: baseline 5 (FY2014 already in it), 4 + 6 since: 15 against 17 by FY2016: 10 / 12.
    assert (lines["CUM"].final.actual, lines["CUM"].final.progress) == ("15", "83%")
    # DEC falls from 40% towards 20%: at 22% it has come (22 - 40) / (20 - 40) = 90% of the way.
    assert lines["DEC"].final.progress == "90%"
    # FUT: due in FY2017 only and never measured: a target, no progress yet.
    assert (lines["FUT"].final.progress, lines["FUT"].final.target) == ("", "10 by FY2017")
    # PRELIM's only target was never approved: there is no final target.
    assert lines["PRELIM"].final.target == ""


def test_page_shows_words_colours_progress_and_links_to_each_period(scorecard_data, client, committee):
    client.force_login(committee)
    html = client.get(URL, {"framework": "SC"}).content.decode()
    row = html[html.index('<tr data-code="INC">'):]
    row = row[:row.index("</tr>")]
    fy2016 = reverse("scorecard:scorecard") + "?framework=SC&amp;period=FY2016"
    assert f'<a href="{fy2016}"><span class="v">67%</span><span class="st st-needs_attention">Needs attention</span>' \
        in row
    assert '<span class="st st-not_due">Not due</span>' in row  # FY2014: INC had no target
    assert "of 25 by FY2016" in row and "<svg" in row
    assert 'id="overtime"' in html and "Whole framework" in html
    assert "Illustrative figures" not in html


def test_halves_and_quarters_on_request(scorecard_data, client, committee):
    period_get_or_create(label="FY2016-H1")  # a half, inside its fiscal year
    target(scorecard_data["inc"], "FY2016-H1", D(22))
    view = overtime_build(framework_code="SC")
    assert view.has_other_kinds and "FY2016-H1" not in [c.label for c in view.columns]
    everything = overtime_build(framework_code="SC", kinds="all")
    assert [c.label for c in everything.columns] == ["FY2014", "FY2015", "FY2016-H1", "FY2016", "FY2017"]
    assert assert_agrees_with_every_scorecard("SC") == 40
    client.force_login(committee)
    assert 'name="periods"' in client.get(URL, {"framework": "SC"}).content.decode()


def test_unknown_choices_fall_back_with_a_notice(scorecard_data, client, committee):
    client.force_login(committee)
    html = client.get(URL, {"framework": "NOPE", "line": "XX"}).content.decode()
    assert "There is no results framework &#x27;NOPE&#x27;" in html
    assert "There is no business line &#x27;XX&#x27;" in html


def generate(code, indicators, periods):
    call_command("generate_organisation", indicators=indicators, periods=periods, code=code,
                 name=f"Synthetic {code}", stdout=io.StringIO())


@pytest.fixture
def two_sizes(db):
    generate("SMALL", 16, 3)
    generate("LARGE", 120, 8)


def test_selector_query_count_is_constant(two_sizes, django_assert_num_queries):
    for code, indicators, periods in (("SMALL", 16, 3), ("LARGE", 120, 8)):
        with django_assert_num_queries(QUERIES):
            view = overtime_build(framework_code=code)
        assert (len(list(view.indicator_lines)), len(view.columns)) == (indicators, periods)


def test_page_query_count_is_constant(two_sizes, client, committee, django_assert_num_queries):
    client.force_login(committee)
    client.get(URL, {"framework": "SMALL"})
    with CaptureQueriesContext(connection) as small:
        response = client.get(URL, {"framework": "SMALL"})
    assert response.content.count(b"<tr data-code=") == 16
    with django_assert_num_queries(len(small)):
        response = client.get(URL, {"framework": "LARGE"})
    assert response.content.count(b"<tr data-code=") == 120
    with django_assert_num_queries(len(small)):
        client.get(URL, {"framework": "LARGE", "line": "CP"})


def test_the_table_is_in_the_readers_language(scorecard_data, client, committee):
    """The over-time table is written in Python (scorecard.overtime_html): its words are translated too."""
    client.force_login(committee)
    html = client.get(URL, {"framework": "SC"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    row = html[html.index('<tr data-code="INC">'):]
    row = row[:row.index("</tr>")]
    assert "sur 25 d&#x27;ici FY2016" in row or "sur 25 d'ici FY2016" in row
    assert 'title="Réalisé' in row and "Progrès de INC par période" in row
    for english in ("Whole framework", "Result / indicator", "Towards the final target", " by FY2016", "Actual "):
        assert english not in html
    assert "Cadre entier" in html and "Résultat / indicateur" in html
