"""Builders of the hand-calculated test chain (see test_scorecard.py for the calculations).

Built with plain ORM creates on the indicators models (their services are written elsewhere).
The scorecard's period of reference is FY2016 (the latest with approved figures).
"""
from datetime import datetime, timezone
from decimal import Decimal

from indicators.models import Baseline, Indicator, Measurement, PerformanceStandard, ReportingPeriod, Target
from indicators.periods import parse_period_label
from results import services as result_services
from results.levels import Level
from results.models import Alignment, ResultsFramework

D = Decimal
APPROVED_AT = datetime(2016, 8, 1, tzinfo=timezone.utc)


def period(label: str) -> ReportingPeriod:
    spec = parse_period_label(label)
    found, _ = ReportingPeriod.objects.get_or_create(
        label=spec.label, defaults=dict(kind=spec.kind, fiscal_year=spec.fiscal_year, number=spec.number,
                                        start=spec.start, end=spec.end))
    return found


def indicator(result, code, **fields) -> Indicator:
    fields.setdefault("name", f"Indicator {code}")
    return Indicator.objects.create(result=result, code=code, **fields)


def baseline(ind, value=None, at="FY2014", status="validated", text=""):
    return Baseline.objects.create(indicator=ind, measure=ind.measure, value=value, text=text,
                                   period=period(at) if at else None, status=status)


def target(ind, at, value=None, rating="", status="approved", approved=None):
    """An approved target (approved_* = the figures) unless status says otherwise. A preliminary or
    returned target is a revision of an earlier approved one when `approved` gives that figure
    (a value, or a rating for a qualitative indicator); else it was never approved."""
    fields = dict(indicator=ind, period=period(at), measure=ind.measure, value=value, rating=rating,
                  status=status)
    if status == "approved":
        fields.update(approved_value=value, approved_rating=rating, approved_at=APPROVED_AT)
    elif approved is not None:
        rated = ind.measure == "rating"
        fields.update(approved_value=None if rated else approved, approved_rating=approved if rated else "",
                      approved_at=APPROVED_AT)
    return Target.objects.create(**fields)


def measurement(ind, at, value=None, rating="", approved=True, **working):
    """An approved measurement (approved_* = the figures) unless approved=False (a draft)."""
    fields = dict(indicator=ind, period=period(at), measure=ind.measure, value=value, rating=rating,
                  status="approved" if approved else "draft")
    if approved:
        fields.update(approved_value=value, approved_rating=rating, approved_at=APPROVED_AT)
    fields.update(working)
    return Measurement.objects.create(**fields)


def build_scorecard_data() -> dict:
    """The hand-calculated chain SC (corporate) and a Secretariat chain SSC aligned to it."""
    line = result_services.business_line_create(code="CP", name="Country Programmes")
    fw = result_services.framework_create(code="SC", name="Test corporate chain",
                                          kind=ResultsFramework.Kind.CORPORATE)
    imp = result_services.result_create(framework=fw, level=Level.IMPACT, code="SC-IMP", statement="Impact")
    oc = result_services.result_create(framework=fw, parent=imp, level=Level.OUTCOME, code="SC-OC",
                                       statement="Cities are better governed")
    io = result_services.result_create(framework=fw, parent=oc, level=Level.INTERMEDIATE_OUTCOME, code="SC-IO",
                                       statement="Clients adopt strategies")
    out1 = result_services.result_create(framework=fw, parent=io, level=Level.OUTPUT, code="SC-OUT-1", order=1,
                                         statement="Cities supported", business_line=line)
    out2 = result_services.result_create(framework=fw, parent=io, level=Level.OUTPUT, code="SC-OUT-2", order=2,
                                         statement="Knowledge products")

    # Outcome. INC: increasing, latest value; FY2016 approved 20 is under revision (working value 24).
    inc = indicator(oc, "INC", unit="cities", direction="increase", aggregation="latest", order=1)
    baseline(inc, D(10))
    target(inc, "FY2015", D(20))
    target(inc, "FY2016", D(25))
    measurement(inc, "FY2015", D(16))
    Measurement.objects.create(indicator=inc, period=period("FY2016"), measure="number", value=D(24),
                               status="submitted", approved_value=D(20), approved_at=APPROVED_AT, revision=2)
    # DEC: decreasing percentage (slum share), latest value.
    dec = indicator(oc, "DEC", measure="percentage", direction="decrease", aggregation="latest", order=2)
    baseline(dec, D(40), status="collected")
    target(dec, "FY2016", D(20))
    measurement(dec, "FY2015", D(35))
    measurement(dec, "FY2016", D(22))

    # Intermediate outcome. PCT: increasing percentage. QUAL: qualitative, rated.
    pct = indicator(io, "PCT", measure="percentage", direction="increase", aggregation="latest", order=1)
    baseline(pct, D(30))
    target(pct, "FY2016", D(60))
    measurement(pct, "FY2016", D(45))
    qual = indicator(io, "QUAL", kind="qualitative", measure="rating", aggregation="latest", order=2)
    baseline(qual, text="No city strategy in place")
    target(qual, "FY2015", rating="needs_attention")
    target(qual, "FY2016", rating="on_track")
    measurement(qual, "FY2015", rating="off_track")
    measurement(qual, "FY2016", rating="needs_attention")

    # Output 1 (Country Programmes). CUM: cumulative count, weight 3; LAT: latest, its approved target
    # of 100 under revision (80 proposed, not yet approved).
    cum = indicator(out1, "CUM", unit="cities", direction="increase", aggregation="sum", weight=D(3), order=1)
    baseline(cum, D(5))  # the total at the end of FY2014
    measurement(cum, "FY2014", D(3))  # already inside the baseline: must not be counted again
    measurement(cum, "FY2015", D(4))
    measurement(cum, "FY2016", D(6))
    target(cum, "FY2016", D(17))
    lat = indicator(out1, "LAT", direction="increase", aggregation="latest", order=2)
    baseline(lat, D(0))
    target(lat, "FY2016", D(80), status="preliminary", approved=D(100))
    measurement(lat, "FY2015", D(120))
    measurement(lat, "FY2016", D(95))

    # Output 2. NODATA: only a draft; NOBASE: planned baseline, own standard; FUT: due in FY2017 only.
    nodata = indicator(out2, "NODATA", direction="increase", aggregation="latest", order=1)
    baseline(nodata, D(1))
    target(nodata, "FY2016", D(50))
    measurement(nodata, "FY2016", D(45), approved=False)
    nobase = indicator(out2, "NOBASE", direction="increase", aggregation="latest", order=2)
    baseline(nobase, None, at=None, status="planned")
    target(nobase, "FY2016", D(200))
    measurement(nobase, "FY2016", D(150))
    PerformanceStandard.objects.create(indicator=nobase, name="NOBASE standard", on_track=D("0.70"),
                                       needs_attention=D("0.50"))
    fut = indicator(out2, "FUT", direction="increase", aggregation="latest", order=3)
    baseline(fut, D(0))
    target(fut, "FY2017", D(10))
    # PRELIM: its FY2016 target was never approved (only proposed), so it is not due in FY2016.
    prelim = indicator(out2, "PRELIM", direction="increase", aggregation="latest", order=4)
    baseline(prelim, D(0))
    target(prelim, "FY2016", D(10), status="preliminary")
    measurement(prelim, "FY2016", D(2))

    # The Secretariat chain: SSC-OUT-1 supports SC-OUT-1.
    sec = result_services.framework_create(code="SSC", name="Test Secretariat chain",
                                           kind=ResultsFramework.Kind.SECRETARIAT, order=1)
    simp = result_services.result_create(framework=sec, level=Level.IMPACT, code="SSC-IMP", statement="Impact")
    soc = result_services.result_create(framework=sec, parent=simp, level=Level.OUTCOME, code="SSC-OC",
                                        statement="Secretariat outcome")
    sio = result_services.result_create(framework=sec, parent=soc, level=Level.INTERMEDIATE_OUTCOME,
                                        code="SSC-IO", statement="Secretariat IO")
    sout = result_services.result_create(framework=sec, parent=sio, level=Level.OUTPUT, code="SSC-OUT-1",
                                         statement="Secretariat support delivered")
    sinc = indicator(sout, "SINC", direction="increase", aggregation="latest")
    baseline(sinc, D(0))
    target(sinc, "FY2016", D(10))
    measurement(sinc, "FY2016", D(10))
    result_services.alignment_create(source=sout, target=out1, relation=Alignment.Relation.SUPPORTS)

    return {"framework": fw, "secretariat": sec, "line": line, "inc": inc, "dec": dec, "pct": pct,
            "qual": qual, "cum": cum, "lat": lat, "nodata": nodata, "nobase": nobase, "fut": fut,
            "prelim": prelim}
