"""The seeded chains say what the seeds say (../shared/seeds), word for word."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from results.levels import Level
from results.models import Alignment, BusinessLine, Result
from results.selectors import trees_problems

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"

CORPORATE = {
    "CORP-IMP": "Cities are characterized by effective local government, active citizenship, improved health and socio-economic condition of the urban poor.",
    "CORP-OC": "Urban poor effectively using services delivered by Cities.",
    "CORP-IO": "Cities delivering improved and responsive services to the urban poor.",
    "CORP-OUT-1": "National policy frameworks developed/enhanced to address urban development needs.",
    "CORP-OUT-2": "Local inclusive strategies and plans developed and implemented.",
    "CORP-OUT-3": "Capacity of cities to provide improved services to urban poor strengthened.",
    "CORP-OUT-4": "Mechanisms to engage citizens in city/urban governance developed.",
}
SECRETARIAT = {
    "SEC-IMP": "Cities increasingly characterized by effective local government, active citizenship, and an economy growing through greater public and private sector investment and increasing private sector participation.",
    "SEC-OC": "City and national governments applying inclusive and sustainable strategies (policy, financial and development) resulting in improved delivery and use of basic services to the urban poor.",
    "SEC-OUT-1": "Partnerships convened for strategic country, regional and global priorities.",
    "SEC-OUT-2": "Quality Technical Assistance delivered.",
    "SEC-OUT-3": "Cities Alliance knowledge products delivered to targeted audiences.",
    "SEC-OUT-4": "Effective and responsive management of Cities Alliance.",
}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("city -wide", "city-wide"))


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"The seed documents are not at {SEEDS}")
    return " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


@pytest.fixture
def chains(seeded_chains):
    return {r.code: r for r in Result.objects.select_related("framework")}


def test_statements_are_worded_as_in_the_seeds(chains):
    for code, statement in {**CORPORATE, **SECRETARIAT}.items():
        assert chains[code].statement == statement, code


def test_every_statement_word_is_in_the_seeds(chains, seed_text):
    # The slides' multi-column text is interleaved when extracted, so we check each word occurs,
    # and that single-column statements (impacts, outcomes, IOs) occur verbatim.
    seed_words = set(words(seed_text))
    flat_seed = " ".join(words(seed_text))
    for code, result in chains.items():
        missing = [w for w in words(result.statement) if w not in seed_words]
        assert not missing, f"{code}: {missing} not in the seeds"
        if result.level <= Level.OUTCOME:
            assert " ".join(words(result.statement)) in flat_seed, code


def test_secretariat_io_lists_the_three_programmes(chains):
    statement = chains["SEC-IO"].statement
    assert statement.startswith("City and national governments supported by a partnership of Cities Alliance members, designing and implementing:")
    for item in ("City-wide/nation-wide community slum upgrading programmes;",
                 "City Development Strategies; and,", "National urban policy programmes."):
        assert item in statement


def test_shape_of_each_chain(chains):
    for prefix in ("CORP", "SEC"):
        assert chains[f"{prefix}-IMP"].parent is None and chains[f"{prefix}-IMP"].level == Level.IMPACT
        assert chains[f"{prefix}-OC"].parent == chains[f"{prefix}-IMP"]
        assert chains[f"{prefix}-IO"].parent == chains[f"{prefix}-OC"]
        for n in range(1, 5):
            assert chains[f"{prefix}-OUT-{n}"].parent == chains[f"{prefix}-IO"]
            assert chains[f"{prefix}-OUT-{n}"].level == Level.OUTPUT
    assert trees_problems() == []


def test_alignment_edges_from_the_seeds(chains):
    edges = set(Alignment.objects.values_list("source__code", "target__code", "relation"))
    assert ("SEC-IMP", "CORP-IMP", "shares_impact") in edges  # "share the same common Impact"
    assert ("SEC-OC", "CORP-IO", "aligns_to") in edges      # "Outcome directly aligns to the organization's IO
    assert ("SEC-OC", "CORP-OC", "aligns_to") in edges      #  and Outcome"
    for n in range(1, 5):
        assert ("SEC-IO", f"CORP-OUT-{n}", "aligns_to") in edges  # "IO directly aligns to the Outputs"
        for m in range(1, 5):  # "Outputs are implemented in support of the Organization's Outputs"
            assert (f"SEC-OUT-{n}", f"CORP-OUT-{m}", "supports") in edges
    assert len(edges) == 1 + 2 + 4 + 16
    # Every edge runs from the Secretariat's chain to the corporate chain.
    assert {(s[:3], t[:4]) for s, t, _ in edges} == {("SEC", "CORP")}


def test_business_lines(seeded_chains):
    assert list(BusinessLine.objects.values_list("name", flat=True)) == [
        "Country Programmes", "Catalytic Fund", "Analytic and Strategic Activities (ASAs)",
        "Communications and Advocacy",
    ]


def test_loading_twice_changes_nothing(seeded_chains):
    before = list(Result.objects.order_by("code").values_list("code", "statement", "lft", "rght", "tree_id"))
    call_command("load_chains", verbosity=0)
    after = list(Result.objects.order_by("code").values_list("code", "statement", "lft", "rght", "tree_id"))
    assert before == after
    assert Alignment.objects.count() == 23
