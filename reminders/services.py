"""Writes of the reminders app: sending the day's reminders, and a person's choice to get them.

`reminders_send` is idempotent: each email is recorded (person, day, kind, key; unique) in the same
transaction that sends it, so a second run on the same day, or two runs at once, send nothing twice;
an email the server refuses is not recorded and goes out on the next run. An edition's notice is
recorded under the edition's publication day and number, so it goes to each person once, ever.
"""
import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from citiesalliance import roles
from citiesalliance.languages import language_of
from scorecard.models import Edition

from . import mail, selectors
from .models import ReminderPreference, ReminderSent

logger = logging.getLogger(__name__)

KINDS = tuple(ReminderSent.Kind.values)


@dataclass
class SendReport:
    sent: dict = field(default_factory=lambda: {kind: 0 for kind in KINDS})
    already: int = 0
    failed: list = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return {"sent": self.sent, "already_sent": self.already, "failed": self.failed, "note": self.note}


def _send_once(*, person, kind: str, day: date, key: str, items: int, build, report: SendReport) -> None:
    """Record, then send, in one transaction: a duplicate record means it went out already."""
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(person=person, kind=kind, day=day, key=key, items=items)
            except IntegrityError:
                report.already += 1
                return
            with translation.override(language_of(person)):  # each person's own language
                message = build()
            message.send()
    except Exception as exc:  # the mail server refused or was unreachable: not recorded, retried next run
        logger.warning("Reminder %s to %s not sent: %s", kind, person.username, exc)
        report.failed.append(f"{kind} to {person.username}: {exc}")
        return
    report.sent[kind] += 1


def reminders_send(*, today: date | None = None, kinds: tuple[str, ...] = KINDS) -> SendReport:
    """Send today's digests (officers, managers) and the notices of newly published editions."""
    today = today or timezone.localdate()
    report = SendReport()
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown kind of reminder: {', '.join(sorted(unknown))} (choose from {', '.join(KINDS)}).")
    if not getattr(settings, "EMAIL_CONFIGURED", False):
        report.note = "EMAIL_URL is not set: no reminders were sent."
        return report
    Kind = ReminderSent.Kind
    if Kind.OFFICER_DIGEST in kinds:
        done = selectors.already_sent(kind=Kind.OFFICER_DIGEST, day=today)
        for person in selectors.people_to_remind(roles.OFFICER):
            if person.pk in done:
                report.already += 1
                continue
            digest = selectors.officer_digest(person=person, today=today)
            if digest.count:
                _send_once(person=person, kind=Kind.OFFICER_DIGEST, day=today, key="", items=digest.count,
                           report=report, build=lambda p=person, d=digest: mail.officer_digest_message(
                               person=p, digest=d, today=today))
    if Kind.REVIEW_DIGEST in kinds:
        done = selectors.already_sent(kind=Kind.REVIEW_DIGEST, day=today)
        for person in selectors.people_to_remind(roles.MANAGER):
            if person.pk in done:
                report.already += 1
                continue
            digest = selectors.review_digest(person=person)
            if digest.count:
                _send_once(person=person, kind=Kind.REVIEW_DIGEST, day=today, key="", items=digest.count,
                           report=report, build=lambda p=person, d=digest: mail.review_digest_message(
                               person=p, digest=d, today=today))
    if Kind.EDITION in kinds:
        committee = list(selectors.people_to_remind(roles.COMMITTEE))
        for edition in selectors.editions_to_announce(today=today):
            day, key = timezone.localdate(edition.published_at), str(edition.pk)
            done = selectors.already_sent(kind=Kind.EDITION, day=day, key=key)
            for person in committee:
                if person.pk in done:
                    report.already += 1
                    continue
                _send_once(person=person, kind=Kind.EDITION, day=day, key=key, items=1, report=report,
                           build=lambda p=person, e=edition: mail.edition_message(person=p, edition=e))
    return report


def edition_notice_send(*, edition_id: int) -> SendReport:
    """The notices of the edition just published (and of any other still to announce): the edition
    run of reminders_send on its publication day."""
    edition = Edition.objects.filter(pk=edition_id).only("published_at").first()
    if edition is None:
        return SendReport()
    return reminders_send(today=timezone.localdate(edition.published_at), kinds=(ReminderSent.Kind.EDITION,))


def reminder_preference_set(*, person, enabled: bool) -> ReminderPreference:
    """Switch a person's reminders on or off (their own choice, from the preferences page)."""
    with transaction.atomic():
        preference, _ = ReminderPreference.objects.select_for_update().get_or_create(person=person)
        if preference.enabled != enabled:
            preference.enabled = enabled
            preference.updated_at = timezone.now()
            preference.full_clean()
            preference.save()
    return preference
