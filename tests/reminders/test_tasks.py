"""The tasks run on django-tasks-db's queue, worked by its `db_worker` (the production code path),
and at once under the test settings' immediate backend."""
import io
from datetime import date

import pytest
from django.core.management import call_command

from citiesalliance import roles
from indicators import services as indicator_services
from reminders.models import ReminderSent
from reminders.tasks import reminders_send_task

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def due_work(transactional_db, make_user, make_indicator):
    """An officer with an email and an actual overdue (FY2014's target, long past)."""
    roles.roles_ensure()
    officer = make_user(roles.OFFICER, username="olivia", email="olivia@example.org")
    indicator = make_indicator(code="TASK-1", by=officer, responsible=officer)
    indicator_services.target_set(indicator=indicator, period="FY2014", by=officer, value="5")
    return officer


def test_the_database_queue_and_its_worker_send_the_reminders(due_work, smtp_server, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    result = reminders_send_task.enqueue(day="2026-12-01")
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    assert not smtp_server.messages  # nothing happens until the worker takes it
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=io.StringIO())
    task = DBTaskResult.objects.get(id=result.id)
    assert task.status == "SUCCESSFUL", task.traceback
    assert task.return_value["sent"]["officer_digest"] == 1
    assert [m.rcpt_tos for m in smtp_server.messages] == [("olivia@example.org",)]
    assert "TASK-1" in smtp_server.messages[0].body
    # Idempotent: the same task queued again (a retry, a second timer) sends nothing more.
    reminders_send_task.enqueue(day="2026-12-01")
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=io.StringIO())
    assert len(smtp_server.messages) == 1 and ReminderSent.objects.count() == 1


def test_the_command_can_queue_the_run_for_the_worker(due_work, smtp_server, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    out = io.StringIO()
    call_command("send_reminders", "--enqueue", "--today", "2026-12-01", stdout=out)
    assert "Queued" in out.getvalue() and DBTaskResult.objects.filter(status="READY").count() == 1
    assert not smtp_server.messages


def test_the_immediate_backend_runs_it_at_once(due_work, smtp_server):
    result = reminders_send_task.enqueue(day=date(2026, 12, 1).isoformat())
    assert result.status == "SUCCESSFUL" and len(smtp_server.messages) == 1
