"""Background jobs of the intake app; thin wrappers, run by the db_worker."""

from django_tasks import task

from fengqiao.intake import import_jobs


@task()
def check_ledger_import(import_id: int) -> str:
    """Check an uploaded ledger row by row (queued by the upload); returns the status."""
    job = import_jobs.ledger_import_check(import_id=import_id)
    return job.status if job is not None else ""


@task()
def run_ledger_import(import_id: int) -> str:
    """Register every row of a confirmed ledger, all or none; returns the status."""
    job = import_jobs.ledger_import_run(import_id=import_id)
    return job.status if job is not None else ""
