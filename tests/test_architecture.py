"""The shape of the code (DESIGN.md section 4), checked on the source itself.

- Apps import downward only: results <- indicators <- scorecard <- spreadsheets <- reminders <- api.
- No module reaches into another module's private names (`from x import _helper`, `x._helper`).
- No module outside migrations and tests is over 500 lines: a reader finds a rule in one place.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["results", "indicators", "scorecard", "spreadsheets", "reminders", "api"]
MAX_LINES = 500


def _modules():
    for app in LAYERS + ["citiesalliance"]:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            if "migrations" in path.parts:
                continue
            yield app, path


def _imported(tree: ast.AST):
    """(module name, names) for every import in the file, relative imports resolved to their app."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, [a.name for a in node.names]


@pytest.mark.parametrize("app", LAYERS)
def test_apps_import_downward_only(app):
    above = set(LAYERS[LAYERS.index(app) + 1:])
    wrong = []
    for owner, path in _modules():
        if owner != app:
            continue
        for module, _names in _imported(ast.parse(path.read_text())):
            if module.split(".")[0] in above:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, f"{app} may import only the apps below it:\n" + "\n".join(wrong)


def test_no_module_uses_another_modules_private_names():
    wrong = []
    for _app, path in _modules():
        tree = ast.parse(path.read_text())
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        wrong.append(f"{path.relative_to(ROOT)}: from {node.module or '.'} import {alias.name}")
                    else:
                        modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    modules.add(alias.asname or alias.name.split(".")[0])
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in modules and node.attr.startswith("_")
                    and not node.attr.startswith("__") and node.value.id[:1].islower()
                    and node.attr not in {"_meta", "_default_manager", "_base_manager"}):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not wrong, "Private names used across modules:\n" + "\n".join(wrong)


def test_no_module_is_over_500_lines():
    too_long = [f"{path.relative_to(ROOT)}: {lines} lines" for _app, path in _modules()
                if (lines := len(path.read_text().splitlines())) > MAX_LINES]
    assert not too_long, f"Modules over {MAX_LINES} lines (split them by concern):\n" + "\n".join(too_long)
