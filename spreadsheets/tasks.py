"""Background tasks of the spreadsheets app (django-tasks). Idempotent: see spreadsheets/jobs.py."""
from django_tasks import task

from . import jobs


@task()
def import_job_task(job_id: str) -> str:
    """Check or write a large import (the job's stage); returns the job's status."""
    return jobs.import_job_run(job_id=job_id)
