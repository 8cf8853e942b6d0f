"""The column table: one per kind of data, shared by the importer, the export resources and the
downloadable templates, so all three speak the same headers.

A header in a file matches a column by its key, its header or one of its aliases, with case,
spaces, underscores, '*' and '(...)' ignored (`header_key`).
"""
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

KINDS = ("results", "indicators", "baselines", "targets", "measurements")
KIND_LABELS = {"results": _("Results"), "indicators": _("Indicators"), "baselines": _("Baselines"),
               "targets": _("Targets"), "measurements": _("Measurements")}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    choices: str = ""  # name of the drop-down list in the template's Lists sheet
    aliases: tuple[str, ...] = ()
    number: bool = False  # written as a number in XLSX exports
    date: bool = False
    informational: bool = False  # exported, never imported (the workflow decides it)


_IND = Column("indicator_code", "Indicator code", True, _("The indicator's code, e.g. CORP-OUT-1-I1 (any case)."),
              "indicators", ("indicator", "code", "indicator id"))
_PERIOD = Column("period", "Period", True, _("A fiscal year (FY2014) or a half or quarter (FY2014-H1, FY2014-Q3) "
                 "within the indicator's framework."), "periods", ("fiscal year", "year", "reporting period"))
_VALUE = Column("value", "Value", False, _("A number: 1200, 1,200, 12.5; percentages 0-100 (45 or 45%); yes/no "
                "as yes or no. Leave empty for rated (qualitative) indicators."), "", ("amount", "figure"),
                number=True)
_RATING = Column("rating", "Rating", False, _("Qualitative indicators only: On track, Needs attention or "
                 "Off track."), "ratings")

_DIMENSION = Column("dimension", "Dimension", False, _("Disaggregated rows only: the dimension (Sex, Country...); "
                    "needed only when a value's name is in several of the indicator's dimensions."), "dimensions",
                    ("disaggregation dimension", "dimension name"))
_DIMENSION_VALUE = Column("dimension_value", "Dimension value", False, _("Empty on the row of the total. A row "
                          "naming a dimension value (female, or Sex: female) gives that part of the total of its "
                          "indicator (and period); each dimension's parts add up to the total."), "dimension_values",
                          ("disaggregation", "disaggregation value", "part", "breakdown"))

_NUMERATOR = Column("numerator", "Numerator", False, _("Percentages' disaggregated rows only: how many of the "
                    "part's whole count (45 of 120 people: 45). The part's share and the total are recomputed "
                    "from numerators and denominators, never averaged."), "", ("part numerator",), number=True)
_DENOMINATOR = Column("denominator", "Denominator", False, _("Percentages' disaggregated rows only: the part's "
                      "whole (45 of 120 people: 120), above 0."), "", ("part denominator",), number=True)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "results": (
        Column("framework", "Framework", True, _("The results framework's code, e.g. CORP."), "frameworks",
               ("framework code", "results framework", "chain")),
        Column("code", "Code", True, _("The result's code, e.g. CORP-OUT-2 (capitals, digits, - _ .)."), "",
               ("result code",)),
        Column("parent_code", "Parent code", False, _("The code of the result one level above; empty for "
               "the Impact."), "results", ("parent", "parent result")),
        Column("level", "Level", True, _("Impact, Outcome, Intermediate Outcome, Output or Activity."), "levels"),
        Column("statement", "Statement", True, _("The result statement."), "", ("result statement", "result")),
        Column("description", "Description"),
        Column("business_line", "Business line", False, _("Outputs and activities only: the business line's "
               "code."), "business_lines"),
        Column("order", "Order", False, _("Position among its siblings: 0, 1, 2..."), number=True),
        Column("assumptions", "Assumptions", False, _("The assumptions linking it to the result above.")),
        Column("beneficiary", "Whose change", False, _("clients, clients_client or partnership."),
               "beneficiaries", ("beneficiary",)),
    ),
    "indicators": (
        Column("result_code", "Result code", True, _("The code of the result the indicator measures."),
               "results", ("result",)),
        Column("code", "Indicator code", True, _("The indicator's code, e.g. CORP-OUT-1-I1."), "",
               ("code", "indicator")),
        Column("name", "Name", True, _("What is measured, in one line."), "", ("indicator name",)),
        Column("definition", "Definition"),
        Column("kind", "Kind", False, _("quantitative (default) or qualitative."), "kinds"),
        Column("measure", "Measure", False, _("number (default), percentage, currency, yes_no, or rating "
               "(qualitative)."), "measures"),
        Column("unit", "Unit", False, _("For example: cities, people, USD.")),
        Column("direction", "Direction", False, _("increase (default), decrease or maintain."), "directions"),
        Column("aggregation", "Aggregation", False, _("latest (default), sum (cumulative counts) or average."),
               "aggregations"),
        Column("frequency", "Frequency", False, _("annual (default), semiannual or quarterly."), "frequencies"),
        Column("weight", "Weight", False, _("Weight in roll-ups; default 1."), number=True),
        Column("order", "Order", False, _("Position among the result's indicators."), number=True),
        Column("data_source", "Data source"),
        Column("means_of_verification", "Means of verification", aliases=("verification",)),
        Column("responsible", "Responsible", False, _("The username of the person responsible."), "users",
               ("responsible person", "responsible username")),
        Column("dimensions", "Disaggregated by", False, _("The dimensions its figures are split by, e.g. Sex; "
               "Country (see the Dimensions sheet). Empty: not disaggregated. A dimension its figures have parts "
               "of stays."), "dimensions", ("dimensions", "disaggregated", "disaggregation")),
        Column("computed_as", "Computed as", False, _("For information: the formula of a computed indicator "
               "(Sum of: ...); a manager defines it, and its figures are never imported."), informational=True),
    ),
    "baselines": (
        _IND, _DIMENSION, _DIMENSION_VALUE,
        Column("value", "Value", False, _("Quantitative indicators: the baseline number (1,200; 45%; yes/no)."),
               "", ("baseline", "baseline value"), number=True),
        _NUMERATOR, _DENOMINATOR,
        Column("text", "Qualitative baseline", False, _("Qualitative indicators: the baseline in words."), "",
               ("text", "description", "baseline text")),
        Column("period", "Period", False, _("The period the baseline describes, e.g. FY2013."), "periods",
               ("baseline period", "year", "fiscal year")),
        Column("as_of", "As of", False, _("Or the date it was measured (2013-06-30, 30 Jun 2013, or an Excel "
               "date)."), "", ("as of date", "date"), date=True),
        Column("source", "Source", False, _("Where the figure comes from."), "", ("data source",)),
        Column("status", "Status", False, _("planned, collected or validated (empty: collected when a value "
               "is given, else planned)."), "baseline_statuses"),
        Column("due_date", "Due date", False, _("When the baseline must be collected."), date=True),
    ),
    "targets": (
        _IND, _PERIOD, _DIMENSION, _DIMENSION_VALUE, _VALUE, _NUMERATOR, _DENOMINATOR, _RATING,
        Column("status", "Status", False, _("For information: imported targets arrive preliminary; a manager "
               "approves them."), "target_statuses", informational=True),
        Column("rationale", "Rationale", False, _("Why this target; for a revised approved target, why it "
               "changes."), "", ("reason",)),
    ),
    "measurements": (
        _IND, _PERIOD, _DIMENSION, _DIMENSION_VALUE, _VALUE, _NUMERATOR, _DENOMINATOR, _RATING,
        Column("text", "Qualitative finding", False, _("Qualitative indicators: the finding in words."), "",
               ("text", "finding")),
        Column("evidence_url", "Evidence link", False, _("A link to the evidence (required: imported "
               "measurements are submitted for review)."), "", ("evidence", "evidence url", "link", "url")),
        Column("comment", "Comment", aliases=("comments", "notes")),
        Column("so_what", "So what?", False, _("What happened as a result; how the knowledge was used."), "",
               ("so what note",)),
        Column("status", "Status", False, _("For information: imported measurements arrive submitted for "
               "review."), "measurement_statuses", informational=True),
    ),
}


def header_key(text) -> str:
    """A header as a key: case, spaces, underscores, '*' and '(...)' do not matter."""
    t = str(text if text is not None else "").replace("\ufeff", "").replace("\u200b", "").strip().lower()
    t = re.sub(r"\(.*?\)", " ", t)
    t = re.sub(r"[*?\"“”'’:]", " ", t)
    return re.sub(r"[\s_\-/.]+", " ", t).strip()


# kind -> {normalised header or alias -> column key}
ALIASES: dict[str, dict[str, str]] = {
    kind: {name: column.key
           for column in columns for name in map(header_key, (column.key, column.header, *column.aliases))}
    for kind, columns in COLUMNS.items()
}
# kind -> {column key -> Column}
BY_KEY: dict[str, dict[str, Column]] = {kind: {c.key: c for c in columns} for kind, columns in COLUMNS.items()}
HEADERS: dict[str, dict[str, str]] = {kind: {c.key: c.header for c in columns} for kind, columns in COLUMNS.items()}
