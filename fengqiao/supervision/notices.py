"""督办: notices on cases, their replies, and what happens when nobody answers.

Every step is appended to the case's timeline (``case_record_event``) and audited in the same
transaction; the people concerned hear of it through ``notify`` (inbox now, other channels after
the commit). Case state itself changes only through ``case_transition`` (ARCHITECTURE rule 2):
a handling unit that replies that mediation failed may escalate the case there and then.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import Action, EventKind
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_record_event, case_transition
from fengqiao.core import clock
from fengqiao.core.calendar import add_days
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound, PermissionDeniedError
from fengqiao.notifications.choices import NotificationKind
from fengqiao.notifications.services import notify
from fengqiao.orgs.models import Organisation
from fengqiao.supervision import policy
from fengqiao.supervision.choices import NoticeKind, NoticeStatus
from fengqiao.supervision.models import DueSoonNotice, SupervisionNotice

MAX_INSTRUCTIONS = 2000


def _lock_case(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("handling_org__region", "assignee", "lead")
        .get(pk=case_id)
    )


def _step(actor: User, notice: SupervisionNotice, event: str, step: str, **data: Any) -> None:
    """The timeline event and the audit row of one 督办 step."""
    case_record_event(
        actor=actor,
        case_id=notice.case_id,
        kind=event,
        data={"notice": notice.pk, "step": step, "level": notice.level, **data},
        scoped=False,  # callers have checked the actor's scope already
    )
    record(
        actor=actor,
        action=AuditAction.CASE_RECORDED,
        target=notice,
        org=notice.to_org,
        extra={"case": notice.case_id, "step": step, **{k: str(v) for k, v in data.items()}},
    )


def _tell(notice: SupervisionNotice, *, kind: str, title: str, body: str) -> None:
    case = notice.case
    notify(
        recipients=policy.recipients_for(case, notice.to_org, notice.above_org),
        kind=kind,
        case=case,
        title=title,
        body=body,
        orgs=[org for org in (notice.to_org, notice.above_org) if org is not None],
    )


def _issue(
    actor: User,
    case: Case,
    *,
    kind: str,
    instructions: str,
    above_org: Organisation | None,
    level: int = 0,
    episode: Any = None,
    escalated_from: SupervisionNotice | None = None,
) -> SupervisionNotice:
    notice = SupervisionNotice.objects.create(
        case=case,
        kind=kind,
        level=level,
        episode=episode,
        issued_by=actor,
        to_org=case.handling_org,
        above_org=above_org,
        instructions=instructions,
        reply_due=add_days(clock.today(), policy.reply_working_days(), working=True),
        escalated_from=escalated_from,
        handling_prefix=case.handling_prefix,
    )
    _step(
        actor,
        notice,
        EventKind.SUPERVISED,
        "escalated" if escalated_from else "issued",
        notice_kind=kind,
        to_org=case.handling_org.code,
        above_org=above_org.code if above_org else "",
        reply_due=notice.reply_due,
        instructions=instructions[:500],
    )
    _tell(
        notice,
        kind=NotificationKind.SUPERVISION_ESCALATED
        if escalated_from
        else NotificationKind.SUPERVISION,
        title=gettext("Supervision notice on %(number)s") % {"number": case.number},
        body=gettext("Reply by %(due)s: %(instructions)s")
        % {"due": notice.reply_due, "instructions": instructions},
    )
    return notice


@transaction.atomic
def supervision_issue(*, actor: User, case_id: int, instructions: str) -> SupervisionNotice:
    """A leader's 督办 on a case: the handling unit must reply within the working days set.

    Raises:
        NotFound: the case is missing or outside the actor's jurisdiction.
        PermissionDeniedError: the actor may not supervise the handling organisation's region.
        InvalidInput: no instructions, or too long; ConflictError: the case is concluded.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    access.require(actor, Capability.CASE_SUPERVISE, prefix=case.handling_prefix)
    instructions = instructions.strip()
    if not instructions or len(instructions) > MAX_INSTRUCTIONS:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"instructions": [gettext("Enter the instructions (at most 2000 characters).")]},
        )
    if not case.is_open:
        raise ConflictError(gettext("The case is concluded."))
    case = _lock_case(case.pk)
    return _issue(
        actor,
        case,
        kind=NoticeKind.MANUAL,
        instructions=instructions,
        above_org=policy.centre_above(case.handling_org),
    )


@transaction.atomic
def supervision_auto_issue(*, actor: User, case_id: int) -> SupervisionNotice | None:
    """The automatic 督办 for an overdue case, once per overdue episode; None when there is
    nothing to do (not overdue any more, concluded, or issued already)."""
    case = _lock_case(case_id)
    if not case.is_open or case.overdue_since is None:
        return None
    issued = SupervisionNotice.objects.filter(
        case=case, kind=NoticeKind.AUTO, level=0, episode=case.overdue_since
    )
    if issued.exists():
        return None
    return _issue(
        actor,
        case,
        kind=NoticeKind.AUTO,
        episode=case.overdue_since,
        above_org=policy.centre_above(case.handling_org),
        instructions=gettext(
            "The case passed its deadline of %(due)s. Report what has been done and when it "
            "will be resolved."
        )
        % {"due": case.due_date},
    )


def supervision_auto_sweep(*, actor: User) -> int:
    """Issue the automatic 督办 of every overdue case that has none for its current episode."""
    missing = ~Exists(
        SupervisionNotice.objects.filter(
            case=OuterRef("pk"), kind=NoticeKind.AUTO, level=0, episode=OuterRef("overdue_since")
        )
    )
    ids = list(
        Case.objects.open()
        .filter(overdue_since__isnull=False)
        .filter(missing)
        .values_list("pk", flat=True)[:1000]
    )
    return sum(supervision_auto_issue(actor=actor, case_id=pk) is not None for pk in ids)


def may_reply(actor: User, notice: SupervisionNotice, case: Case) -> bool:
    """The handling unit answers: its staff, or the case's handler."""
    return notice.to_org_id in access.home_org_ids(actor) or case.assignee_id == actor.pk


@transaction.atomic
def supervision_reply(
    *, actor: User, case_id: int, notice_id: int, reply: str, escalate_case: bool = False
) -> SupervisionNotice:
    """The handling unit's answer to a 督办; with ``escalate_case`` (mediation failed) the case
    is escalated to the level above through the workflow executor in the same transaction.

    Raises:
        NotFound: case or notice not visible; PermissionDeniedError: not the handling unit;
        ConflictError: already answered or closed; InvalidInput: empty reply;
        TransitionBlocked: the escalation is not allowed now (nothing is written).
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    notice = (
        SupervisionNotice.objects.select_for_update(of=("self",))
        .select_related("to_org", "above_org")
        .filter(case=case, pk=notice_id)
        .first()
    )
    if notice is None:
        raise NotFound(gettext("Supervision notice not found."))
    if not may_reply(actor, notice, case):
        raise PermissionDeniedError(gettext("Only the handling unit replies to this notice."))
    if notice.status not in (NoticeStatus.OPEN, NoticeStatus.OVERDUE):
        raise ConflictError(gettext("This notice has been answered or closed."))
    reply = reply.strip()
    if not reply or len(reply) > MAX_INSTRUCTIONS:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"reply": [gettext("Enter the reply (at most 2000 characters).")]},
        )
    notice.reply, notice.replied_by, notice.replied_at = reply, actor, clock.now()
    was_late = notice.status == NoticeStatus.OVERDUE
    notice.status = NoticeStatus.REPLIED
    notice.save(update_fields=["reply", "replied_by", "replied_at", "status"])
    _step(actor, notice, EventKind.SUPERVISION_REPLIED, "replied", late=was_late, reply=reply[:500])
    notice.case = _lock_case(case.pk)
    _tell(
        notice,
        kind=NotificationKind.SUPERVISION_REPLIED,
        title=gettext("Supervision notice answered: %(number)s") % {"number": case.number},
        body=reply,
    )
    if escalate_case:
        case_transition(
            actor=actor,
            case_id=case.pk,
            name=Action.ESCALATE,
            action=ActionInput(
                org_id=notice.above_org_id,
                note=gettext("Mediation failed (reply to supervision notice): %(reply)s")
                % {"reply": reply[:500]},
            ),
        )
    return notice


def may_close(notice: SupervisionNotice, *, case: Case) -> bool:
    """An automatic 督办 stands until the handling unit replies (or the case is concluded): a
    leader closing it unanswered would erase the record that nobody answered (issue #21). A
    leader's own notice may be withdrawn by a leader."""
    if notice.status == NoticeStatus.CLOSED:
        return False
    if notice.kind != NoticeKind.AUTO:
        return True
    return notice.status == NoticeStatus.REPLIED or not case.is_open


@transaction.atomic
def supervision_close(*, actor: User, case_id: int, notice_id: int) -> SupervisionNotice:
    """A supervising leader closes a notice (satisfied with the reply, or the matter settled).

    Raises:
        NotFound, PermissionDeniedError, ConflictError (closed already).
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    access.require(actor, Capability.CASE_SUPERVISE, prefix=case.handling_prefix)
    notice = (
        SupervisionNotice.objects.select_for_update(of=("self",))
        .filter(case=case, pk=notice_id)
        .first()
    )
    if notice is None:
        raise NotFound(gettext("Supervision notice not found."))
    if notice.status == NoticeStatus.CLOSED:
        raise ConflictError(gettext("This notice has been answered or closed."))
    if not may_close(notice, case=case):
        raise ConflictError(
            gettext("An automatic supervision notice is closed only after the unit replies.")
        )
    notice.status = NoticeStatus.CLOSED
    notice.save(update_fields=["status"])
    _step(actor, notice, EventKind.SUPERVISED, "closed")
    return notice


@transaction.atomic
def _reply_overdue(*, actor: User, notice_id: int, today: date) -> int:
    notice = (
        SupervisionNotice.objects.select_for_update(of=("self",))
        .select_related("to_org", "above_org")
        .get(pk=notice_id)
    )
    if notice.status != NoticeStatus.OPEN or notice.reply_due >= today:
        return 0
    notice.case = _lock_case(notice.case_id)
    if not notice.case.is_open:  # concluded meanwhile: nothing left to supervise
        notice.status = NoticeStatus.CLOSED
        notice.save(update_fields=["status"])
        _step(actor, notice, EventKind.SUPERVISED, "closed", reason="case concluded")
        return 0
    notice.status, notice.overdue_at = NoticeStatus.OVERDUE, clock.now()
    notice.save(update_fields=["status", "overdue_at"])
    _step(actor, notice, EventKind.SUPERVISED, "reply_overdue", reply_due=notice.reply_due)
    _tell(
        notice,
        kind=NotificationKind.SUPERVISION_OVERDUE,
        title=gettext("Supervision reply overdue: %(number)s") % {"number": notice.case.number},
        body=gettext("The reply was due on %(due)s.") % {"due": notice.reply_due},
    )
    return 1


@transaction.atomic
def _escalate(*, actor: User, notice_id: int, today: date) -> int:
    notice = (
        SupervisionNotice.objects.select_for_update(of=("self",))
        .select_related("to_org__region", "above_org__region")
        .get(pk=notice_id)
    )
    rule = policy.rule_for(notice.level)
    if (
        notice.status != NoticeStatus.OVERDUE
        or rule is None
        or SupervisionNotice.objects.filter(escalated_from=notice).exists()
        or today < add_days(notice.reply_due, rule.after_working_days, working=True)
    ):
        return 0
    case = _lock_case(notice.case_id)
    # 提级督办: the next notice comes from the centre at the rule's level (the county for a
    # township's case), or the nearest one above it.
    target = policy.centre_above(notice.to_org, at_most_level=rule.to_level)
    if target is None or not case.is_open:
        return 0
    _issue(
        actor,
        case,
        kind=notice.kind,
        level=notice.level + 1,
        above_org=target,
        escalated_from=notice,
        instructions=gettext(
            "Escalated to %(org)s: the reply to the notice of %(issued)s is overdue since %(due)s. "
            "%(instructions)s"
        )
        % {
            "org": target,
            "issued": timezone.localtime(notice.issued_at).date(),
            "due": notice.reply_due,
            "instructions": notice.instructions,
        },
    )
    return 1


def supervision_sweep_replies(*, actor: User, today: date | None = None) -> tuple[int, int]:
    """Mark replies overdue, then escalate those overdue long enough (ESCALATION_POLICY).
    Returns (marked overdue, escalated)."""
    today = today or clock.today()
    late = SupervisionNotice.objects.filter(status=NoticeStatus.OPEN, reply_due__lt=today)
    marked = sum(
        _reply_overdue(actor=actor, notice_id=pk, today=today)
        for pk in list(late.values_list("pk", flat=True)[:1000])
    )
    waiting = SupervisionNotice.objects.filter(
        status=NoticeStatus.OVERDUE, escalated_to__isnull=True
    )
    escalated = sum(
        _escalate(actor=actor, notice_id=pk, today=today)
        for pk in list(waiting.values_list("pk", flat=True)[:1000])
    )
    return marked, escalated


@transaction.atomic
def _due_soon_one(*, actor: User, case_id: int, today: date, horizon: date) -> int:
    case = _lock_case(case_id)
    due = case.due_date
    if (
        not case.is_open
        or due is None
        or case.overdue_since is not None
        or case.deadline_paused_at is not None
        or not today <= due <= horizon
    ):
        return 0
    _marker, created = DueSoonNotice.objects.get_or_create(case=case, due_date=due)
    if not created:
        return 0
    people = [case.assignee] if case.assignee is not None else policy.unit_heads(case.handling_org)
    notify(
        recipients=people,
        kind=NotificationKind.DUE_SOON,
        case=case,
        title=gettext("Deadline approaching: %(number)s") % {"number": case.number},
        body=gettext("%(title)s is due on %(due)s.") % {"title": case.title, "due": due},
        orgs=[case.handling_org],
    )
    return 1


def cases_notify_due_soon(*, actor: User, today: date | None = None) -> int:
    """Tell the handler (or the unit's heads) once per case and due date that the deadline is
    within FENGQIAO_DUE_SOON_DAYS days. A moved deadline is a new due date and is told again."""
    today = today or clock.today()
    horizon = add_days(today, policy.due_soon_days(), working=False)
    told = DueSoonNotice.objects.filter(case=OuterRef("pk"), due_date=OuterRef("due_date"))
    ids = list(
        Case.objects.open()
        .filter(
            due_date__gte=today,
            due_date__lte=horizon,
            overdue_since__isnull=True,
            deadline_paused_at__isnull=True,
        )
        .filter(~Exists(told))
        .values_list("pk", flat=True)[:2000]
    )
    return sum(_due_soon_one(actor=actor, case_id=pk, today=today, horizon=horizon) for pk in ids)
