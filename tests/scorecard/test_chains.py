"""Status on the chains: the results tree and the alignment map show each result's score and status
for a chosen period (default: the latest with approved figures), exactly as the scorecard does."""
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecard.selectors import scorecard_build

TREE = reverse("results:framework", args=["SC"])
MAP = reverse("results:alignment_map")
STATUS = re.compile(r'<a class="fw-semibold ms-1" href="[^"]+">(?P<code>[^<]+)</a>\s*'
                    r'<span class="chain-status" data-status="(?P<status>[^"]+)">(?P<inner>.*?)'
                    r'<span class="visually-hidden"> in (?P<period>[^<]+)</span>', re.S)


def tree_statuses(html):
    found = {}
    for match in STATUS.finditer(html):
        words = re.sub(r"<[^>]+>", " ", match["inner"])
        found[match["code"]] = (match["status"], " ".join(words.split()), match["period"])
    return found


def scorecard_statuses(period):
    card = scorecard_build(framework_code="SC", period_label=period)
    shown = {}
    for section in card.sections:
        for block in section["results"]:
            rollup = block["rollup"]
            if rollup is None:
                shown[block["code"]] = ("no_indicators", "no indicators")
            elif not rollup["score"]:
                shown[block["code"]] = ("unscored", f"not scored: {rollup['counts_text']}")
            else:
                shown[block["code"]] = (rollup["status"], f"{rollup['score']} {rollup['status_label']}")
    return shown


@pytest.mark.parametrize("period", [None, "FY2015", "FY2016", "FY2017"])
def test_tree_shows_each_results_status_as_the_scorecard_does(scorecard_data, client, committee, period):
    client.force_login(committee)
    html = client.get(TREE, {"period": period} if period else {}).content.decode()
    shown = tree_statuses(html)
    expected_period = period or "FY2016"  # the latest period with approved figures
    assert {code: (status, words) for code, (status, words, _) in shown.items()} == scorecard_statuses(expected_period)
    assert {p for _, _, p in shown.values()} == {expected_period}
    assert f'<option value="{expected_period}" selected>' in html


def test_tree_status_by_hand(scorecard_data, client, committee):
    client.force_login(committee)
    shown = tree_statuses(client.get(TREE, {"period": "FY2016"}).content.decode())
    # SC-OC: INC 67% and DEC 90%, weight 1 each: 78.3%, needs attention under the default 90/60.
    assert shown["SC-OC"][:2] == ("needs_attention", "78% Needs attention")
    assert shown["SC-IMP"][:2] == ("no_indicators", "no indicators")
    # SC-OUT-2: NODATA has no approved figure, NOBASE 75% of 200, FUT and PRELIM not due: 75%.
    assert shown["SC-OUT-2"][:2] == ("needs_attention", "75% Needs attention")


def test_alignment_map_shows_both_chains_at_one_period(scorecard_data, client, committee):
    client.force_login(committee)
    html = client.get(MAP, {"left": "SC", "right": "SSC", "period": "FY2016"}).content.decode()
    box = html[html.index("<strong>SSC-OUT-1</strong>"):]
    box = box[:box.index("</div></div>")]
    assert "100%" in box and '<span class="st st-on_track">On track</span>' in box  # SINC: 10 of 10
    box = html[html.index("<strong>SC-OUT-1</strong>"):]
    box = box[:box.index("</div></div>")]
    assert scorecard_statuses("FY2016")["SC-OUT-1"][1].split()[0] in box
    assert 'name="left" value="SC"' in html and 'name="right" value="SSC"' in html  # kept by the period menu
    assert '<option value="FY2016" selected>' in html


def generate(code, indicators, periods):
    call_command("generate_organisation", indicators=indicators, periods=periods, code=code,
                 name=f"Synthetic {code}", stdout=io.StringIO())


def test_tree_query_count_does_not_grow(db, client, committee, django_assert_num_queries):
    generate("SMALL", 16, 3)
    generate("LARGE", 120, 8)
    client.force_login(committee)
    small_url = reverse("results:framework", args=["SMALL"])
    client.get(small_url)
    with CaptureQueriesContext(connection) as small:
        response = client.get(small_url)
    assert response.content.count(b'class="chain-status"') > 5
    with django_assert_num_queries(len(small)):
        response = client.get(reverse("results:framework", args=["LARGE"]))
    assert response.content.count(b'class="chain-status"') > 20
