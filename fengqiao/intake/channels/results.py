"""Results back to the source (12345 work orders, court delegations): a signed JSON POST to the
endpoint's callback URL through the outbox (``notifications.outbox``: sent only after the
transaction commits, retried, idempotent), and an event on the case saying what was reported."""

from typing import Any

from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case
from fengqiao.cases.services import case_record_event
from fengqiao.core import clock
from fengqiao.intake.models import IntakeSubmission, SubmissionOutcome
from fengqiao.notifications.outbox import post_enqueue


def report_result(case: Case, result: dict[str, Any]) -> bool:
    """Queue ``result`` for the system the case came from; False when it has no callback, or
    while a history import replays the case's past (the source heard of it long ago)."""
    if clock.imported() is not None:
        return False
    submission = (
        IntakeSubmission.objects.filter(case=case, outcome=SubmissionOutcome.REGISTERED)
        .select_related("endpoint", "endpoint__service_user")
        .first()
    )
    endpoint = submission.endpoint if submission else None
    if submission is None or endpoint is None or not endpoint.callback_url:
        return False
    payload = {
        "channel": case.channel,
        "source_ref": submission.source_ref,
        "case_number": case.number,
        "handling_org": case.handling_org.name,
        "reported_at": clock.now().isoformat(),
        **result,
    }
    delivery = post_enqueue(
        url=endpoint.callback_url, payload=payload, secret=endpoint.callback_secret(), case=case
    )
    event = case_record_event(
        actor=endpoint.service_user,
        case_id=case.pk,
        kind=EventKind.RESULT_REPORTED,
        data={"outcome": result.get("outcome", ""), "delivery": delivery.pk},
        scoped=False,
    )
    case.event_count, case.ledger_head = event.seq, event.hash  # keep the caller's copy current
    return True
