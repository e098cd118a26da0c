"""Background jobs of the audit app, run by the db_worker."""

from django_tasks import task

from fengqiao.audit import chain


@task()
def seal_audit_days() -> int:
    """Seal the finished days of the audit log not sealed yet (FENGQIAO_PERIODIC_TASKS)."""
    return chain.seal_days()
