"""Shared fixtures and factories for the whole suite."""
import itertools
from dataclasses import dataclass
from email.message import EmailMessage
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from citiesalliance import roles
from results import services as result_services
from results.levels import Level
from results.models import ResultsFramework

_seq = itertools.count(1)


def pytest_configure(config):
    """Transactional tests end with a flush that also empties what data migrations created (the
    role groups, the default performance standard). Flush emits post_migrate, so put them back
    then, for whichever test comes next. Test infrastructure only."""
    from django.conf import settings
    from django.db.models.signals import post_migrate

    from citiesalliance.catalogues import catalogues_compile

    post_migrate.connect(_restore_migration_data, dispatch_uid="tests-restore-migration-data")
    # The translation catalogues' .mo files are not in git: compiled here when stale, so that
    # `pytest` alone sees the pages in French as `make test` does.
    catalogues_compile(root=settings.BASE_DIR)


def _restore_migration_data(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "indicators":  # once a flush, after its models
        return
    from decimal import Decimal

    from indicators.models import PerformanceStandard

    roles.roles_ensure()
    if not PerformanceStandard.objects.using(using).filter(indicator__isnull=True).exists():
        PerformanceStandard.objects.using(using).create(
            name="Default standard", on_track=Decimal("0.90"), needs_attention=Decimal("0.60"),
            tolerance=Decimal("0"))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the figures' stamp is made of database ids, which a
    rolled-back test can hand out again to different data (production never rolls back a committed row)."""
    from django.core.cache import caches
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts and ends in the site's language: a request in another language (LocaleMiddleware)
    leaves it active in the thread, and the next test would read French words and figures."""
    from django.utils import translation
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_user(db):
    def make(role: str | None = None, *, username: str | None = None, **extra):
        username = username or f"user{next(_seq)}"
        user = get_user_model().objects.create_user(username=username, password="pw-for-tests", **extra)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user
    return make


@pytest.fixture
def officer(make_user):
    return make_user(roles.OFFICER, username="officer1")


@pytest.fixture
def manager(make_user):
    return make_user(roles.MANAGER, username="manager1")


@pytest.fixture
def committee(make_user):
    return make_user(roles.COMMITTEE, username="committee1")


@pytest.fixture
def administrator(make_user):
    return make_user(roles.ADMINISTRATOR, username="admin1", is_staff=True)


@pytest.fixture
def make_framework(db):
    def make(code=None, kind=ResultsFramework.Kind.CORPORATE, **extra):
        code = code or f"FW{next(_seq)}"
        return result_services.framework_create(code=code, name=extra.pop("name", f"Framework {code}"),
                                                kind=kind, **extra)
    return make


@pytest.fixture
def make_chain(make_framework):
    """A framework with an Impact, an Outcome, an Intermediate Outcome and `outputs` outputs."""
    def make(code=None, outputs=2, activities_per_output=0, kind=ResultsFramework.Kind.CORPORATE):
        fw = make_framework(code=code, kind=kind)
        impact = result_services.result_create(framework=fw, level=Level.IMPACT, code=f"{fw.code}-IMP",
                                               statement="Impact statement")
        outcome = result_services.result_create(framework=fw, parent=impact, level=Level.OUTCOME,
                                                code=f"{fw.code}-OC", statement="Outcome statement")
        io = result_services.result_create(framework=fw, parent=outcome, level=Level.INTERMEDIATE_OUTCOME,
                                           code=f"{fw.code}-IO", statement="Intermediate outcome statement")
        outs = []
        for n in range(1, outputs + 1):
            out = result_services.result_create(framework=fw, parent=io, level=Level.OUTPUT, order=n,
                                                code=f"{fw.code}-OUT-{n}", statement=f"Output {n}")
            outs.append(out)
            for m in range(1, activities_per_output + 1):
                result_services.result_create(framework=fw, parent=out, level=Level.ACTIVITY, order=m,
                                              code=f"{fw.code}-ACT-{n}-{m}", statement=f"Activity {n}.{m}")
        return {"framework": fw, "impact": impact, "outcome": outcome, "io": io, "outputs": outs}
    return make


@pytest.fixture
def seeded_chains(db):
    from django.core.management import call_command
    call_command("load_chains", verbosity=0)
    return ResultsFramework.objects.order_by("order")


@pytest.fixture
def make_indicator(make_chain, officer):
    """An indicator (through the indicators services) on a fresh chain's first output, or on `result`."""
    from indicators import services as indicator_services

    def make(result=None, *, code=None, by=None, **fields):
        if result is None:
            result = make_chain()["outputs"][0]
        fields.setdefault("name", "Cities supported")
        fields.setdefault("unit", "cities")
        fields.setdefault("responsible", officer)
        return indicator_services.indicator_create(by=by or officer, result=result,
                                                   code=code or f"IND-{next(_seq)}", **fields)
    return make


@pytest.fixture
def scored(make_chain, make_indicator, officer, manager):
    """A cumulative indicator on a fresh corporate chain: baseline 10 (FY2013), approved target 30 for
    FY2015, approved actuals 5 (FY2014) and 5 (FY2015): progress (20 - 10) / (30 - 10) = 50%."""
    from indicators import services as indicator_services

    chain = make_chain(outputs=2)
    indicator = make_indicator(chain["outputs"][0], code="PROP-1", aggregation="sum")
    indicator_services.baseline_record(indicator=indicator, by=officer, value="10", period="FY2013")
    target = indicator_services.target_set(indicator=indicator, period="FY2015", by=officer, value="30")
    indicator_services.target_approve(target=target, by=manager, version=target.version)
    for period in ("FY2014", "FY2015"):
        m = indicator_services.measurement_record(indicator=indicator, period=period, by=officer, value="5",
                                                  evidence_url="https://example.org/e", so_what="Shared.", submit=True)
        indicator_services.measurement_approve(measurement=m, by=manager, version=m.version)
    indicator.refresh_from_db()
    return {"indicator": indicator, "chain": chain}


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1, and the site's mail pointed at it.

    Yields an object with `.messages`, a list of ReceivedMail in the order they arrived; the mail
    settings are what EMAIL_URL=smtp://127.0.0.1:<port> gives. Stopped after the test.
    """
    import socket
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    from citiesalliance.settings import email_settings

    received: list[ReceivedMail] = []

    class Collect:
        async def handle_DATA(self, server, session, envelope):
            received.append(ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos),
                                         message_from_bytes(envelope.original_content, policy=policy.default)))
            return "250 Message accepted for delivery"

    with socket.socket() as probe:  # a free port (aiosmtpd needs a real number to check it is up)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in email_settings(f"smtp://127.0.0.1:{port}").items():
        setattr(settings, name, value)
    try:
        yield SimpleNamespace(host="127.0.0.1", port=port, messages=received)
    finally:
        controller.stop()


@pytest.fixture
def programmes(make_chain, make_indicator, officer, manager):
    """Issue 18: a corporate chain and two country programmes whose first outputs align to the corporate
    first output. P1-CITIES is cumulative (baseline 10 at FY2013, approved 5 in FY2014 and 5 in FY2015:
    running total 20), P2-CITIES takes its latest value (approved 3, then 7); each has an approved FY2015
    target (P1: 20, met; P2: 10, not met). CORP-CITIES (cumulative, cities, target 40 in FY2015) is
    computed as their sum by `define`."""
    from indicators import services as indicator_services
    from results import services as result_services

    corporate = make_chain(code="CRP", outputs=1)
    chains = [make_chain(code=code, outputs=1, kind=ResultsFramework.Kind.COUNTRY) for code in ("PA", "PB")]
    for chain in chains:
        result_services.alignment_create(source=chain["outputs"][0], target=corporate["outputs"][0])
    corp = make_indicator(corporate["outputs"][0], code="CORP-CITIES", aggregation="sum")
    target = indicator_services.target_set(indicator=corp, period="FY2015", by=officer, value="40")
    indicator_services.target_approve(target=target, by=manager, version=target.version)
    p1 = make_indicator(chains[0]["outputs"][0], code="P1-CITIES", aggregation="sum")
    p2 = make_indicator(chains[1]["outputs"][0], code="P2-CITIES", aggregation="latest")
    indicator_services.baseline_record(indicator=p1, by=officer, value="10", period="FY2013")

    def approve(indicator, period, value):
        m = indicator_services.measurement_record(indicator=indicator, period=period, by=officer, value=value,
                                                  evidence_url="https://example.org/e", so_what="Shared.",
                                                  submit=True)
        return indicator_services.measurement_approve(measurement=m, by=manager, version=m.version)

    for indicator, value in ((p1, "20"), (p2, "10")):
        t = indicator_services.target_set(indicator=indicator, period="FY2015", by=officer, value=value)
        indicator_services.target_approve(target=t, by=manager, version=t.version)
    approve(p1, "FY2014", "5")
    approve(p1, "FY2015", "5")
    approve(p2, "FY2014", "3")
    approve(p2, "FY2015", "7")

    def define(kind="sum", codes=("P1-CITIES", "P2-CITIES"), indicator=None):
        return indicator_services.computation_define(indicator=indicator or corp, kind=kind, contributing=list(codes),
                                                     by=manager)

    return {"corporate": corporate, "chains": chains, "corp": corp, "p1": p1, "p2": p2, "define": define,
            "approve": approve}


@pytest.fixture
def two_programmes(make_chain, make_user, officer, manager):
    """A corporate chain and two country programmes A and B aligned to it, an indicator in each with
    an approved FY2014 actual and a submitted FY2015 one (the working figure), and people with roles
    within one programme only: an officer and a manager of A, an officer of B."""
    from indicators import services as indicator_services
    from results import programmes
    from results.models import ProgrammeRole

    corporate = make_chain(code="CORPX", outputs=1)
    chains = {"corporate": corporate,
              "A": make_chain(code="PRGA", outputs=1, kind=ResultsFramework.Kind.COUNTRY),
              "B": make_chain(code="PRGB", outputs=1, kind=ResultsFramework.Kind.COUNTRY)}
    people = {"officer A": make_user(username="officer-a"), "manager A": make_user(username="manager-a"),
              "officer B": make_user(username="officer-b")}
    for who, key, role in (("officer A", "A", ProgrammeRole.Role.OFFICER),
                           ("manager A", "A", ProgrammeRole.Role.MANAGER),
                           ("officer B", "B", ProgrammeRole.Role.OFFICER)):
        programmes.programme_role_set(by=None, person=people[who], framework=chains[key]["framework"], role=role)
    for key in ("A", "B"):
        result_services.alignment_create(source=chains[key]["io"], target=corporate["io"])
    indicators = {}
    for key, chain in chains.items():
        code = {"corporate": "CORPX-I1", "A": "PRGA-I1", "B": "PRGB-I1"}[key]
        indicator = indicator_services.indicator_create(by=officer, result=chain["outputs"][0], code=code,
                                                        name=f"Cities supported {key}", unit="cities",
                                                        responsible=officer, aggregation="sum")
        indicator_services.baseline_record(indicator=indicator, by=officer, value="10", period="FY2013")
        target = indicator_services.target_set(indicator=indicator, period="FY2015", by=officer, value="30")
        indicator_services.target_approve(target=target, by=manager, version=target.version)
        for period, value in (("FY2014", "5"), ("FY2015", "777")):
            m = indicator_services.measurement_record(indicator=indicator, period=period, by=officer, value=value,
                                                      evidence_url="https://example.org/e", so_what="Shared.",
                                                      submit=True)
            if period == "FY2014":
                indicator_services.measurement_approve(measurement=m, by=manager, version=m.version)
        indicators[key] = indicator
    fresh = {who: get_user_model().objects.get(pk=user.pk) for who, user in people.items()}
    return {"chains": chains, "people": fresh, "indicators": indicators}
