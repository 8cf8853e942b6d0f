"""The judged journey, end to end with Django's test client and the demo data.

Officer records a baseline and a measurement with evidence and submits; the manager returns it with
a note; the officer sees the note, corrects and resubmits; the manager approves; the history shows
every step; the Executive Committee reads all of it and can change none of it.
"""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from indicators.demo import demo_calendar
from indicators.models import Baseline, Indicator, Measurement

# The demo's periods are the last fiscal years before today (indicators/demo.py).
BASE, _, _, Y0 = demo_calendar().years
NEXT = demo_calendar().current_year


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def login(client, username):
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": f"{username}-demo"})
    assert response.status_code == 302, f"{username} could not log in"


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # demo users and demo data are development-only
    call_command("load_chains", verbosity=0)
    call_command("create_demo_users", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    settings.DEBUG = False


def test_the_review_journey(client, demo):
    # 1. The officer's worklist shows the missing baseline and the measurement due.
    login(client, "officer")
    worklist = text(client.get(reverse("indicators:worklist")))
    assert "SEC-OUT-3-I1" in worklist[worklist.index("Baselines missing"):]
    due = worklist[worklist.index("Measurements due"):worklist.index("Baselines missing")]
    assert "CORP-OUT-3-I1" in due and Y0 in due

    # 2. Record the baseline. SEC-OUT-3-I1 already has an approved Y-2 measurement, so the baseline
    # re-scores approved figures: it goes to a manager, and nothing changes until it is approved.
    baseline = Baseline.objects.get(indicator__code="SEC-OUT-3-I1")
    edit_baseline = reverse("indicators:baseline_edit", args=["SEC-OUT-3-I1"])
    assert "goes to a manager for review" in text(client.get(edit_baseline))
    response = client.post(edit_baseline, {
        "value": "9,800", "period": BASE, "status": "collected", "source": f"Analytics export, {BASE}",
        "due_date": baseline.due_date.isoformat(), "version": baseline.version,
        "reason": f"The {BASE} export was found."})
    assert response.status_code == 302
    baseline.refresh_from_db()
    assert (baseline.value, baseline.status) == (None, "planned")  # the approved state still holds
    assert baseline.source == f"Analytics export, {BASE}"  # what does not score is written at once
    login(client, "manager")
    queue = text(client.get(reverse("indicators:review_queue")))
    assert "SEC-OUT-3-I1" in queue and "Value: — → 9,800 downloads" in queue
    proposal = baseline.indicator.proposals.get()
    page = reverse("indicators:proposal", args=["SEC-OUT-3-I1", proposal.pk])
    assert "Effect on the scorecard" in text(client.get(page))
    response = client.post(page, {"version": proposal.version, "action_approve": "1"})
    assert response.status_code == 302
    baseline.refresh_from_db()
    assert (baseline.value, baseline.status, baseline.collected_by.username) == (9800, "collected", "officer")
    login(client, "officer")

    # 3. Record a measurement with evidence and submit it.
    new = reverse("indicators:measurement_create", args=["CORP-OUT-3-I1"])
    assert Y0 in text(client.get(new + f"?period={Y0}"))
    response = client.post(new, {
        "period": Y0, "value": "520", "version": "0", "comment": "Eleven courses.",
        "so_what": "Materials reused by two national institutes.",
        "evidence": SimpleUploadedFile("attendance.pdf", b"%PDF-1.4 attendance", content_type="application/pdf"),
        "action_submit": "1"})
    assert response.status_code == 302
    m = Measurement.objects.get(indicator__code="CORP-OUT-3-I1", period__label=Y0)
    assert (m.status, m.value, m.submitted_by.username) == ("submitted", 520, "officer")
    page = text(client.get(reverse("indicators:measurement", args=["CORP-OUT-3-I1", Y0])))
    assert "Return for revision" not in page  # an officer cannot review

    # 4. The manager returns it with a note.
    login(client, "manager")
    queue = text(client.get(reverse("indicators:review_queue")))
    assert "CORP-OUT-3-I1" in queue and "520" in queue
    page = text(client.get(reverse("indicators:measurement", args=["CORP-OUT-3-I1", Y0])))
    assert "attendance" in page and "Return for revision" in page
    response = client.post(reverse("indicators:measurement_review", args=["CORP-OUT-3-I1", Y0]), {
        "version": m.version + 0, "note": "The attendance list shows 502 participants, not 520.",
        "action_return": "1"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.reviewed_by.username) == ("returned", "manager")

    # 5. The officer sees the note, corrects and resubmits.
    login(client, "officer")
    worklist = text(client.get(reverse("indicators:worklist")))
    assert "The attendance list shows 502 participants, not 520." in worklist
    edit = reverse("indicators:measurement_edit", args=["CORP-OUT-3-I1", Y0])
    form = text(client.get(edit))
    assert "The attendance list shows 502 participants, not 520." in form and 'value="520"' in form
    response = client.post(edit, {"value": "502", "version": m.version, "comment": "Corrected count.",
                                  "so_what": "Materials reused by two national institutes.",
                                  "action_submit": "1"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.value, bool(m.evidence)) == ("submitted", 502, True)

    # 6. The manager approves.
    login(client, "manager")
    response = client.post(reverse("indicators:measurement_review", args=["CORP-OUT-3-I1", Y0]),
                           {"version": m.version, "action_approve": "1"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.approved_value, m.reviewed_by.username) == ("approved", 502, "manager")

    # 7. The history shows every step, who did it and the note (to the M&E staff; the Executive
    # Committee, reading approved figures only, sees the approval).
    step = re.compile(r"<td data-label=\"Who\">(Olivia Officer|Manuel Manager)</td> <td data-label=\"What\">Measurement " + Y0
                      + r"<div class=\"text-muted\">([^<]+)</div>")
    login(client, "committee")
    page = text(client.get(reverse("indicators:indicator", args=["CORP-OUT-3-I1"])))
    assert step.findall(page[page.index('id="history-title"'):]) == [("Manuel Manager", "Approved")]
    committee_page = page
    login(client, "manager")
    page = text(client.get(reverse("indicators:indicator", args=["CORP-OUT-3-I1"])))
    history = page[page.index('id="history-title"'):]
    steps = step.findall(history)
    assert steps == [  # newest first
        ("Manuel Manager", "Approved"),
        ("Olivia Officer", "Submitted for review"),
        ("Olivia Officer", "Measurement edited"),
        ("Manuel Manager", "Returned for revision"),
        ("Olivia Officer", "Submitted for review"),
        ("Olivia Officer", "Measurement drafted"),
    ]
    assert "The attendance list shows 502 participants, not 520." in history
    assert "<del class=\"text-muted\">520</del> → 502" in history
    baseline_page = text(client.get(reverse("indicators:indicator", args=["SEC-OUT-3-I1"])))
    assert "Baseline recorded" in baseline_page or "Baseline updated" in baseline_page
    assert "9,800 downloads" in baseline_page

    # 8. The Executive Committee reads everything and changes nothing.
    login(client, "committee")
    page = committee_page
    table = page[page.index("periods-title"):page.index("history-title")]
    assert "1,302 people" in table  # approved actual: baseline 0 + 420 + 380 + 502
    evidence = client.get(reverse("indicators:evidence", args=[m.pk]))
    assert evidence.status_code == 200
    before = list(Measurement.objects.order_by("pk").values_list("pk", "status", "value", "version"))
    writes = [
        (reverse("indicators:measurement_edit", args=["CORP-OUT-3-I1", Y0]), {"value": "1", "version": m.version}),
        (reverse("indicators:measurement_create", args=["CORP-OUT-3-I1"]), {"period": NEXT, "value": "1"}),
        (reverse("indicators:measurement_review", args=["CORP-OUT-1-I1", Y0]), {"action_approve": "1", "version": 3}),
        (reverse("indicators:baseline_edit", args=["CORP-OUT-3-I1"]), {"value": "1"}),
        (reverse("indicators:target_create", args=["CORP-OUT-3-I1"]), {"period": NEXT, "value": "1"}),
        (reverse("indicators:target_edit", args=["CORP-OUT-3-I1", Y0]), {"value": "1"}),
        (reverse("indicators:target_review", args=["SEC-OUT-3-I1", Y0]), {"action_approve": "1"}),
        (reverse("indicators:indicator_edit", args=["CORP-OUT-3-I1"]), {"name": "x"}),
        (reverse("indicators:indicator_create"), {"code": "X"}),
    ]
    for url, data in writes:
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, data).status_code == 403, url
    assert list(Measurement.objects.order_by("pk").values_list("pk", "status", "value", "version")) == before
    assert not Indicator.objects.filter(code="X").exists()
    for label in ("Record a measurement", "Edit indicator", "Add a target"):
        assert label not in page
