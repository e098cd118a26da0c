"""Court-delegated cases (channel "court") report their mediation result back to the court
(特邀调解规定 arts.19–21, 26; 在线调解规则 art.21)."""

from typing import Any

from django.db import transaction

from fengqiao.cases.choices import Action, Channel
from fengqiao.cases.models import Case
from fengqiao.mediation.selectors import court_result_for

REPORTED_TRANSITIONS = frozenset({Action.RECORD_AGREEMENT, Action.TERMINATE})


def report_to_court(case: Case, transition: str, action: Any, actor: Any) -> None:
    """After ``record_agreement`` or ``terminate`` on a court-channel case, send the result once
    the transaction commits, through ``fengqiao.intake.channels.court.report_result`` when the
    intake app provides it."""
    if case.channel != Channel.COURT or transition not in REPORTED_TRANSITIONS:
        return
    try:
        from fengqiao.intake.channels import court as court_channel
    except ImportError:  # intake's court channel not installed: nothing to report to
        return
    sender = getattr(court_channel, "report_result", None)
    if sender is None:
        return
    case_id = case.pk

    def send() -> None:
        fresh = Case.objects.select_related("handling_org").get(pk=case_id)
        sender(fresh, court_result_for(fresh))

    transaction.on_commit(send)
