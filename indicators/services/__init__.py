"""Writes to indicators, baselines, targets, measurements and proposed changes, and the review
transitions: one module per concern, every rule asked of indicators.rules.

Every write: keyword-only arguments, values checked by indicators.validation, the rules by
indicators.rules, full_clean(), one transaction, the acting user on the audit history.
"""
from ..rules import MEASURED_KIND, check_measurement_period, measured_periods
from .baselines import BASELINE_FIELDS, baseline_record
from .common import ConflictError
from .computations import computation_define, computation_remove
from .dimensions import dimension_add_indicator, dimension_create, indicator_dimensions_set
from .indicators import (
    INDICATOR_FIELDS,
    check_change,
    check_framework_years,
    check_indicator_rules,
    indicator_create,
    indicator_facts,
    indicator_update,
)
from .measurements import (
    MEASUREMENT_FIELDS,
    measurement_approve,
    measurement_record,
    measurement_return,
    measurement_save_draft,
    measurement_submit,
)
from .parts import baseline_parts_set
from .periods import period_get_or_create
from .proposals import proposal_open
from .reviews import proposal_apply, proposal_approve, proposal_return
from .targets import TARGET_FIELDS, target_approve, target_return, target_revise, target_set

__all__ = [
    "ConflictError", "period_get_or_create", "indicator_create", "indicator_update", "indicator_facts",
    "check_change", "check_framework_years", "check_indicator_rules", "baseline_record", "target_set", "target_revise", "target_approve",
    "target_return", "measurement_save_draft", "measurement_submit", "measurement_record", "measurement_approve",
    "measurement_return", "proposal_open", "proposal_apply", "proposal_approve", "proposal_return", "check_measurement_period",
    "measured_periods", "MEASURED_KIND", "INDICATOR_FIELDS", "BASELINE_FIELDS", "TARGET_FIELDS",
    "MEASUREMENT_FIELDS", "dimension_create", "dimension_add_indicator", "indicator_dimensions_set",
    "baseline_parts_set", "computation_define", "computation_remove",
]
