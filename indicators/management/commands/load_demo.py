"""Load the illustrative demo indicators (fixtures/demo_indicators.json) through the services.

Idempotent: an indicator or result whose code already exists is left alone, so re-running
`make run` never overwrites what people entered. Development only (DEBUG), like the demo users.
Figures are illustrative and every demo indicator's name says so.

The fixture's periods are relative to the day it is loaded (indicators/demo.py): the demo's four
fiscal years are the last four that have ended, its quarterly indicator runs up to the quarter
under way, and the frameworks are widened to cover them. `--today` pins the day (for tests).
"""
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from citiesalliance import roles
from indicators import services
from indicators.demo import demo_calendar, fiscal_years_used
from indicators.dimensions import Dimension, DimensionValue
from indicators.models import Indicator
from indicators.services.dimensions import dimension_add_indicator, dimension_create
from indicators.services.parts import PartInput
from results import programmes
from results import services as result_services
from results.models import BusinessLine, Result, ResultsFramework

DEFAULT = Path(settings.BASE_DIR) / "fixtures" / "demo_indicators.json"
PROGRAMMES = Path(settings.BASE_DIR) / "fixtures" / "demo_programmes.json"


def _actor(username: str, fallback: str, role: str):
    """The demo user if `create_demo_users` made it; else a placeholder that cannot log in."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user, _ = User.objects.get_or_create(username=fallback, defaults={
        "first_name": "Illustrative", "last_name": role.split()[-1].capitalize()})
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return get_user_model().objects.get(pk=user.pk), True  # fresh: no cached permissions


def _prepare_chains(data: dict) -> None:
    """Frameworks covering the demo's periods, business lines on outputs and the demo activities."""
    first, last = fiscal_years_used(data["indicators"])
    for framework in ResultsFramework.objects.all():
        years = (first, last)  # a framework without figures yet covers the demo's years, and no others
        if Indicator.objects.filter(result__framework=framework).exists():  # else widen, never narrow
            years = (min(framework.first_fiscal_year, first), max(framework.last_fiscal_year, last))
        result_services.framework_update(framework=framework, first_fiscal_year=years[0], last_fiscal_year=years[1])
    lines = {line.code: line for line in BusinessLine.objects.all()}
    for code, line in data.get("business_lines", {}).items():
        result = Result.objects.filter(code=code, business_line__isnull=True).first()
        if result is not None and line in lines:
            result_services.result_update(result=result, business_line=lines[line])
    for item in data.get("results", []):
        if Result.objects.filter(code=item["code"]).exists():
            continue
        parent = Result.objects.filter(code=item["parent"]).first()
        if parent is None:
            raise CommandError(f"{item['code']}: result {item['parent']} does not exist; run load_chains first.")
        result_services.result_create(framework=parent.framework, parent=parent, level=item["level"],
                                      code=item["code"], statement=item["statement"], order=item.get("order", 0),
                                      business_line=lines.get(item.get("business_line", "")))


def _dimensions(data: dict, manager) -> tuple[dict, dict]:
    """The fixture's dimensions (created when missing): ({indicator code: [dimensions]}, {value slug: value})."""
    by_code: dict[str, list] = {}
    for order, item in enumerate(data.get("dimensions", []), start=1):
        dimension = (Dimension.objects.filter(name=item["name"]).first()
                     or dimension_create(name=item["name"], values=item["values"], by=manager, order=order))
        for code in item.get("indicators", []):
            by_code.setdefault(code, []).append(dimension)
    return by_code, {v.slug: v for v in DimensionValue.objects.all()}


def _parts(item: dict, values: dict) -> dict | None:
    """A target's or measurement's illustrative parts, {value slug: figure} in the fixture."""
    if "parts" not in item:
        return None
    return {values[slug].pk: PartInput(Decimal(figure)) for slug, figure in item["parts"].items()}


def load(data: dict, *, officer, manager) -> tuple[list[str], list[str]]:
    """Load the (resolved) fixture: periods are labels such as FY2026 by now."""
    created, skipped = [], []
    base_url = data.get("evidence_url_base", "https://example.org/illustrative-evidence/")
    with transaction.atomic():
        _prepare_chains(data)
        dimensions, values = _dimensions(data, manager)
        for item in data["indicators"]:
            code = item["code"]
            if Indicator.objects.filter(code=code).exists():
                skipped.append(code)
                continue
            result = Result.objects.filter(code=item["result"]).first()
            if result is None:
                raise CommandError(f"{code}: result {item['result']} does not exist; run load_chains first.")
            fields = {k: item[k] for k in ("definition", "kind", "measure", "unit", "direction", "aggregation",
                                           "frequency", "data_source", "means_of_verification", "name_fr") if k in item}
            indicator = services.indicator_create(by=officer, result=result, code=code, name=item["name"],
                                                  responsible=officer, **fields)
            for dimension in dimensions.get(code, []):
                dimension_add_indicator(dimension=dimension, indicator=indicator, by=manager)
            if "baseline" in item:
                b = item["baseline"]
                services.baseline_record(
                    indicator=indicator, by=officer, value=b.get("value"), text=b.get("text", ""),
                    period=b.get("period"), source=b.get("source", ""), status=b["status"],
                    due_date=date.fromisoformat(b["due_date"]) if b.get("due_date") else None)
            for t in item.get("targets", []):
                target = services.target_set(indicator=indicator, period=t["period"], by=officer,
                                             value=t.get("value"), rating=t.get("rating"),
                                             rationale=t.get("rationale", ""), parts=_parts(t, values))
                if t["status"] == "approved":
                    services.target_approve(target=target, by=manager, version=target.version)
            for m in item.get("measurements", []):
                measurement = services.measurement_save_draft(
                    indicator=indicator, period=m["period"], by=officer, value=m.get("value"),
                    rating=m.get("rating"), text=m.get("text", ""),
                    evidence_url=m.get("evidence_url") or f"{base_url}{code.lower()}-{m['period'].lower()}",
                    comment=m.get("comment", ""), so_what=m.get("so_what", ""), parts=_parts(m, values))
                if m["status"] == "draft":
                    continue
                measurement = services.measurement_submit(measurement=measurement, by=officer,
                                                          version=measurement.version)
                if m["status"] == "approved":
                    services.measurement_approve(measurement=measurement, by=manager, version=measurement.version)
                elif m["status"] == "returned":
                    services.measurement_return(measurement=measurement, by=manager, note=m["review_note"],
                                                version=measurement.version)
            created.append(code)
    return created, skipped


def _programme_actor(names: list[str], framework, role: str):
    """The programme's demo user (create_demo_users) with their programme role, else a placeholder."""
    User = get_user_model()
    user = User.objects.filter(username=names[0]).first()
    if user is None:
        user, _ = User.objects.get_or_create(username=names[1], defaults={
            "first_name": "Illustrative", "last_name": f"{framework.code} {role}"})
        user.set_unusable_password()
        user.save()
    programmes.programme_role_set(by=None, person=user, framework=framework, role=role)
    return User.objects.get(pk=user.pk)  # fresh: no standing kept from before the role


def load_programmes(data: dict, *, officer=None, manager=None) -> tuple[list[str], list[str]]:
    """The illustrative country programmes (resolved): their chains and alignments, their people's
    programme roles, then each programme's indicators entered by its own officer and manager; last,
    the corporate indicators computed from them (entered by the Secretariat's `officer`, their
    formula defined by its `manager`)."""
    try:
        result_services.chains_load(data={"frameworks": data["frameworks"], "alignments": data["alignments"]})
    except ValidationError as exc:
        raise CommandError(f"The demo programmes were not loaded: {'; '.join(exc.messages)}") from exc
    created, skipped = [], []
    for code, people in data["people"].items():
        framework = ResultsFramework.objects.get(code=code)
        their_officer = _programme_actor(people["officer"], framework, "officer")
        their_manager = _programme_actor(people["manager"], framework, "manager")
        mine = [i for i in data["indicators"] if Result.objects.filter(code=i["result"], framework=framework).exists()]
        done = load({"indicators": mine}, officer=their_officer, manager=their_manager)
        created += done[0]
        skipped += done[1]
    if officer is not None and manager is not None:
        for item in data.get("computed", []):
            formula = item["computation"]
            done = load({"indicators": [{k: v for k, v in item.items() if k != "computation"}]},
                        officer=officer, manager=manager)
            if done[0]:  # newly loaded: define its formula (an existing one keeps whatever it has now)
                indicator = Indicator.objects.get(code=item["code"])
                services.computation_define(indicator=indicator, kind=formula["kind"],
                                            contributing=formula["contributing"], by=manager,
                                            note=formula.get("note", ""))
            created += done[0]
            skipped += done[1]
    return created, skipped


class Command(BaseCommand):
    help = "Load the illustrative demo indicators, baselines, targets and measurements (development only)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT))
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="Date the demo as if loaded on this day (YYYY-MM-DD); default: today.")
        parser.add_argument("--no-programmes", dest="programmes", action="store_false",
                            help="Leave out the two illustrative country programmes (fixtures/demo_programmes.json).")

    def handle(self, *args, path, today=None, **options):
        if not settings.DEBUG:
            raise CommandError("Illustrative demo data is only loaded when DEBUG is on.")
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        calendar = demo_calendar(today)
        try:
            data = calendar.resolve(data)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        officer, placeholder_o = _actor("officer", "illustrative-officer", roles.OFFICER)
        manager, placeholder_m = _actor("manager", "illustrative-manager", roles.MANAGER)
        try:
            created, skipped = load(data, officer=officer, manager=manager)
        except ValidationError as exc:
            raise CommandError(f"{path} was not loaded: {'; '.join(exc.messages)}") from exc
        if options.get("programmes", True):
            programme_data = calendar.resolve(json.loads(PROGRAMMES.read_text(encoding="utf-8")))
            try:
                more = load_programmes(programme_data, officer=officer, manager=manager)
            except ValidationError as exc:
                raise CommandError(f"{PROGRAMMES} was not loaded: {'; '.join(exc.messages)}") from exc
            created, skipped = created + more[0], skipped + more[1]
        self.stdout.write(self.style.SUCCESS(
            f"Illustrative demo indicators: {len(created)} loaded, {len(skipped)} already present "
            f"(periods {calendar.years[0]} to {calendar.years[-1]}, and {calendar.current_year} under way)."))
        if placeholder_o or placeholder_m:
            self.stdout.write("No demo officer/manager yet: the figures were entered as placeholder users "
                              "(run create_demo_users before load_demo to assign them to `officer`).")
