"""Background jobs of the KPI app; thin wrappers, run by the db_worker."""

from django_tasks import task

from fengqiao.kpi.services import reports_generate_due


@task()
def generate_due_reports() -> int:
    """Make last period's analysis reports for subscribed regions (FENGQIAO_PERIODIC_TASKS)."""
    return reports_generate_due()
