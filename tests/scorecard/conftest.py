"""Fixtures of the scorecard tests. Django is imported lazily so that test_arithmetic.py still runs
without it (pytest -p no:django tests/scorecard/test_arithmetic.py)."""
import pytest


@pytest.fixture
def scorecard_data(db):
    """A small corporate chain whose every figure is worked out by hand in test_scorecard.py (FY2016 is
    the latest period with approved figures), and a Secretariat chain aligned to it."""
    from .builders import build_scorecard_data
    return build_scorecard_data()
