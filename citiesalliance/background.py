"""Queueing a task so that its worker finds what the caller just wrote.

With the database queue (django-tasks-db) the task's row is written in the caller's transaction, so
the worker sees the task and the data together, at the commit; the immediate backend (tests) runs
the task at once on the same connection. Any other backend (a Redis queue) is told only after the
commit, or its worker could look for rows that are not committed yet.
"""
from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend


def enqueue_after_commit(task, **kwargs) -> None:
    if isinstance(task.get_backend(), (DatabaseBackend, ImmediateBackend)):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs))
