"""The one definition of 办结日期 and 按期 that the 调处台账, the KPI and the case page all use
(issue #13: the ledger read the *closing* date and called 20 of 234 cases late that the KPI
called on time).

办结日期 is the day of the case's final conclusion: the last transition that gave it an outcome
(agreement, termination, decline, withdrawal, merger) not undone by a later reopening. Closing
(归档) a concluded case is paperwork and moves neither date nor verdict. 按期 compares that day
with the due date as it stood at the conclusion (``was_due`` in the event), so a later change of
the deadline cannot rewrite history.
"""

from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from fengqiao.cases import workflow
from fengqiao.cases.choices import Action, EventKind
from fengqiao.cases.models import Case, CaseEvent

OUTCOME_TRANSITIONS = tuple(
    str(t.name) for t in workflow.TRANSITIONS.values() if t.outcome is not None
)
REOPEN = Action.REOPEN


def on_time(concluded_on: date, was_due: Any) -> bool:
    """按期: concluded on or before the due date in force when it concluded (no due date: on
    time, there was no limit to miss)."""
    if not was_due:
        return True
    due = was_due if isinstance(was_due, date) else date.fromisoformat(str(was_due)[:10])
    return concluded_on <= due


def _final_conclusions() -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(
        case_id=OuterRef("pk"),
        kind=EventKind.TRANSITIONED,
        data__transition__in=OUTCOME_TRANSITIONS,
    ).order_by("-seq")


def with_conclusion(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``concluded_event_at``, ``concluded_was_due`` and ``concluded_termination_reason``
    from the final conclusion event.
    Only meaningful while the case has an outcome (a reopened case has none, and its earlier
    conclusion no longer counts)."""
    final = _final_conclusions()
    return cases.annotate(
        concluded_event_at=Subquery(final.values("occurred_at")[:1]),
        concluded_was_due=Subquery(final.values("data__was_due")[:1]),
        concluded_termination_reason=Subquery(final.values("data__termination_reason")[:1]),
    )


def concluded_on(occurred_at: Any) -> date | None:
    return timezone.localdate(occurred_at) if occurred_at else None


def ledger_on_time(outcome: str, occurred_at: Any, was_due: Any) -> bool | None:
    """按期 of a concluded case from its annotated conclusion; None while it has no outcome."""
    day = concluded_on(occurred_at) if outcome else None
    return None if day is None else on_time(day, was_due)


def case_conclusion(case: Case) -> tuple[date, bool] | None:
    """(办结日期, 按期) of one case for its page; None while it has no outcome."""
    if not case.outcome:
        return None
    event = (
        CaseEvent.objects.filter(
            case_id=case.pk, kind=EventKind.TRANSITIONED, data__transition__in=OUTCOME_TRANSITIONS
        )
        .order_by("-seq")
        .first()
    )
    if event is None:
        return None
    day = timezone.localdate(event.occurred_at)
    return day, on_time(day, (event.data or {}).get("was_due"))
