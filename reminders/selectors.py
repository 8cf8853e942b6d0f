"""Who is reminded of what, read from the selectors the worklist and the review queue use.

Nothing here decides what is due: the officer's digest is `indicators.selectors.worklist` cut to the
next REMINDERS_DUE_DAYS days, the manager's is `indicators.selectors.review_queue`, so an email never
disagrees with the page it links to.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from indicators import selectors as indicator_selectors
from scorecard.models import Edition

from .models import ReminderSent


def people_to_remind(role: str):
    """Active people of a role with an email address who have not switched reminders off."""
    return (get_user_model().objects.filter(is_active=True, groups__name=role).exclude(email="")
            .exclude(reminder_preference__enabled=False).select_related("preference").distinct()
            .order_by("username"))


def reminders_enabled(*, person) -> bool:
    preference = getattr(person, "reminder_preference", None) if person.pk else None
    return preference is None or preference.enabled


@dataclass
class OfficerDigest:
    due_soon: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    until: date | None = None

    @property
    def count(self) -> int:
        return len(self.due_soon) + len(self.overdue) + len(self.returned)


def officer_digest(*, person, today: date) -> OfficerDigest:
    """What falls due in the next REMINDERS_DUE_DAYS days, what is overdue, what was returned."""
    work = indicator_selectors.worklist(user=person, today=today)
    until = today + timedelta(days=settings.REMINDERS_DUE_DAYS)
    digest = OfficerDigest(returned=list(work["returned"]), until=until)
    for item in list(work["baselines"]) + list(work["due"]):
        if item.overdue:
            digest.overdue.append(item)
        elif item.due is not None and item.due <= until:
            digest.due_soon.append(item)
    digest.overdue.sort(key=lambda w: w.due or date.min)
    digest.due_soon.sort(key=lambda w: w.due or date.max)
    return digest


@dataclass
class ReviewDigest:
    measurements: list
    targets: list
    proposals: list

    @property
    def count(self) -> int:
        return len(self.measurements) + len(self.targets) + len(self.proposals)


def review_digest(*, person) -> ReviewDigest:
    """The review queue, as the page lists it; a manager's own submissions are left out (nobody
    reviews their own)."""
    queue = indicator_selectors.review_queue()
    return ReviewDigest(
        measurements=[m for m in queue["measurements"] if m.submitted_by_id != person.pk],
        targets=[t for t in queue["targets"] if t.proposed_by_id != person.pk],
        proposals=[p for p in queue["proposals"] if p.proposed_by_id != person.pk])


def editions_to_announce(*, today: date) -> list[Edition]:
    """Editions published in the last REMINDERS_EDITION_DAYS days, oldest first; one whose PDF the
    worker is still making waits for the next run, for an hour at most (then it goes without it)."""
    since = today - timedelta(days=settings.REMINDERS_EDITION_DAYS)
    return list(Edition.objects.filter(published_at__date__gte=since, published_at__date__lte=today)
                .exclude(pdf_pending=True, published_at__gt=timezone.now() - timedelta(hours=1))
                .select_related("framework", "published_by").order_by("published_at", "pk"))


def already_sent(*, kind: str, day: date, key: str = "") -> set[int]:
    """The people who already got this email (kind, day, key)."""
    return set(ReminderSent.objects.filter(kind=kind, day=day, key=key).values_list("person_id", flat=True))


def recent_sent(*, person, limit: int = 10):
    return list(ReminderSent.objects.filter(person=person).order_by("-sent_at", "-pk")[:limit])

