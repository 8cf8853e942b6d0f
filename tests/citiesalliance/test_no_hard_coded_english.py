"""No hard-coded English in user-facing Python (issue 19): a plain string literal or f-string handed
straight to the user — a flash message, a validation or permission error, a 404, a page title, a form
label, submit label or help text — is shown untranslated to a French, Spanish or Portuguese reader.
An AST scan of the apps' code (not migrations, not tests, not management commands, whose output is
for the operator) names each such place as file:line."""
import ast
from pathlib import Path

from django.conf import settings

APPS = ("api", "citiesalliance", "indicators", "reminders", "results", "scorecard", "spreadsheets")
SKIPPED_PARTS = {"migrations", "management", "tests", "locale", "templatetags_tests"}
MESSAGE_FUNCS = {"success", "info", "warning", "error", "debug", "add_message"}
EXCEPTIONS = {"ValidationError", "PermissionDenied", "Http404"}
ATTRIBUTES = {"label", "submit_label", "help_text", "verbose_name", "verbose_name_plural"}
KEYWORDS = ATTRIBUTES | {"description"}  # description: @admin.display(description=...) only

# The API's OpenAPI schema (serializer and filter help texts) is the developers' documentation,
# written in English like the API's field names and its Swagger and Redoc pages; what the API
# answers a person (its error messages) is translated and scanned like the rest.
SCHEMA_FILES = {"api/serializers.py", "api/part_serializers.py", "api/filters.py"}

# Places where English is right; each with its reason. Keys are "path:the source line, stripped".
ALLOWED: dict[str, str] = {}


def _english(node: ast.AST) -> bool:
    """A str literal or f-string whose own text has letters (a bare "—" or " · " is not English)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and any(c.isalpha() for c in v.value) for v in node.values)
    if isinstance(node, ast.IfExp):  # "a" if x else "b": either branch is shown
        return _english(node.body) or _english(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):  # "a" + x, "a %s" % x
        return _english(node.left) or (isinstance(node.op, ast.Add) and _english(node.right))
    if isinstance(node, (ast.List, ast.Tuple)):  # ValidationError(["a"]), errors["x"] = ["a"]
        return any(_english(item) for item in node.elts)
    if isinstance(node, ast.Dict):  # ValidationError({"field": "a"}): the values are shown, the keys are fields
        return any(_english(value) for value in node.values)
    return False


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _is_render(func: ast.AST) -> bool:
    return _name(func) in {"render", "render_to_string", "render_to_response", "TemplateResponse"}


def findings_in(source: str, where: str) -> list[str]:
    """Each hard-coded English string of `source`, as "where:line: what"."""
    tree = ast.parse(source)
    lines = source.splitlines()
    found = []

    def report(node: ast.AST, what: str) -> None:
        line = lines[node.lineno - 1].strip()
        if f"{where}:{line}" not in ALLOWED:
            found.append((node.lineno, f"{where}:{node.lineno}: {what}: {line[:90]}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if (name in MESSAGE_FUNCS and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "messages"):
                # messages.success(request, message) / messages.add_message(request, level, message)
                position = 2 if name == "add_message" else 1
                message = node.args[position] if len(node.args) > position else next(
                    (k.value for k in node.keywords if k.arg == "message"), None)
                if message is not None and _english(message):
                    report(node, f"messages.{name} message")
            elif name in EXCEPTIONS and node.args and _english(node.args[0]):
                report(node, f"{name} message")
            elif _is_render(node.func):
                for arg in list(node.args) + [k.value for k in node.keywords]:
                    if isinstance(arg, ast.Dict):
                        for key, value in zip(arg.keys, arg.values):
                            if isinstance(key, ast.Constant) and key.value == "title" and _english(value):
                                report(value, "page title")
            elif name.endswith("_message") and any(_english(arg) for arg in node.args):
                report(node, f"{name} message")  # a view's own helper around messages.*
            for keyword in node.keywords:  # forms.CharField(label="...", help_text="...")
                if keyword.arg not in KEYWORDS or not _english(keyword.value):
                    continue
                if keyword.arg == "description" and name != "display":
                    continue  # extend_schema(description=...): the API's documentation
                if keyword.arg == "help_text" and where in SCHEMA_FILES:
                    continue
                report(keyword.value, f"{keyword.arg}=")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                attribute = target.attr if isinstance(target, ast.Attribute) else (
                    target.id if isinstance(target, ast.Name) else None)
                if attribute in ATTRIBUTES and node.value is not None and _english(node.value):
                    if isinstance(target, ast.Name) and attribute == "label":
                        continue  # a local variable called label is not a form field's label
                    report(node, f"{attribute} =")
                if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                        and target.value.id == "errors" and _english(node.value)):
                    report(node, "errors[...] =")  # a field's message, raised as ValidationError(errors)
    return [text for _line, text in sorted(found)]


def app_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in sorted((settings.BASE_DIR / app).rglob("*.py")):
            if not SKIPPED_PARTS.intersection(path.relative_to(settings.BASE_DIR).parts):
                files.append(path)
    return files


def test_user_facing_python_strings_go_through_gettext():
    found = []
    for path in app_files():
        found += findings_in(path.read_text(encoding="utf-8"), str(path.relative_to(settings.BASE_DIR)))
    assert found == [], "Pass these through gettext (with %(name)s placeholders):\n" + "\n".join(found)


def test_the_scan_sees_each_kind_of_hard_coded_english():
    source = '''
messages.success(request, f"Indicator {code} saved.")
messages.error(request, "No." if x else _("Yes."))
raise ValidationError("Too big.")
raise PermissionDenied(f"Not for {role}.")
raise Http404("No such page")
render(request, "x.html", {"title": "Add an indicator"})
form.fields["note"].label = "Note to the proposer"
submit_label = "Save"
name = forms.CharField(help_text="Leave empty.")
_saved_message(request, f"Indicator {code} saved.", proposal)
verbose_name = "Reminders"
note = models.TextField(verbose_name="note")
@admin.display(description="Contributing indicators")
def contributing(self, obj): pass
raise ValidationError({"position": f"Unknown position {position!r}."})
errors["period"] = [f"There is no reporting period {period!r}."]
'''
    found = findings_in(source, "x.py")
    assert [f.split(": ")[0] for f in found] == [f"x.py:{n}" for n in range(2, 15)] + ["x.py:16", "x.py:17"], found


def test_the_scan_lets_translated_and_non_english_strings_pass():
    source = '''
messages.success(request, _("Indicator %(code)s saved.") % {"code": code})
raise ValidationError(_("Too big."))
raise ValidationError(problems)
render(request, "x.html", {"title": gettext("Edit %(code)s") % {"code": code}, "sep": "—"})
submit_label = _("Save")
label = "a local variable"
name = forms.CharField(label="—")
extend_schema(description="An iati-activities document.")
raise ValidationError({"position": _("Unknown position %(position)s.") % {"position": position}})
errors[f"parts[{i}].value"] = _("%(value)s: given twice.") % {"value": value}
'''
    assert findings_in(source, "x.py") == []
    assert findings_in('level = serializers.IntegerField(help_text="1 Impact.")', "api/serializers.py") == []
