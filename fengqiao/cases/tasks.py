"""Background jobs of the cases app; thin wrappers over services, run by the db_worker."""

from django_tasks import task

from fengqiao.accounts.services import system_actor
from fengqiao.cases import ledger
from fengqiao.cases.services import cases_mark_overdue


@task()
def mark_overdue_cases() -> int:
    """Mark open cases past their due date (scheduled by FENGQIAO_PERIODIC_TASKS); returns how
    many."""
    return cases_mark_overdue(actor=system_actor())


@task()
def seal_ledger_days() -> int:
    """Seal the days not sealed yet into the chain of daily digests (FENGQIAO_PERIODIC_TASKS)."""
    return ledger.seal_days()
