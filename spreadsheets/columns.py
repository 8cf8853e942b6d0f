"""The column table: one per kind of data, shared by the importer, the export resources and the
downloadable templates, so all three speak the same headers.

A header is written in the reader's language (`Column.label`; `Column.header` is the English,
marked with gettext_noop) and read in any of the site's languages: a header in a file matches a
column by its key, its header in English, French, Spanish or Portuguese, or one of its aliases,
with case, spaces, underscores, '*' and '(...)' ignored (`header_key`), and accents too for the
translated headers (`accepted_headers`).
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

KINDS = ("results", "indicators", "baselines", "targets", "measurements")
KIND_LABELS = {"results": _("Results"), "indicators": _("Indicators"), "baselines": _("Baselines"),
               "targets": _("Targets"), "measurements": _("Measurements")}
# The template's other sheets, named in the reader's language; the importer skips them in any language.
INSTRUCTIONS_SHEET = gettext_noop("Instructions")
LISTS_SHEET = gettext_noop("Lists")
DIMENSIONS_SHEET = gettext_noop("Dimensions")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # English (gettext_noop): files are read by it in every language; `label` is what people see
    required: bool = False
    help: str = ""
    choices: str = ""  # name of the drop-down list in the template's Lists sheet
    aliases: tuple[str, ...] = ()
    number: bool = False  # written as a number in XLSX exports
    date: bool = False
    informational: bool = False  # exported, never imported (the workflow decides it)

    @property
    def label(self) -> str:
        """The header in the active language, as templates and exports write it."""
        return gettext(self.header)


_IND = Column("indicator_code", gettext_noop("Indicator code"), True,
              _("The indicator's code, e.g. CORP-OUT-1-I1 (any case)."),
              "indicators", ("indicator", "code", "indicator id"))
_PERIOD = Column("period", gettext_noop("Period"), True,
                 _("A fiscal year (FY2014) or a half or quarter (FY2014-H1, FY2014-Q3) "
                   "within the indicator's framework."),
                 "periods", ("fiscal year", "year", "reporting period"))
_VALUE = Column("value", gettext_noop("Value"), False,
                _("A number: 1200, 1,200, 12.5; percentages 0-100 (45 or 45%); yes/no "
                  "as yes or no. Leave empty for rated (qualitative) indicators."),
                "", ("amount", "figure"), number=True)
_RATING = Column("rating", gettext_noop("Rating"), False,
                 _("Qualitative indicators only: On track, Needs attention or Off track."),
                 "ratings")

_DIMENSION = Column("dimension", gettext_noop("Dimension"), False,
                    _("Disaggregated rows only: the dimension (Sex, Country...); "
                      "needed only when a value's name is in several of the indicator's dimensions."),
                    "dimensions", ("disaggregation dimension", "dimension name"))
_DIMENSION_VALUE = Column("dimension_value", gettext_noop("Dimension value"), False,
                          _("Empty on the row of the total. A row "
                            "naming a dimension value (female, or Sex: female) gives that part of the total of its "
                            "indicator (and period); each dimension's parts add up to the total."),
                          "dimension_values", ("disaggregation", "disaggregation value", "part", "breakdown"))

_NUMERATOR = Column("numerator", gettext_noop("Numerator"), False,
                    _("Percentages' disaggregated rows only: how many of the "
                      "part's whole count (45 of 120 people: 45). The part's share and the total are recomputed "
                      "from numerators and denominators, never averaged."),
                    "", ("part numerator",), number=True)
_DENOMINATOR = Column("denominator", gettext_noop("Denominator"), False,
                      _("Percentages' disaggregated rows only: the part's whole (45 of 120 people: 120), above 0."),
                      "", ("part denominator",), number=True)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "results": (
        Column("framework", gettext_noop("Framework"), True, _("The results framework's code, e.g. CORP."),
               "frameworks", ("framework code", "results framework", "chain")),
        Column("code", gettext_noop("Code"), True,
               _("The result's code, e.g. CORP-OUT-2 (capitals, digits, - _ .)."), "", ("result code",)),
        Column("parent_code", gettext_noop("Parent code"), False,
               _("The code of the result one level above; empty for the Impact."),
               "results", ("parent", "parent result")),
        Column("level", gettext_noop("Level"), True,
               _("Impact, Outcome, Intermediate Outcome, Output or Activity."), "levels"),
        Column("statement", gettext_noop("Statement"), True, _("The result statement."), "",
               ("result statement", "result")),
        Column("description", gettext_noop("Description")),
        Column("business_line", gettext_noop("Business line"), False,
               _("Outputs and activities only: the business line's code."), "business_lines"),
        Column("order", gettext_noop("Order"), False, _("Position among its siblings: 0, 1, 2..."), number=True),
        Column("assumptions", gettext_noop("Assumptions"), False,
               _("The assumptions linking it to the result above.")),
        Column("beneficiary", gettext_noop("Whose change"), False, _("clients, clients_client or partnership."),
               "beneficiaries", ("beneficiary",)),
    ),
    "indicators": (
        Column("result_code", gettext_noop("Result code"), True,
               _("The code of the result the indicator measures."), "results", ("result",)),
        Column("code", gettext_noop("Indicator code"), True, _("The indicator's code, e.g. CORP-OUT-1-I1."), "",
               ("code", "indicator")),
        Column("name", gettext_noop("Name"), True, _("What is measured, in one line."), "", ("indicator name",)),
        Column("definition", gettext_noop("Definition")),
        Column("kind", gettext_noop("Kind"), False, _("quantitative (default) or qualitative."), "kinds"),
        Column("measure", gettext_noop("Measure"), False,
               _("number (default), percentage, currency, yes_no, or rating (qualitative)."), "measures"),
        Column("unit", gettext_noop("Unit"), False, _("For example: cities, people, USD.")),
        Column("direction", gettext_noop("Direction"), False, _("increase (default), decrease or maintain."),
               "directions"),
        Column("aggregation", gettext_noop("Aggregation"), False,
               _("latest (default), sum (cumulative counts) or average."), "aggregations"),
        Column("frequency", gettext_noop("Frequency"), False, _("annual (default), semiannual or quarterly."),
               "frequencies"),
        Column("weight", gettext_noop("Weight"), False, _("Weight in roll-ups; default 1."), number=True),
        Column("order", gettext_noop("Order"), False, _("Position among the result's indicators."), number=True),
        Column("data_source", gettext_noop("Data source")),
        Column("means_of_verification", gettext_noop("Means of verification"), aliases=("verification",)),
        Column("responsible", gettext_noop("Responsible"), False, _("The username of the person responsible."),
               "users", ("responsible person", "responsible username")),
        Column("dimensions", gettext_noop("Disaggregated by"), False,
               _("The dimensions its figures are split by, e.g. Sex; "
                 "Country (see the Dimensions sheet). Empty: not disaggregated. A dimension its figures have parts "
                 "of stays."),
               "dimensions", ("dimensions", "disaggregated", "disaggregation")),
        Column("computed_as", gettext_noop("Computed as"), False,
               _("For information: the formula of a computed indicator "
                 "(Sum of: ...); a manager defines it, and its figures are never imported."), informational=True),
    ),
    "baselines": (
        _IND, _DIMENSION, _DIMENSION_VALUE,
        Column("value", gettext_noop("Value"), False,
               _("Quantitative indicators: the baseline number (1,200; 45%; yes/no)."),
               "", ("baseline", "baseline value"), number=True),
        _NUMERATOR, _DENOMINATOR,
        Column("text", gettext_noop("Qualitative baseline"), False,
               _("Qualitative indicators: the baseline in words."), "", ("text", "description", "baseline text")),
        Column("period", gettext_noop("Period"), False, _("The period the baseline describes, e.g. FY2013."),
               "periods", ("baseline period", "year", "fiscal year")),
        Column("as_of", gettext_noop("As of"), False,
               _("Or the date it was measured (2013-06-30, 30 Jun 2013, or an Excel date)."),
               "", ("as of date", "date"), date=True),
        Column("source", gettext_noop("Source"), False, _("Where the figure comes from."), "", ("data source",)),
        Column("status", gettext_noop("Status"), False,
               _("planned, collected or validated (empty: collected when a value is given, else planned)."),
               "baseline_statuses"),
        Column("due_date", gettext_noop("Due date"), False, _("When the baseline must be collected."), date=True),
    ),
    "targets": (
        _IND, _PERIOD, _DIMENSION, _DIMENSION_VALUE, _VALUE, _NUMERATOR, _DENOMINATOR, _RATING,
        Column("status", gettext_noop("Status"), False,
               _("For information: imported targets arrive preliminary; a manager approves them."),
               "target_statuses", informational=True),
        Column("rationale", gettext_noop("Rationale"), False,
               _("Why this target; for a revised approved target, why it changes."), "", ("reason",)),
    ),
    "measurements": (
        _IND, _PERIOD, _DIMENSION, _DIMENSION_VALUE, _VALUE, _NUMERATOR, _DENOMINATOR, _RATING,
        Column("text", gettext_noop("Qualitative finding"), False,
               _("Qualitative indicators: the finding in words."), "", ("text", "finding")),
        Column("evidence_url", gettext_noop("Evidence link"), False,
               _("A link to the evidence (required: imported measurements are submitted for review)."),
               "", ("evidence", "evidence url", "link", "url")),
        Column("comment", gettext_noop("Comment"), aliases=("comments", "notes")),
        Column("so_what", gettext_noop("So what?"), False,
               _("What happened as a result; how the knowledge was used."), "", ("so what note",)),
        Column("status", gettext_noop("Status"), False,
               _("For information: imported measurements arrive submitted for review."),
               "measurement_statuses", informational=True),
    ),
}


def header_key(text) -> str:
    """A header as a key: case, spaces, underscores, '*' and '(...)' do not matter."""
    t = str(text if text is not None else "").replace("\ufeff", "").replace("\u200b", "").strip().lower()
    t = re.sub(r"\(.*?\)", " ", t)
    t = re.sub(r"[*?\"“”'’:]", " ", t)
    return re.sub(r"[\s_\-/.]+", " ", t).strip()


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@cache
def accepted_headers() -> dict[str, dict[str, frozenset[str]]]:
    """kind -> {normalised name -> the keys of the columns it names}: each column's key, English
    header and aliases, and its header in each of the site's languages (with and without accents:
    "Codigo" is "Código"), whatever the uploader's language, so a French export imports under a
    Spanish reader. Built once per process, by activating each language in turn. One key per name:
    tests/spreadsheets/test_header_languages.py checks no two columns of a kind share a name."""
    found: dict[str, dict[str, set[str]]] = {}
    for kind, columns in COLUMNS.items():
        names: dict[str, set[str]] = found.setdefault(kind, {})
        for column in columns:
            for name in (column.key, column.header, *column.aliases):
                names.setdefault(header_key(name), set()).add(column.key)
        for language in _languages():
            with translation.override(language):
                for column in columns:
                    for name in {column.label, _unaccented(column.label)}:
                        names.setdefault(header_key(name), set()).add(column.key)
    return {kind: {name: frozenset(keys) for name, keys in names.items()} for kind, names in found.items()}


@cache
def aliases(kind: str) -> dict[str, str]:
    """{normalised header or alias -> column key} for `kind`, in every language (`accepted_headers`);
    a name two columns shared would go to the one it names in English (the test forbids it)."""
    english = {header_key(name): column.key for column in COLUMNS[kind]
               for name in (column.key, column.header, *column.aliases)}
    return {**{name: min(keys) for name, keys in accepted_headers()[kind].items()}, **english}


@cache
def sheet_names() -> dict[str, str]:
    """{normalised sheet name in any language -> a kind, or "" for the template's other sheets}."""
    names = {kind: kind for kind in KINDS}
    for language in _languages():
        with translation.override(language):
            for kind, label in KIND_LABELS.items():
                names[header_key(str(label))] = kind
                names[header_key(_unaccented(str(label)))] = kind
            for other in (INSTRUCTIONS_SHEET, LISTS_SHEET):
                names[header_key(gettext(other))] = ""
                names[header_key(_unaccented(gettext(other)))] = ""
    return names


# kind -> {column key -> Column}
BY_KEY: dict[str, dict[str, Column]] = {kind: {c.key: c for c in columns} for kind, columns in COLUMNS.items()}
