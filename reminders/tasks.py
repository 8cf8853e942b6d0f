"""Background tasks of the reminders app (django-tasks). Idempotent: see reminders/services.py."""
from datetime import date

from django_tasks import task

from . import services


@task()
def reminders_send_task(day: str = "", kinds: list[str] | None = None) -> dict:
    """The daily run: `day` in ISO form (default today), `kinds` a subset of services.KINDS."""
    report = services.reminders_send(today=date.fromisoformat(day) if day else None,
                                     kinds=tuple(kinds) if kinds else services.KINDS)
    return report.as_dict()


@task()
def edition_notice_task(edition_id: int) -> dict:
    """The notice of a newly published edition, queued once its PDF is made (scorecard.tasks): sent
    to the Committee at once rather than at the next daily run, and never twice (the daily run finds
    it sent)."""
    return services.edition_notice_send(edition_id=edition_id).as_dict()
