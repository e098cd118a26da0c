"""Background jobs of mediation (FENGQIAO_PERIODIC_TASKS); thin wrappers over services."""

from django_tasks import task

from fengqiao.mediation.reminders import send_due_reminders


@task()
def remind_mediation_deadlines() -> int:
    """Remind of 司法确认 deadlines and 回访 due; returns how many reminders were sent."""
    return send_due_reminders()
