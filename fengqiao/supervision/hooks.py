"""The automatic 督办 follows the moment a case is marked overdue: the cases sweep appends the
MARKED_OVERDUE event, and after its commit a job issues the notice (the periodic sweep issues any
that were missed, so a lost job only delays it)."""

import logging

from django.db import transaction

from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core import clock

logger = logging.getLogger(__name__)


def issue_after_overdue(case: Case, event: CaseEvent) -> None:
    if event.kind != EventKind.MARKED_OVERDUE:
        return
    if clock.imported() is not None:
        # A history import marks a replayed case the night its deadline passed, years ago
        # (issue #21 item 7): a case concluded since needs no 督办, and one still open today is
        # picked up by the periodic sweep like any other; no job per imported row.
        return
    case_id = case.pk

    def enqueue() -> None:
        from fengqiao.supervision.tasks import issue_overdue_notice

        try:
            issue_overdue_notice.enqueue(case_id)
        except Exception:
            logger.exception("supervision: could not enqueue the 督办 of case %s", case_id)

    transaction.on_commit(enqueue)
