"""Regressions found by the load script and the form fuzzing (issue 7): no server error on a record
without a person, a clear message for every refused review, no orphan evidence file."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import services
from indicators.models import Measurement


def test_pages_of_an_indicator_without_a_responsible_person(client, committee, make_indicator, officer, manager):
    """`responsible` is optional (and SET_NULL when a user is deleted): the pages say "—", not 500."""
    indicator = make_indicator(code="NOBODY-1", responsible=None)
    target = services.target_set(indicator=indicator, period="FY2014", by=officer, value="5")
    target.proposed_by = None  # the proposer's account was deleted
    target.save()
    m = services.measurement_record(indicator=indicator, period="FY2014", by=officer, value="3",
                                    evidence_url="https://example.org/e", so_what="Used to plan the next round.", submit=True)
    Measurement.objects.filter(pk=m.pk).update(created_by=None, submitted_by=None)
    client.force_login(committee)
    for url in (reverse("indicators:indicator", args=[indicator.code]), reverse("indicators:list"),
                reverse("indicators:measurement", args=[indicator.code, "FY2014"])):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("indicators:indicator", args=[indicator.code])).content.decode()
    assert '<dt class="col-sm-4">Responsible</dt><dd class="col-sm-8">—</dd>' in page
    client.force_login(manager)
    for url in (reverse("indicators:review_queue"), reverse("indicators:target_review", args=[indicator.code, "FY2014"])):
        assert client.get(url).status_code == 200, url


def test_reviewing_a_target_approved_meanwhile_says_so(client, make_indicator, officer, manager, make_user):
    from citiesalliance import roles

    target = services.target_set(indicator=make_indicator(code="RACE-1"), period="FY2014", by=officer, value="5")
    other = make_user(roles.MANAGER)
    services.target_approve(target=target, by=other, version=target.version)  # the other manager was quicker
    client.force_login(manager)
    response = client.post(reverse("indicators:target_review", args=["RACE-1", "FY2014"]),
                           {"version": target.version, "action_approve": "1"})
    assert response.status_code == 200
    assert "This target is approved: there is nothing to review; nothing was changed." in response.content.decode()


def test_a_review_form_without_its_version_says_so(client, make_indicator, officer, manager):
    target = services.target_set(indicator=make_indicator(code="NOVER-1"), period="FY2014", by=officer, value="5")
    client.force_login(manager)
    response = client.post(reverse("indicators:target_review", args=["NOVER-1", "FY2014"]), {"action_approve": "1"})
    assert response.status_code == 200
    assert "The review form was incomplete; reload the page and try again." in response.content.decode()
    target.refresh_from_db()
    assert target.status == "preliminary"


@pytest.mark.django_db(transaction=True)
def test_a_refused_submission_leaves_no_evidence_file_behind(client, officer, make_indicator, settings):
    indicator = make_indicator(code="ORPHAN-1")
    client.force_login(officer)
    response = client.post(reverse("indicators:measurement_create", args=[indicator.code]), {
        "period": "FY2015", "version": "0", "action_submit": "1",  # no value: the submission is refused
        "evidence": SimpleUploadedFile("survey.pdf", b"%PDF-1.4 survey", content_type="application/pdf")})
    assert response.status_code == 200
    assert "Enter the value before submitting." in response.content.decode()
    assert not Measurement.objects.exists()
    assert list(Path(settings.MEDIA_ROOT).rglob("*.pdf")) == []
    # Saved as a draft instead, the file is kept.
    response = client.post(reverse("indicators:measurement_create", args=[indicator.code]), {
        "period": "FY2015", "version": "0", "action_draft": "1",
        "evidence": SimpleUploadedFile("survey.pdf", b"%PDF-1.4 survey", content_type="application/pdf")})
    assert response.status_code == 302
    stored = Measurement.objects.get().evidence.name
    assert [p.name for p in Path(settings.MEDIA_ROOT).rglob("*.pdf")] == [Path(stored).name]
