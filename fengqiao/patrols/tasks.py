"""Periodic jobs of the patrols app (FENGQIAO_PERIODIC_TASKS); thin wrappers over services."""

from django_tasks import task

from fengqiao.accounts.services import system_actor
from fengqiao.patrols import meetings, services


@task()
def sweep_patrols() -> int:
    """Generate the period's rounds (idempotent), the sensitive-period rounds, flag missing
    reports and remind owners of overdue meeting tasks; returns how many rows it made."""
    actor = system_actor()
    made = services.rounds_generate(actor=actor)
    made += services.sensitive_rounds_generate(actor=actor)
    flags = services.missing_reports_flag(actor=actor)
    return len(made) + len(flags) + meetings.meeting_tasks_remind(actor=actor)
