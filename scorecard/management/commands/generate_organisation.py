"""Generate a synthetic organisation of a chosen size, for the scorecard benchmark.

    manage.py generate_organisation --indicators 2000 --periods 20

Creates its own framework (default code SYN, "Synthetic (benchmark)"), a results tree, indicators of
every kind, baselines, a target and an approved measurement per indicator and period, with bulk
inserts. The figures are random and illustrative: the framework says so in its description.
"""
import random
from datetime import datetime, timezone
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max

from indicators.models import Baseline, Indicator, Measurement, PerformanceStandard, ReportingPeriod, Target
from indicators.periods import YEAR, PeriodSpec
from results.levels import Level
from results.models import BusinessLine, Result, ResultsFramework

# (kind, measure, direction, aggregation, unit): every case the arithmetic distinguishes.
PROFILES = [
    ("quantitative", "number", "increase", "latest", "cities"),
    ("quantitative", "percentage", "decrease", "latest", ""),
    ("quantitative", "number", "increase", "sum", "people"),
    ("quantitative", "percentage", "increase", "latest", ""),
    ("quantitative", "currency", "increase", "average", "USD"),
    ("quantitative", "number", "maintain", "latest", "partners"),
    ("quantitative", "yes_no", "increase", "latest", ""),
    ("qualitative", "rating", "increase", "latest", ""),
]
RATINGS = ["on_track", "needs_attention", "off_track"]


class Command(BaseCommand):
    help = "Generate a synthetic organisation (framework, results, indicators and data) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--indicators", type=int, default=2000)
        parser.add_argument("--periods", type=int, default=20, help="Fiscal years of targets and measurements.")
        parser.add_argument("--code", default="SYN", help="Framework code (results are coded <code>-...).")
        parser.add_argument("--name", default="Synthetic (benchmark)")
        parser.add_argument("--last-year", type=int, default=2025, help="The last fiscal year generated.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="Delete a framework with this code first.")

    def handle(self, *args, indicators, periods, code, name, last_year, seed, replace, **options):
        if indicators < 1 or periods < 1:
            raise CommandError("--indicators and --periods must be at least 1.")
        code = code.upper()
        existing = ResultsFramework.objects.filter(code=code).first()
        if existing and not replace:
            raise CommandError(f"A framework {code} exists already; pass --replace to generate it anew.")
        with transaction.atomic():
            if existing:
                self._delete(existing)
            summary = self._generate(indicators, periods, code, name, last_year, random.Random(seed))
        self.stdout.write(self.style.SUCCESS(
            f"{name} ({code}): {summary['results']} results, {summary['indicators']} indicators, "
            f"{summary['targets']} targets, {summary['measurements']} measurements over {periods} periods."
        ))

    def _delete(self, framework):
        # Synthetic rows have no audit history worth keeping: delete them in bulk, without the
        # per-object signals (simple_history) that would make this take minutes.
        indicators = Indicator.objects.filter(result__framework=framework).values("pk")
        for model in (Measurement, Target, Baseline, PerformanceStandard):
            rows = model.objects.filter(indicator__in=indicators)
            rows._raw_delete(rows.db)
        rows = Indicator.objects.filter(result__framework=framework)
        rows._raw_delete(rows.db)
        results = Result.objects.filter(framework=framework)
        # Children before parents: a parent is protected while it has children.
        for depth in sorted(set(results.values_list("mptt_level", flat=True)), reverse=True):
            rows = results.filter(mptt_level=depth)
            rows._raw_delete(rows.db)
        framework.delete()

    def _generate(self, n_indicators, n_periods, code, name, last_year, rng):
        first_year = last_year - n_periods + 1
        framework = ResultsFramework.objects.create(
            code=code, name=name, kind=ResultsFramework.Kind.CORPORATE, order=900,
            first_fiscal_year=first_year - 1, last_fiscal_year=last_year,
            description="Synthetic organisation generated for benchmarks: illustrative random figures, "
                        "not Cities Alliance results.",
        )
        periods = []
        for year in range(first_year - 1, last_year + 1):  # one more year for the baselines
            spec = PeriodSpec(YEAR, year, 0)
            period, _ = ReportingPeriod.objects.get_or_create(
                label=spec.label, defaults={"kind": YEAR, "fiscal_year": year, "number": 0,
                                            "start": spec.start, "end": spec.end})
            periods.append(period)
        baseline_period, periods = periods[0], periods[1:]

        results = self._tree(framework, code, n_indicators, list(BusinessLine.objects.all()))
        now = datetime.now(timezone.utc)
        indicator_rows = []
        for i in range(n_indicators):
            kind, measure, direction, aggregation, unit = PROFILES[i % len(PROFILES)]
            indicator_rows.append(Indicator(
                result=results[i % len(results)], code=f"{code}-I{i + 1:05d}",
                name=f"Synthetic indicator {i + 1} ({measure}, {direction}, {aggregation})",
                definition="Illustrative synthetic indicator for benchmarks.", kind=kind, measure=measure,
                unit=unit, direction=direction, aggregation=aggregation, order=i,
            ))
        created = Indicator.objects.bulk_create(indicator_rows, batch_size=1000)

        baselines, targets, measurements, standards = [], [], [], []
        for i, indicator in enumerate(created):
            measure = indicator.measure
            if indicator.kind == "qualitative":
                baselines.append(Baseline(indicator=indicator, measure=measure, text="Synthetic starting point",
                                          period=baseline_period, status="validated"))
                for period in periods:
                    targets.append(Target(indicator=indicator, period=period, measure=measure, rating="on_track",
                                          status="approved", approved_rating="on_track", approved_at=now))
                    rating = rng.choice(RATINGS)
                    measurements.append(Measurement(indicator=indicator, period=period, measure=measure,
                                                    rating=rating, approved_rating=rating, approved_at=now,
                                                    status="approved"))
                continue
            base, step = self._scale(measure, indicator.direction, rng)
            if i % 10 == 9:  # one in ten baselines still to collect
                baselines.append(Baseline(indicator=indicator, measure=measure, status="planned"))
            else:
                baselines.append(Baseline(indicator=indicator, measure=measure, value=base,
                                          period=baseline_period, status="validated"))
            for n, period in enumerate(periods, start=1):
                if indicator.aggregation == "sum":
                    target = base + step * n
                    actual = step * Decimal(rng.randint(50, 120)) / 100
                else:
                    target = self._clip(measure, base + step * n)
                    actual = self._clip(measure, base + step * n * Decimal(rng.randint(40, 120)) / 100)
                if measure == "yes_no":
                    target, actual = Decimal(1), Decimal(rng.randint(0, 1))
                # The last period's target has a revision awaiting approval (the working value, one
                # step further); the scorecard keeps scoring against the approved value meanwhile.
                value = target.quantize(Decimal("0.01"))
                working = value
                if n == len(periods) and measure != "yes_no":
                    working = self._clip(measure, value + step).quantize(Decimal("0.01"))
                targets.append(Target(indicator=indicator, period=period, measure=measure, value=working,
                                      status="approved" if n < len(periods) else "preliminary",
                                      approved_value=value, approved_at=now))
                if n == len(periods) and i % 20 == 7:
                    continue  # some indicators have no figure yet for the last period
                value = actual.quantize(Decimal("0.01"))
                measurements.append(Measurement(indicator=indicator, period=period, measure=measure, value=value,
                                                approved_value=value, approved_at=now, status="approved"))
            if i % 100 == 3:
                standards.append(PerformanceStandard(indicator=indicator, name=f"Override {indicator.code}",
                                                     on_track=Decimal("0.80"), needs_attention=Decimal("0.50")))
        Baseline.objects.bulk_create(baselines, batch_size=2000)
        Target.objects.bulk_create(targets, batch_size=2000)
        Measurement.objects.bulk_create(measurements, batch_size=2000)
        PerformanceStandard.objects.bulk_create(standards, batch_size=2000)
        return {"results": len(results), "indicators": len(created), "targets": len(targets),
                "measurements": len(measurements)}

    @staticmethod
    def _scale(measure, direction, rng):
        if measure == "percentage":
            return (Decimal(rng.randint(55, 80)), Decimal(-2)) if direction == "decrease" \
                else (Decimal(rng.randint(10, 40)), Decimal(2))
        if measure == "currency":
            return Decimal(rng.randint(100, 900) * 1000), Decimal(rng.randint(10, 90) * 1000)
        if measure == "yes_no":
            return Decimal(0), Decimal(1)
        if direction == "maintain":
            return Decimal(rng.randint(20, 60)), Decimal(0)
        return Decimal(rng.randint(0, 50)), Decimal(rng.randint(1, 10))

    @staticmethod
    def _clip(measure, value):
        if measure == "percentage":
            return min(max(value, Decimal(0)), Decimal(100))
        return max(value, Decimal(0))

    def _tree(self, framework, code, n_indicators, lines):
        """Impact, 3 outcomes, 2 intermediate outcomes each, then outputs with two activities each.

        Nested-set fields are computed here and the rows bulk-inserted: mptt's one-at-a-time inserts
        would take minutes for a large tree. Returns the results that carry indicators (outputs and
        activities, plus the upper levels) in tree order.
        """
        tree_id = (Result.objects.aggregate(m=Max("tree_id"))["m"] or 0) + 1
        n_outputs = max(1, (n_indicators // 4 - 10) // 3)
        spec = {"code": f"{code}-IMP", "level": Level.IMPACT, "children": []}
        counter = {"out": 0}
        for o in range(1, 4):
            outcome = {"code": f"{code}-OC-{o}", "level": Level.OUTCOME, "children": []}
            spec["children"].append(outcome)
            for m in range(1, 3):
                io = {"code": f"{code}-IO-{o}.{m}", "level": Level.INTERMEDIATE_OUTCOME, "children": []}
                outcome["children"].append(io)
        ios = [io for outcome in spec["children"] for io in outcome["children"]]
        for n in range(n_outputs):
            counter["out"] += 1
            out_code = f"{code}-OUT-{counter['out']}"
            output = {"code": out_code, "level": Level.OUTPUT, "children": [
                {"code": f"{code}-ACT-{counter['out']}.{a}", "level": Level.ACTIVITY, "children": []}
                for a in (1, 2)
            ]}
            ios[n % len(ios)]["children"].append(output)

        rows: list[Result] = []
        position = {"next": 1}

        def visit(node, parent_index, depth, order):
            index = len(rows)
            line = lines[index % len(lines)] if lines and node["level"] >= Level.OUTPUT else None
            result = Result(framework=framework, level=node["level"], code=node["code"],
                            statement=f"Synthetic result {node['code']}", order=order, business_line=line,
                            tree_id=tree_id, mptt_level=depth, lft=position["next"], rght=0)
            result._parent_index = parent_index
            rows.append(result)
            position["next"] += 1
            for child_order, child in enumerate(node["children"], start=1):
                visit(child, index, depth + 1, child_order)
            result.rght = position["next"]
            position["next"] += 1

        visit(spec, None, 0, 0)
        # Parents first, so each child can point at its saved parent.
        by_depth: dict[int, list[Result]] = {}
        for result in rows:
            by_depth.setdefault(result.mptt_level, []).append(result)
        for depth in sorted(by_depth):
            for result in by_depth[depth]:
                if result._parent_index is not None:
                    result.parent = rows[result._parent_index]
            Result.objects.bulk_create(by_depth[depth], batch_size=1000)
        return rows
