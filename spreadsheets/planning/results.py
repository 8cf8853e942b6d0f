"""Planning a results file. Tree writes go through results.services, which serialises them
(django-mptt corrupts a tree under bulk writes); results chains are tens of rows, so this path is
row by row on purpose, and the preview tries the writes in a savepoint it rolls back
(spreadsheets.importing) to show the services' refusals.
"""
from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from results import services as result_services
from results.levels import LEVELS_WITH_BUSINESS_LINE, Level
from results.models import BusinessLine, Result, ResultsFramework, code_validator

from ..cells import messages, parse_beneficiary, parse_int, parse_level, show, text
from ..columns import BY_KEY, header_key
from ..reading import Table
from ..report import RowChange
from .common import Plan, duplicate

FIELDS = ("framework", "parent_code", "level", "statement", "description", "business_line", "order",
          "assumptions", "beneficiary")


class RowsFailed(Exception):
    """A service refused a row while writing; its problems are on the plan."""


class _Checked(NamedTuple):
    row: int
    code: str
    values: dict


# ---- the tree rules this importer checks before the services do ------------------------------

class _Parent(NamedTuple):
    level: int | None
    framework: str | None


def tree_problem(code: str, values: dict, *, parent: _Parent, root: str | None) -> tuple[str, str]:
    """Tree rule: a parent one level up in the same framework; only the Impact is a root, and a
    framework has one. -> (column key, message), or ("", "")."""
    parent_code, level, fw = values["parent_code"], values["level"], values["framework"]
    if parent_code:
        if parent.level is None:
            return "parent_code", f"No result has the code {parent_code} (in the database or this file)."
        if parent.framework != fw:
            return "parent_code", f"{parent_code} belongs to {parent.framework}, not {fw}."
        if level != parent.level + 1:
            below = Level(parent.level + 1).label if parent.level < 5 else "none: activities have no children"
            return "level", (f"A child of {parent_code} ({Level(parent.level).label}) must be one level below it "
                             f"({below}).")
        return "", ""
    if level != Level.IMPACT:
        return "parent_code", (f"{Level(level).label} {code} needs a parent result one level above it; only the "
                               "Impact is the root of a framework.")
    if root not in (None, code):
        return "parent_code", f"{fw} already has its Impact ({root}); a framework has exactly one root."
    return "", ""


# ---- planning -------------------------------------------------------------------------------

def _check_row(plan: Plan, table: Table, row: int, cells: dict, *, frameworks: dict, lines: dict,
               seen: dict) -> _Checked | None:
    bad = len(plan.problems)
    raw_code = cells.get("code")
    code = text(raw_code).upper()
    try:
        if not code:
            raise ValidationError(_("Enter the result's code."))
        code_validator(code)
        if len(code) > 30:
            raise ValidationError(_("A code has at most 30 characters."))
    except ValidationError as exc:
        plan.problem(row, "code", raw_code, messages(exc))
    raw_fw = cells.get("framework")
    framework = frameworks.get(text(raw_fw).upper())
    if framework is None:
        plan.problem(row, "framework", raw_fw, f"No results framework has the code {text(raw_fw).upper()}."
                     if raw_fw is not None else "Enter the framework's code.")
    level = None
    try:
        level = parse_level(cells.get("level"))
    except ValidationError as exc:
        plan.problem(row, "level", cells.get("level"), f"{show(cells.get('level'))} {messages(exc)}")
    statement = text(cells.get("statement"))
    if not statement:
        plan.problem(row, "statement", None, "Enter the result statement.")
    values = {"framework": framework.code if framework else None,
              "parent_code": text(cells.get("parent_code")).upper() or None,
              "level": level, "statement": statement}
    for key in ("description", "assumptions"):
        if table.has(key):
            values[key] = text(cells.get(key))
    if table.has("business_line"):
        raw = cells.get("business_line")
        values["business_line"] = None
        if raw is not None:
            line = lines.get(text(raw).upper()) or next(
                (b for b in lines.values() if header_key(b.name) == header_key(raw)), None)
            if line is None:
                plan.problem(row, "business_line", raw, f"No business line has the code or name {text(raw)}.")
            elif level is not None and Level(level) not in LEVELS_WITH_BUSINESS_LINE:
                plan.problem(row, "business_line", raw, "Only outputs and activities belong to a business line.")
            else:
                values["business_line"] = line.code
    if table.has("order"):
        raw = cells.get("order")
        try:
            values["order"] = 0 if raw is None else parse_int(raw)
        except ValidationError as exc:
            plan.problem(row, "order", raw, f"{show(raw)} {messages(exc)}")
    if table.has("beneficiary"):
        raw = cells.get("beneficiary")
        try:
            values["beneficiary"] = "" if raw is None else parse_beneficiary(raw)
        except ValidationError as exc:
            plan.problem(row, "beneficiary", raw, f"{show(raw)} {messages(exc)}")
    if code and duplicate(plan, seen, code, row, "code", raw_code, _("result %(code)s") % {"code": code}) or len(plan.problems) > bad:
        return None
    return _Checked(row, code, values)


def _current(result: Result) -> dict:
    return {"framework": result.framework.code, "parent_code": result.parent.code if result.parent else None,
            "level": result.level, "statement": result.statement_en, "description": result.description,
            "business_line": result.business_line.code if result.business_line else None,
            "order": result.order, "assumptions": result.assumptions, "beneficiary": result.beneficiary}


def plan_results(table: Table, plan: Plan, *, by, reason: str, lock: bool):
    frameworks = {f.code: f for f in ResultsFramework.objects.all()}
    lines = {b.code: b for b in BusinessLine.objects.all()}
    stored = {r.code: r for r in Result.objects.select_related("framework", "parent", "business_line")}
    roots = {r.framework.code: r.code for r in stored.values() if r.parent_id is None}
    seen: dict = {}
    checked = []
    for line in table.rows:
        item = _check_row(plan, table, line.number, line.cells, frameworks=frameworks, lines=lines, seen=seen)
        if item is not None:
            checked.append(item)

    # The tree rules, across the file and the database: a parent one level up in the same framework.
    in_file = {item.code: item.values for item in checked}
    creates, updates = [], []
    describe = plan.describer(show={"level": lambda level: Level(level).label})
    for item in checked:
        row, code, values = item.row, item.code, item.values
        parent_code = values["parent_code"]
        parent = _Parent(None, None)
        if parent_code in in_file:
            parent = _Parent(in_file[parent_code]["level"], in_file[parent_code]["framework"])
        elif parent_code in stored:
            parent = _Parent(stored[parent_code].level, stored[parent_code].framework.code)
        key, problem = tree_problem(code, values, parent=parent, root=roots.get(values["framework"]))
        if problem:
            raw = table.cell(row, "level") if key == "level" else (parent_code if key == "parent_code" and parent_code
                                                                   else None)
            plan.problem(row, key, raw, problem)
            continue
        existing = stored.get(code)
        if existing is None:
            plan.new(row, code, values, describe)
            creates.append(item)
            continue
        current = _current(existing)
        if current["framework"] != values["framework"]:
            plan.problem(row, "framework", values["framework"], f"{code} is in {current['framework']}: a result "
                         "stays in its framework; create it anew with another code.")
            continue
        diff = [k for k in values if current[k] != values[k]]
        if not diff:
            plan.rows.append(RowChange(row, "unchanged", code))
            continue
        plan.rows.append(RowChange(row, "changed", code, plan.changes(current, {k: values[k] for k in diff})))
        updates.append(_Checked(row, code, {k: values[k] for k in diff}))

    def write():
        def fail(row, exc):
            for key, problem_messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                column = key if key in BY_KEY["results"] else ("parent_code" if key == "parent" else "")
                plan.problem(row, column, None, " ".join(problem_messages))
            raise RowsFailed()

        for item in sorted(creates, key=lambda c: c.values["level"]):
            values = item.values
            try:
                result_services.result_create(
                    framework=frameworks[values["framework"]], level=values["level"], code=item.code,
                    statement=values["statement"],
                    parent=Result.objects.get(code=values["parent_code"]) if values["parent_code"] else None,
                    description=values.get("description", ""),
                    business_line=lines.get(values.get("business_line")), order=values.get("order", 0),
                    assumptions=values.get("assumptions", ""), beneficiary=values.get("beneficiary", ""))
            except ValidationError as exc:
                fail(item.row, exc)
        for item in sorted(updates, key=lambda u: in_file[u.code]["level"]):
            changes = dict(item.values)
            try:
                result = Result.objects.get(code=item.code)
                if "parent_code" in changes:
                    result = result_services.result_move(
                        result=result, parent=Result.objects.get(code=changes.pop("parent_code")),
                        order=changes.pop("order", None))
                fields = {k: v for k, v in changes.items() if k != "framework"}
                if "business_line" in fields:
                    fields["business_line"] = lines.get(fields["business_line"])
                if fields:
                    result_services.result_update(result=result, **fields)
            except ValidationError as exc:
                fail(item.row, exc)
    return write
