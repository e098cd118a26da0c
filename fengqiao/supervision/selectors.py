"""Reads for the supervision board and the case panel, always scoped to the actor."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import QuerySet

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.models import Case
from fengqiao.core import clock
from fengqiao.regions.models import within_q
from fengqiao.supervision.choices import NoticeStatus
from fengqiao.supervision.models import SupervisionNotice


@dataclass
class Board:
    """What a leader watches at their level: counts, and the rows behind each count."""

    open_notices: list[SupervisionNotice] = field(default_factory=list)
    overdue_notices: list[SupervisionNotice] = field(default_factory=list)
    replies_due: list[SupervisionNotice] = field(default_factory=list)
    escalations: list[SupervisionNotice] = field(default_factory=list)
    overdue_cases: list[Case] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def board_for(*, actor: User, limit: int = 50) -> Board:
    """Open 督办, overdue replies, replies due within two days, escalations and overdue cases
    in the actor's jurisdiction (the subtrees where they may view cases)."""
    prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
    notices = (
        SupervisionNotice.objects.filter(within_q("handling_prefix", prefixes))
        .select_related("case", "to_org", "above_org")
        .order_by("reply_due", "pk")
    )
    soon = clock.today() + timedelta(days=2)
    sets: dict[str, QuerySet[SupervisionNotice]] = {
        "open_notices": notices.filter(status=NoticeStatus.OPEN),
        "overdue_notices": notices.filter(status=NoticeStatus.OVERDUE),
        "replies_due": notices.filter(status=NoticeStatus.OPEN, reply_due__lte=soon),
        "escalations": notices.filter(
            level__gt=0, status__in=[NoticeStatus.OPEN, NoticeStatus.OVERDUE]
        ),
    }
    cases = (
        Case.objects.within(prefixes)
        .open()
        .filter(overdue_since__isnull=False)
        .select_related("handling_org")
        .order_by("due_date", "pk")
    )
    board = Board()
    for name, queryset in sets.items():
        setattr(board, name, list(queryset[:limit]))
        board.counts[name] = queryset.count()
    board.overdue_cases = list(cases[:limit])
    board.counts["overdue_cases"] = cases.count()
    return board


@dataclass
class CaseSupervision:
    case: Case
    notices: list[SupervisionNotice]
    may_issue: bool
    may_reply: set[int]  # notice ids the actor may answer
    may_close: set[int]  # notice ids the actor may close now
    may_escalate: bool  # the actor may escalate the case when replying


def case_supervision_for(*, actor: User, case_id: int) -> CaseSupervision:
    """A case's 督办 history for the panel, with what the actor may do.

    Raises:
        NotFound: the case is missing or outside the actor's jurisdiction.
    """
    from fengqiao.supervision.notices import may_close, may_reply

    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    notices = list(
        SupervisionNotice.objects.filter(case=case)
        .select_related("issued_by", "replied_by", "to_org", "above_org")
        .order_by("-issued_at", "-pk")
    )
    answerable = {
        n.pk
        for n in notices
        if n.status in (NoticeStatus.OPEN, NoticeStatus.OVERDUE) and may_reply(actor, n, case)
    }
    supervises = access.can(actor, Capability.CASE_SUPERVISE, prefix=case.handling_prefix)
    return CaseSupervision(
        case=case,
        notices=notices,
        may_issue=case.is_open and supervises,
        may_reply=answerable,
        may_close={n.pk for n in notices if supervises and may_close(n, case=case)},
        may_escalate=access.can(actor, Capability.CASE_TRANSFER, prefix=case.handling_prefix),
    )
