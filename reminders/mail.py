"""The reminder emails: plain text and HTML from templates, absolute links (SITE_URL), the edition's PDF.

Pure building, no sending and no database writes: reminders/services.py sends what this builds.
"""
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _message(*, person, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    context = {**context, "person": person, "name": person.get_full_name() or person.username,
               "site_url": settings.SITE_URL, "preferences_url": absolute(reverse("reminders:preferences"))}
    text = render_to_string(f"reminders/{template}.txt", context)
    html = render_to_string(f"reminders/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[person.email])
    message.attach_alternative(html, "text/html")
    return message


def _item(work) -> dict:
    """A worklist item as the email shows it (words, dates and a link)."""
    period = work.period.label if work.period is not None else ""
    actual = _("Actual for %(period)s") % {"period": period}
    what = {"baseline": _("Baseline"), "measurement": actual, "returned": actual,
            "target": _("Target for %(period)s") % {"period": period},
            "proposal": _("Proposed change")}.get(work.kind, work.kind)
    return {"code": work.indicator.code, "name": work.indicator.name, "what": what, "due": work.due,
            "note": work.note, "url": absolute(work.indicator.get_absolute_url())}


def officer_digest_message(*, person, digest, today) -> EmailMultiAlternatives:
    return _message(person=person, template="officer_digest", context={
        "today": today, "until": digest.until, "count": digest.count,
        "due_soon": [_item(w) for w in digest.due_soon], "overdue": [_item(w) for w in digest.overdue],
        "returned": [_item(w) for w in digest.returned],
        "worklist_url": absolute(reverse("indicators:worklist")),
    }, subject=ngettext("Cities Alliance results: %(count)s item on your worklist",
                        "Cities Alliance results: %(count)s items on your worklist", digest.count) % {
                            "count": digest.count})


def review_digest_message(*, person, digest, today) -> EmailMultiAlternatives:
    measurements = [{"code": m.indicator.code, "name": m.indicator.name, "period": m.period.label,
                     "by": m.submitted_by, "since": m.submitted_at,
                     "url": absolute(reverse("indicators:measurement_review", args=[m.indicator.code, m.period.label]))}
                    for m in digest.measurements]
    targets = [{"code": t.indicator.code, "name": t.indicator.name, "period": t.period.label, "by": t.proposed_by,
                "url": absolute(reverse("indicators:target_review", args=[t.indicator.code, t.period.label]))}
               for t in digest.targets]
    proposals = [{"code": p.indicator.code, "name": p.indicator.name, "by": p.proposed_by, "since": p.proposed_at,
                  "url": absolute(reverse("indicators:proposal", args=[p.indicator.code, p.pk]))}
                 for p in digest.proposals]
    return _message(person=person, template="review_digest", context={
        "today": today, "count": digest.count, "measurements": measurements, "targets": targets,
        "proposals": proposals, "queue_url": absolute(reverse("indicators:review_queue")),
    }, subject=ngettext("Cities Alliance results: %(count)s submission to review",
                        "Cities Alliance results: %(count)s submissions to review", digest.count) % {
                            "count": digest.count})


def edition_message(*, person, edition) -> EmailMultiAlternatives:
    message = _message(person=person, template="edition_published", context={
        "edition": edition, "url": absolute(edition.get_absolute_url()),
        "pdf_url": absolute(reverse("scorecard:edition_pdf", args=[edition.pk])) if edition.pdf else "",
    }, subject=_("Scorecard edition published: %(edition)s") % {"edition": edition})
    if edition.pdf:
        with edition.pdf.open("rb") as pdf:
            message.attach(f"scorecard-edition-{edition.pk}.pdf", pdf.read(), "application/pdf")
    return message
