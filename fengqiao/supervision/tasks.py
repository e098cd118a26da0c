"""Background jobs of the supervision app; thin wrappers over services, run by the db_worker."""

from django_tasks import task

from fengqiao.accounts.services import system_actor
from fengqiao.supervision.notices import (
    cases_notify_due_soon,
    supervision_auto_issue,
    supervision_auto_sweep,
    supervision_sweep_replies,
)


@task()
def sweep_supervision() -> dict[str, int]:
    """Due-soon notices, the automatic 督办 of overdue cases, overdue replies and escalations
    (FENGQIAO_PERIODIC_TASKS, alongside mark_overdue_cases)."""
    actor = system_actor()
    due_soon = cases_notify_due_soon(actor=actor)
    issued = supervision_auto_sweep(actor=actor)
    overdue, escalated = supervision_sweep_replies(actor=actor)
    return {"due_soon": due_soon, "issued": issued, "overdue": overdue, "escalated": escalated}


@task()
def issue_overdue_notice(case_id: int) -> bool:
    """The automatic 督办 right after a case was marked overdue (the sweep is the safety net)."""
    return supervision_auto_issue(actor=system_actor(), case_id=case_id) is not None
