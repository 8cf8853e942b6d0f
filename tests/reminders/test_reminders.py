"""Reminders by email, against a real SMTP server (aiosmtpd, the smtp_server fixture).

With the demo data: the officer gets one digest (due in the next 14 days, overdue, returned), the
manager one of the review queue, the Committee a notice of a published edition with its PDF; a
second run the same day sends nothing; a person who switched reminders off gets nothing.
"""
import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from indicators import selectors as indicator_selectors
from reminders import selectors, services
from reminders.models import ReminderPreference, ReminderSent

DAY = date(2026, 12, 1)


@pytest.fixture
def demo(seeded_chains, settings):
    settings.DEBUG = True
    call_command("create_demo_users", stdout=io.StringIO())
    call_command("load_demo", "--today", DAY.isoformat(), stdout=io.StringIO())
    settings.DEBUG = False
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


def by_recipient(messages):
    return {m.rcpt_tos[0]: m for m in messages}


def test_the_daily_run_sends_the_right_digests_once(demo, smtp_server, settings):
    settings.SITE_URL = "https://rbm.example.org"
    report = services.reminders_send(today=DAY)
    mails = by_recipient(smtp_server.messages)
    assert set(mails) == {"officer@example.org", "manager@example.org"}, report.as_dict()
    assert report.sent["officer_digest"] == 1 and report.sent["review_digest"] == 1 and not report.failed

    # The officer's digest is the worklist's, cut to 14 days: every overdue item and every returned one.
    work = indicator_selectors.worklist(user=demo["officer"], today=DAY)
    overdue = [w for w in work["baselines"] + work["due"] if w.overdue]
    assert overdue and work["returned"]
    officer = mails["officer@example.org"]
    text = officer.message.get_body(preferencelist=("plain",)).get_content()
    html = officer.message.get_body(preferencelist=("html",)).get_content()
    assert f"OVERDUE ({len(overdue)})" in text and f"RETURNED TO YOU ({len(work['returned'])})" in text
    for item in overdue + work["returned"]:
        assert item.indicator.code in text and item.indicator.code in html
    assert "https://rbm.example.org/indicators/worklist/" in text
    assert 'href="https://rbm.example.org/indicators/worklist/"' in html
    assert "https://rbm.example.org/reminders/" in text  # how to switch them off
    assert "Note from the reviewer" in text

    # The manager's digest lists the review queue (less their own submissions: none in the demo).
    queue = indicator_selectors.review_queue()
    waiting = len(queue["measurements"]) + len(queue["targets"]) + len(queue["proposals"])
    manager = mails["manager@example.org"]
    assert f"{waiting} submission" in manager.message["Subject"]
    manager_text = manager.message.get_body(preferencelist=("plain",)).get_content()
    for m in queue["measurements"]:
        assert f"https://rbm.example.org/indicators/{m.indicator.code}/measurements/{m.period.label}/review/" in manager_text

    # Twice on the same day: nothing more.
    again = services.reminders_send(today=DAY)
    assert len(smtp_server.messages) == 2 and sum(again.sent.values()) == 0 and again.already == 2
    assert ReminderSent.objects.filter(day=DAY).count() == 2
    # The next day, the digests go out again.
    services.reminders_send(today=date(2026, 12, 2))
    assert len(smtp_server.messages) == 4


def test_the_committee_is_told_of_a_published_edition_once_with_its_pdf(demo, smtp_server, settings):
    from indicators.models import ReportingPeriod
    from results.models import ResultsFramework
    from scorecard import services as scorecard_services

    settings.SITE_URL = "https://rbm.example.org"
    framework = ResultsFramework.objects.get(code="CORP")
    period = ReportingPeriod.objects.filter(
        label__in=[f"FY{y}" for y in range(2023, 2027)], targets__indicator__result__framework=framework
    ).order_by("-end").first()
    edition = scorecard_services.edition_publish(framework=framework, period=period, commentary="What works.",
                                                 published_by=demo["manager"])
    # The notice goes out as soon as the edition's PDF is made (the PDF's task queues it; the tests'
    # task backend runs both at once), not at the next daily run.
    edition.refresh_from_db()
    mails = by_recipient(smtp_server.messages)
    assert set(mails) == {"committee@example.org"}
    notice = mails["committee@example.org"].message
    text = notice.get_body(preferencelist=("plain",)).get_content()
    assert f"https://rbm.example.org/scorecard/editions/{edition.pk}/" in text and "What works." in text
    [pdf] = [part for part in notice.iter_attachments() if part.get_content_type() == "application/pdf"]
    edition.pdf.open("rb")
    assert pdf.get_content() == edition.pdf.read()
    edition.pdf.close()
    # The daily run that day or the next: the notice is not sent again.
    day = timezone.localdate(edition.published_at)
    assert services.reminders_send(today=day, kinds=("edition",)).already == 1
    services.reminders_send(today=day, kinds=("edition",))
    services.reminders_send(today=day + timedelta(days=1), kinds=("edition",))
    assert len(smtp_server.messages) == 1


def test_a_person_who_switched_reminders_off_gets_nothing(demo, smtp_server):
    services.reminder_preference_set(person=demo["officer"], enabled=False)
    services.reminders_send(today=DAY)
    assert "officer@example.org" not in by_recipient(smtp_server.messages)
    assert "manager@example.org" in by_recipient(smtp_server.messages)
    services.reminder_preference_set(person=demo["officer"], enabled=True)
    services.reminders_send(today=DAY)
    assert "officer@example.org" in by_recipient(smtp_server.messages)


def test_a_mail_server_that_refuses_leaves_nothing_recorded_and_the_next_run_sends(demo, smtp_server, settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_PORT = closed
    report = services.reminders_send(today=DAY)
    assert len(report.failed) == 2 and not ReminderSent.objects.exists()
    settings.EMAIL_PORT = smtp_server.port
    report = services.reminders_send(today=DAY)
    assert sum(report.sent.values()) == 2 and len(smtp_server.messages) == 2


def test_without_email_url_nothing_is_sent(demo, settings):
    settings.EMAIL_CONFIGURED = False
    report = services.reminders_send(today=DAY)
    assert "EMAIL_URL" in report.note and not ReminderSent.objects.exists()


def test_the_command_runs_the_task_and_says_what_it_sent(demo, smtp_server):
    out = io.StringIO()
    call_command("send_reminders", "--today", DAY.isoformat(), stdout=out)
    assert "officer_digest 1" in out.getvalue() and "review_digest 1" in out.getvalue()
    out = io.StringIO()
    call_command("send_reminders", "--today", DAY.isoformat(), stdout=out)
    assert "already sent before: 2" in out.getvalue() and len(smtp_server.messages) == 2


def test_the_command_names_a_bad_date(db):
    with pytest.raises(CommandError, match="--today: '2026-13-01' is not a date"):
        call_command("send_reminders", "--today", "2026-13-01")


def test_people_to_remind_leaves_out_those_without_email_or_inactive(make_user):
    from citiesalliance import roles

    keep = make_user(roles.OFFICER, email="a@example.org")
    make_user(roles.OFFICER, email="")
    make_user(roles.OFFICER, email="b@example.org", is_active=False)
    off = make_user(roles.OFFICER, email="c@example.org")
    ReminderPreference.objects.create(person=off, enabled=False)
    assert list(selectors.people_to_remind(roles.OFFICER)) == [keep]


def test_the_record_is_unique_per_person_day_kind(officer):
    from django.db import IntegrityError

    ReminderSent.objects.create(person=officer, day=DAY, kind="officer_digest")
    with pytest.raises(IntegrityError):
        ReminderSent.objects.create(person=officer, day=DAY, kind="officer_digest")


def test_an_edition_whose_pdf_is_being_made_waits_for_the_next_run(make_user, make_chain, settings):
    from datetime import timedelta

    from django.utils import timezone

    from citiesalliance import roles
    from indicators import services as indicator_services
    from scorecard.models import Edition

    manager = make_user(roles.MANAGER)
    chain = make_chain()
    period = indicator_services.period_get_or_create(label="FY2016")
    now = timezone.now()
    edition = Edition.objects.create(framework=chain["framework"], period=period, framework_name="F",
                                     period_label="FY2016", standard={}, summary={}, sections=[], commentary="c",
                                     published_by=manager, published_at=now, pdf_pending=True)
    assert selectors.editions_to_announce(today=timezone.localdate(now)) == []
    Edition.objects.filter(pk=edition.pk).update(published_at=now - timedelta(hours=2))
    assert selectors.editions_to_announce(today=timezone.localdate(now)) == [edition]  # an hour is long enough
