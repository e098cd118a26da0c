"""A tiny periodic scheduler on top of django-tasks: enqueue each configured task once per
interval, however many schedulers run.

Configured by ``settings.FENGQIAO_PERIODIC_TASKS`` — ``[("dotted.path.to.task", seconds), …]`` —
so this module names no domain app. The decision "is it due?" is taken under a row lock on the
task's ``PeriodicRun`` (``select_for_update``; on SQLite the IMMEDIATE transaction serialises
writers), and the enqueue happens in the same transaction: two schedulers never both enqueue,
and a crash never records a run that was not enqueued.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from fengqiao.core import clock
from fengqiao.core.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Periodic:
    path: str
    every: timedelta


def periodic_tasks() -> list[Periodic]:
    """The configured periodic tasks, in order."""
    return [
        Periodic(path, timedelta(seconds=int(seconds)))
        for path, seconds in getattr(settings, "FENGQIAO_PERIODIC_TASKS", [])
    ]


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose interval has passed; return the paths enqueued."""
    now = now or clock.now()
    return [periodic.path for periodic in periodic_tasks() if _enqueue_if_due(periodic, now)]


@transaction.atomic
def _enqueue_if_due(periodic: Periodic, now: datetime) -> bool:
    PeriodicRun.objects.get_or_create(name=periodic.path)
    run = PeriodicRun.objects.select_for_update().get(name=periodic.path)
    if run.last_enqueued_at is not None and now < run.last_enqueued_at + periodic.every:
        return False
    import_string(periodic.path).enqueue()
    run.last_enqueued_at = now
    run.save(update_fields=["last_enqueued_at"])
    logger.info("enqueued periodic task %s", periodic.path)
    return True
