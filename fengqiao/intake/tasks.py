"""Background jobs of the intake app, run by the db_worker: the ledger import's check and run,
defined beside the services that queue them (``import_jobs``) and re-exported here, and the
periodic sweep that requeues a ledger job whose worker died (FENGQIAO_PERIODIC_TASKS)."""

from django_tasks import task

from fengqiao.accounts.services import system_actor
from fengqiao.intake.import_jobs import check_ledger_import as check_ledger_import
from fengqiao.intake.import_jobs import ledger_imports_requeue_stale
from fengqiao.intake.import_jobs import run_ledger_import as run_ledger_import


@task()
def requeue_stale_imports() -> int:
    """Requeue (or, after the last attempt, fail) the ledger jobs whose worker stopped;
    returns how many were moved."""
    return ledger_imports_requeue_stale(actor=system_actor())
