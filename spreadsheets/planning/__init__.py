"""Planning per kind: each planner checks every row of a table, decides new / changed / unchanged
against what is stored, puts every problem on the plan, and returns the write to run on confirm.
"""
from .baselines import plan_baselines
from .indicators import plan_indicators
from .measurements import plan_measurements
from .results import RowsFailed, plan_results
from .targets import plan_targets

PLANNERS = {"results": plan_results, "indicators": plan_indicators, "baselines": plan_baselines,
            "targets": plan_targets, "measurements": plan_measurements}

__all__ = ["PLANNERS", "RowsFailed"]
