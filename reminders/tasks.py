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
