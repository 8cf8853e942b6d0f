"""Send today's reminders: officers' and managers' digests, notices of published editions.

Run daily from cron or a systemd timer (README: Reminders). Running it twice on a day sends nothing
twice. `--enqueue` puts the run on the task queue for the worker instead of running it here.
"""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reminders import services
from reminders.tasks import reminders_send_task


class Command(BaseCommand):
    help = "Send the day's reminder emails (digests and edition notices); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to send for, YYYY-MM-DD (default: today)")
        parser.add_argument("--only", action="append", choices=services.KINDS, dest="kinds",
                            help="send only this kind (repeat for several)")
        parser.add_argument("--enqueue", action="store_true", help="queue the run for the worker (db_worker)")

    def handle(self, *args, today=None, kinds=None, enqueue=False, **options):
        day = ""
        if today:
            try:
                day = date.fromisoformat(today).isoformat()
            except ValueError as exc:
                raise CommandError(f"--today: {today!r} is not a date; write YYYY-MM-DD, e.g. 2026-12-01.") from exc
        if enqueue:
            result = reminders_send_task.enqueue(day=day, kinds=kinds)
            self.stdout.write(f"Queued the reminders run (task {result.id}).")
            return
        report = reminders_send_task.call(day=day, kinds=kinds)
        if report["note"]:
            self.stdout.write(report["note"])
        sent = ", ".join(f"{kind} {n}" for kind, n in report["sent"].items())
        self.stdout.write(f"Sent: {sent}; already sent before: {report['already_sent']}.")
        for failure in report["failed"]:
            self.stderr.write(f"Not sent (will be retried on the next run): {failure}")
