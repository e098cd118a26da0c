"""Periodic job (FENGQIAO_PERIODIC_TASKS): flag missed meetings; a thin wrapper."""

from django_tasks import task

from fengqiao.accounts.services import system_actor
from fengqiao.cadences.services import missed_meetings_flag


@task()
def flag_missed_meetings() -> int:
    return len(missed_meetings_flag(actor=system_actor()))
