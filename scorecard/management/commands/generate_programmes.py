"""Generate N synthetic country programmes of M indicators aligned to a corporate chain, with approved
figures, and corporate indicators computed over them (issue 18), for the scale benchmark.

    manage.py generate_programmes --corporate SYN --programmes 100 --indicators 500 --periods 20

Each programme is a country-programme framework (Impact, Outcome, Intermediate Outcome, M / 50
outputs) whose outputs align to the corporate chain's outputs. Its indicators cycle through a
cumulative count of cities, a latest count of cities, a percentage and a rating, each with a
baseline, an approved target and an approved measurement per period. The corporate chain gets, for
each of its first --computed outputs, a computed indicator summing the programmes' cumulative city
counts aligned to it (its targets are the sums of theirs) and one counting the programmes that met
their target. Written with bulk inserts (no audit history: synthetic rows), one transaction per
programme. The figures are random and illustrative: every framework says so.
"""
import random
from datetime import datetime, timezone
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max

from indicators.models import Baseline, Computation, Contribution, Indicator, Measurement, ReportingPeriod, Target
from indicators.periods import YEAR, PeriodSpec
from results.levels import Level
from results.models import Alignment, Result, ResultsFramework

from .generate_organisation import SYNTHETIC

# (kind, measure, aggregation, unit), by an indicator's place on its output: the first is summed.
PROFILES = [
    ("quantitative", "number", "sum", "cities"),
    ("quantitative", "number", "latest", "cities"),
    ("quantitative", "percentage", "latest", ""),
    ("qualitative", "rating", "latest", ""),
]
RATINGS = ["on_track", "needs_attention", "off_track"]
PER_OUTPUT = 50


def _insert(model, rows: list[dict]) -> None:
    """INSERT plain rows (field attname -> value; the field's default otherwise) with executemany: a
    million model instances through bulk_create would take most of the set-up's time."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = [(f.attname, f.get_default()) for f in fields]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(row.get(name, default) for name, default in defaults) for row in rows])


class Command(BaseCommand):
    help = "Generate synthetic country programmes aligned to a corporate chain, with computed corporate indicators."

    def add_arguments(self, parser):
        parser.add_argument("--corporate", required=True, help="Code of the corporate framework to align to.")
        parser.add_argument("--programmes", type=int, default=100)
        parser.add_argument("--indicators", type=int, default=500, help="Indicators per programme.")
        parser.add_argument("--periods", type=int, default=20, help="Fiscal years of targets and measurements.")
        parser.add_argument("--computed", type=int, default=10, help="Corporate outputs given computed indicators.")
        parser.add_argument("--prefix", default="PRG", help="Programme codes are <prefix>001, <prefix>002, ...")
        parser.add_argument("--last-year", type=int, default=2025)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, corporate, programmes, indicators, periods, computed, prefix, last_year, seed, **options):
        if programmes < 1 or indicators < 1 or periods < 1:
            raise CommandError("--programmes, --indicators and --periods must be at least 1.")
        prefix = prefix.upper()
        framework = ResultsFramework.objects.filter(code=corporate.upper()).first()
        if framework is None:
            raise CommandError(f"There is no framework {corporate!r} to align the programmes to.")
        targets = list(Result.objects.filter(framework=framework, level=Level.OUTPUT).order_by("tree_id", "lft"))
        if not targets:
            raise CommandError(f"{framework.code} has no outputs to align the programmes to.")
        if ResultsFramework.objects.filter(code__startswith=prefix).exists():
            raise CommandError(f"Programmes coded {prefix}... exist already; choose another --prefix.")
        rng = random.Random(seed)
        first_year = last_year - periods + 1
        period_rows = [self._period(year) for year in range(first_year - 1, last_year + 1)]
        baseline_period, period_rows = period_rows[0], period_rows[1:]
        n_outputs = max(1, indicators // PER_OUTPUT)
        # contributions[k]: the summed indicator of each programme's output k, with its baseline and targets
        contributions: dict[int, list[tuple]] = {k: [] for k in range(min(computed, n_outputs, len(targets)))}
        now = datetime.now(timezone.utc)
        totals = {"indicators": 0, "measurements": 0}
        for p in range(1, programmes + 1):
            with transaction.atomic():
                self._programme(f"{prefix}{p:03d}", p, framework, targets, indicators, n_outputs, first_year,
                                last_year, baseline_period, period_rows, contributions, totals, rng, now)
        with transaction.atomic():
            made = self._computed(framework, prefix, targets, contributions, baseline_period, period_rows,
                                  programmes, now)
        self.stdout.write(self.style.SUCCESS(
            f"{programmes} programmes ({prefix}001...) aligned to {framework.code}: {totals['indicators']} indicators, "
            f"{totals['measurements']} measurements over {periods} periods; {made} computed corporate indicators."))

    @staticmethod
    def _period(year):
        spec = PeriodSpec(YEAR, year, 0)
        period, _ = ReportingPeriod.objects.get_or_create(
            label=spec.label, defaults={"kind": YEAR, "fiscal_year": year, "number": 0, "start": spec.start,
                                        "end": spec.end})
        return period

    def _programme(self, code, number, corporate, targets, n_indicators, n_outputs, first_year, last_year,
                   baseline_period, period_rows, contributions, totals, rng, now):
        framework = ResultsFramework.objects.create(
            code=code, name=f"Synthetic programme {code}", kind=ResultsFramework.Kind.COUNTRY, order=900 + number,
            first_fiscal_year=first_year - 1, last_fiscal_year=last_year,
            description=f"{SYNTHETIC}: an illustrative country programme with random figures.")
        tree_id = (Result.objects.aggregate(m=Max("tree_id"))["m"] or 0) + 1
        top = 4 + 2 * n_outputs  # the intermediate outcome's right edge
        made = {}
        for level, lft, rght, parent in ((Level.IMPACT, 1, top + 2, None), (Level.OUTCOME, 2, top + 1, Level.IMPACT),
                                         (Level.INTERMEDIATE_OUTCOME, 3, top, Level.OUTCOME)):
            made[level] = Result.objects.bulk_create([Result(
                framework=framework, level=level, code=f"{code}-{Level(level).name[:3].upper()}",
                statement=f"Synthetic result of {code}", parent=made.get(parent), tree_id=tree_id,
                mptt_level=len(made), lft=lft, rght=rght)])[0]
        outputs = Result.objects.bulk_create([Result(
            framework=framework, level=Level.OUTPUT, code=f"{code}-OUT-{k + 1}", statement=f"Synthetic output {k + 1}",
            parent=made[Level.INTERMEDIATE_OUTCOME], order=k + 1, tree_id=tree_id, mptt_level=3,
            lft=4 + 2 * k, rght=5 + 2 * k) for k in range(n_outputs)])
        Alignment.objects.bulk_create([Alignment(source=out, target=targets[k % len(targets)], note="Synthetic")
                                       for k, out in enumerate(outputs)])
        rows = []
        for i in range(n_indicators):
            kind, measure, aggregation, unit = PROFILES[(i // n_outputs) % len(PROFILES)]
            rows.append(Indicator(result=outputs[i % n_outputs], code=f"{code}-I{i + 1:04d}",
                                  name=f"Synthetic programme indicator {i + 1} ({measure}, {aggregation})",
                                  definition="Illustrative synthetic indicator for benchmarks.", kind=kind,
                                  measure=measure, unit=unit, aggregation=aggregation, order=i))
        created = Indicator.objects.bulk_create(rows, batch_size=1000)
        stamp = connection.ops.adapt_datetimefield_value(now)  # as the ORM would store it
        baselines, target_rows, measurements = [], [], []
        for i, indicator in enumerate(created):
            measure = indicator.measure
            if indicator.kind == "qualitative":
                baselines.append(dict(indicator_id=indicator.pk, measure=measure, text="Synthetic starting point",
                                      period_id=baseline_period.pk, status="validated"))
                for period in period_rows:
                    target_rows.append(dict(indicator_id=indicator.pk, period_id=period.pk, measure=measure,
                                            rating="on_track", status="approved", approved_rating="on_track",
                                            approved_at=stamp))
                    rating = rng.choice(RATINGS)
                    measurements.append(dict(indicator_id=indicator.pk, period_id=period.pk, measure=measure,
                                             rating=rating, approved_rating=rating, approved_at=stamp, status="approved"))
                continue
            base = Decimal(rng.randint(10, 40)) if measure == "percentage" else Decimal(rng.randint(0, 20))
            step = Decimal(rng.randint(1, 5))
            baselines.append(dict(indicator_id=indicator.pk, measure=measure, value=base,
                                  period_id=baseline_period.pk, status="validated"))
            planned = {}
            for n, period in enumerate(period_rows, start=1):
                if indicator.aggregation == "sum":
                    target, actual = base + step * n, step * Decimal(rng.randint(50, 130)) / 100
                else:
                    target = base + step * n
                    actual = base + step * n * Decimal(rng.randint(40, 120)) / 100
                if measure == "percentage":
                    target, actual = min(target, Decimal(100)), min(actual, Decimal(100))
                target, actual = target.quantize(Decimal("0.01")), actual.quantize(Decimal("0.01"))
                planned[period.pk] = target
                target_rows.append(dict(indicator_id=indicator.pk, period_id=period.pk, measure=measure, value=target,
                                        status="approved", approved_value=target, approved_at=stamp))
                measurements.append(dict(indicator_id=indicator.pk, period_id=period.pk, measure=measure,
                                         value=actual, approved_value=actual, approved_at=stamp, status="approved"))
            k = i % n_outputs
            if i < n_outputs and k in contributions:  # the first indicator of each output is the summed one
                contributions[k].append((indicator.pk, base, planned))
        for model, rows in ((Baseline, baselines), (Target, target_rows), (Measurement, measurements)):
            _insert(model, rows)
        totals["indicators"] += len(created)
        totals["measurements"] += len(measurements)

    @staticmethod
    def _computed(corporate, prefix, targets, contributions, baseline_period, period_rows, programmes, now):
        made = 0
        for k, parts in contributions.items():
            result = targets[k % len(targets)]
            total = Indicator.objects.create(
                result=result, code=f"{corporate.code}-{prefix}-SUM{k + 1}", unit="cities", aggregation="sum",
                name=f"Cities supported by the programmes aligned to {result.code} (computed, illustrative)",
                definition="Illustrative: the sum of the synthetic programmes' cumulative counts.")
            met = Indicator.objects.create(
                result=result, code=f"{corporate.code}-{prefix}-MET{k + 1}", unit="programmes", aggregation="latest",
                name=f"Programmes aligned to {result.code} meeting their target (computed, illustrative)",
                definition="Illustrative: the number of synthetic programmes that met their target.")
            Baseline.objects.create(indicator=total, measure="number", value=sum(b for _, b, _ in parts),
                                    period=baseline_period, status="validated")
            Baseline.objects.create(indicator=met, measure="number", value=Decimal(0), period=baseline_period,
                                    status="validated")
            rows = []
            for period in period_rows:
                value = sum(planned[period.pk] for _, _, planned in parts)
                rows.append(Target(indicator=total, period=period, measure="number", value=value, status="approved",
                                   approved_value=value, approved_at=now))
                goal = Decimal(max(1, programmes * 6 // 10))
                rows.append(Target(indicator=met, period=period, measure="number", value=goal, status="approved",
                                   approved_value=goal, approved_at=now))
            Target.objects.bulk_create(rows)
            for indicator, kind in ((total, Computation.Kind.SUM), (met, Computation.Kind.COUNT_MET)):
                computation = Computation.objects.create(indicator=indicator, kind=kind, note="Synthetic.")
                Contribution.objects.bulk_create([Contribution(computation=computation, indicator_id=pk)
                                                  for pk, _, _ in parts], batch_size=2000)
                made += 1
        return made
