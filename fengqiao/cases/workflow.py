"""The case lifecycle as data: which actions exist, from which states, who may fire them, what
input they take and what blocks them. ``cases.services.case_transition`` is the one executor.

docs/workflow.md is generated from TRANSITIONS (``manage.py render_workflow``); change the table,
not the doc.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import clocks, hooks
from fengqiao.cases.choices import Action, CaseOutcome, CaseStatus
from fengqiao.cases.models import Case
from fengqiao.core import clock
from fengqiao.core.exceptions import NotFound

Guard = Callable[[Case], str | None]  # returns a reason when the action must not happen now

# Inputs an action may take; the UI form and the API body are both built from these names.
NOTE = "note"
REFERRED_TO = "referred_to"
ORG = "org_id"
ASSIGNEE = "assignee_id"
LEAD = "lead_id"
DUE_DATE = "due_date"
AGREEMENT_FORM = "agreement_form"
TERMINATION_REASON = "termination_reason"
MERGE_INTO = "merge_into"  # the number of the primary case
APPROVAL_REF = "approval_ref"  # 信访 extension: the organ's approval (信访工作条例 art.34)
CONSENT_DOCUMENT = "consent_document"  # court extension: the parties' written consent (art.27)
PARTIES_CONSENT = "parties_consent"  # art.17: consent or refusal, captured at acceptance


@dataclass(frozen=True, slots=True)
class Transition:
    name: str
    label: StrOrPromise
    sources: frozenset[CaseStatus]
    # None: the target is decided by the effect (a returned transfer restores the earlier status,
    # deadline actions keep the current one).
    target: CaseStatus | None
    capability: Capability
    inputs: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = ()
    outcome: CaseOutcome | None = None
    clears_outcome: bool = False
    keeps_status: bool = False  # an action on the case's clock, not on its state
    style: str = "secondary"  # how the button looks: "primary", "secondary" or "danger"
    # Not offered at all (no disabled button) while this guard objects: a decision on a request
    # is offered only when there is a request.
    offered_when: Guard | None = None


def _has_assignee(case: Case) -> str | None:
    # a roster mediator without a login is the mediator only of a case a history import
    # replayed (issue #21 item 7); live 交办 names a login and clears it
    if case.assignee_id is None and case.roster_mediator_id is None:
        return gettext("Assign the case to a mediator first.")
    return None


def _has_level_above(case: Case) -> str | None:
    if case.handling_org.region.parent_id is None:
        return gettext("The case is already at the top level.")
    return None


def _deadline_running(case: Case) -> str | None:
    if case.deadline_paused_at is not None:
        return gettext("The deadline is already paused.")
    if case.due_date is None:
        return gettext("The case has no deadline.")
    return None


def _deadline_paused(case: Case) -> str | None:
    if case.deadline_paused_at is None:
        return gettext("The deadline is not paused.")
    return None


def _has_deadline(case: Case) -> str | None:
    return gettext("The case has no deadline.") if case.due_date is None else None


def _no_extension_pending(case: Case) -> str | None:
    if case.extension_requested_until is not None:
        return gettext("An extension is already requested; a leader decides it first.")
    return None


def _extension_pending(case: Case) -> str | None:
    if case.extension_requested_until is None:
        return gettext("No extension is requested.")
    return None


def _not_merged(case: Case) -> str | None:
    if case.merged_into_id is not None:
        return gettext("The case was merged; reopen the primary case instead.")
    return None


def _petition_step(name: str) -> Guard:
    def guard(case: Case) -> str | None:
        return clocks.petition_blocker(case, name, clock.today())

    guard.__name__ = f"_petition_{name}"
    return guard


S = CaseStatus
C = Capability
ACTIVE = frozenset({S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.MEDIATING})
# A 信访 matter is answered in writing after acceptance, whatever mediation made of it, and the
# petitioner may ask for 复查 and 复核 after the case is closed (信访工作条例 arts.32, 35, 36).
PETITION_STAGES = frozenset({S.ACCEPTED, S.ASSIGNED, S.MEDIATING, S.RESOLVED, S.TERMINATED})
PETITION_REVIEWS = PETITION_STAGES | {S.CLOSED}

TRANSITIONS: Mapping[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            Action.ACCEPT,
            _("Accept"),
            frozenset({S.REGISTERED}),
            S.ACCEPTED,
            C.CASE_ACCEPT,
            inputs=(PARTIES_CONSENT, NOTE),
            style="primary",
        ),
        Transition(
            Action.DECLINE,
            _("Decline"),
            frozenset({S.REGISTERED}),
            S.DECLINED,
            C.CASE_ACCEPT,
            inputs=(NOTE, REFERRED_TO),
            required=(NOTE,),
            outcome=CaseOutcome.DECLINED,
            style="danger",
        ),
        Transition(
            Action.ASSIGN,
            _("Assign"),
            frozenset({S.ACCEPTED, S.ASSIGNED}),
            S.ASSIGNED,
            C.CASE_ASSIGN,
            inputs=(ORG, ASSIGNEE, DUE_DATE, LEAD, NOTE),
            required=(ORG, ASSIGNEE, DUE_DATE),
            style="primary",
        ),
        Transition(
            Action.START_MEDIATION,
            _("Start mediation"),
            frozenset({S.ASSIGNED}),
            S.MEDIATING,
            C.CASE_MEDIATE,
            inputs=(NOTE,),
            guards=(_has_assignee,),
            style="primary",
        ),
        Transition(
            Action.RECORD_AGREEMENT,
            _("Record agreement"),
            frozenset({S.MEDIATING}),
            S.RESOLVED,
            C.CASE_MEDIATE,
            inputs=(AGREEMENT_FORM, NOTE),
            required=(AGREEMENT_FORM, NOTE),
            outcome=CaseOutcome.RESOLVED,
            style="primary",
        ),
        Transition(
            Action.TERMINATE,
            _("Terminate mediation"),
            frozenset({S.MEDIATING}),
            S.TERMINATED,
            C.CASE_MEDIATE,
            inputs=(TERMINATION_REASON, REFERRED_TO, NOTE),
            required=(TERMINATION_REASON, NOTE),
            outcome=CaseOutcome.TERMINATED,
            style="danger",
        ),
        Transition(
            Action.TRANSFER,
            _("Transfer"),
            ACTIVE,
            S.TRANSFERRING,
            C.CASE_TRANSFER,
            inputs=(ORG, NOTE),
            required=(ORG, NOTE),
        ),
        Transition(
            Action.ESCALATE,
            _("Escalate to the level above"),
            ACTIVE,
            S.TRANSFERRING,
            C.CASE_TRANSFER,
            inputs=(ORG, NOTE),
            required=(ORG, NOTE),
            guards=(_has_level_above,),
        ),
        Transition(
            Action.ACCEPT_TRANSFER,
            _("Receive"),
            frozenset({S.TRANSFERRING}),
            S.ACCEPTED,
            C.CASE_ACCEPT,
            inputs=(NOTE,),
            style="primary",
        ),
        Transition(
            Action.RETURN_TRANSFER,
            _("Return to sender"),
            frozenset({S.TRANSFERRING}),
            None,
            C.CASE_ACCEPT,
            inputs=(NOTE,),
            required=(NOTE,),
            style="danger",
        ),
        Transition(
            Action.WITHDRAW,
            _("Withdraw"),
            ACTIVE,
            S.WITHDRAWN,
            C.CASE_ACCEPT,
            inputs=(NOTE,),
            required=(NOTE,),
            outcome=CaseOutcome.WITHDRAWN,
            style="danger",
        ),
        # 并案 (三源合一): the same dispute registered twice is handled once, on the primary case,
        # which keeps this case's sources and events; this case closes as merged.
        Transition(
            Action.MERGE,
            _("Merge into another case"),
            ACTIVE | {S.TRANSFERRING},
            S.CLOSED,
            C.CASE_ACCEPT,
            inputs=(MERGE_INTO, NOTE),
            required=(MERGE_INTO, NOTE),
            outcome=CaseOutcome.MERGED,
            style="danger",
        ),
        Transition(
            Action.CLOSE,
            _("Close"),
            frozenset({S.RESOLVED, S.TERMINATED, S.DECLINED, S.WITHDRAWN}),
            S.CLOSED,
            C.CASE_CLOSE,
            inputs=(NOTE,),
            style="primary",
        ),
        # The clock (ARCHITECTURE rule 5): pause while waiting on a party, resume, or extend with
        # a leader's approval (the handler requests, a leader grants by extending, or refuses).
        # A statutory limit extends only as its law allows (cases.clocks). Each is an event; the
        # status stays as it is.
        Transition(
            Action.PAUSE_DEADLINE,
            _("Pause the deadline"),
            ACTIVE - {S.REGISTERED},
            None,
            C.CASE_MEDIATE,
            inputs=(NOTE,),
            required=(NOTE,),
            guards=(_deadline_running,),
            keeps_status=True,
        ),
        Transition(
            Action.RESUME_DEADLINE,
            _("Resume the deadline"),
            ACTIVE - {S.REGISTERED},
            None,
            C.CASE_MEDIATE,
            inputs=(NOTE,),
            guards=(_deadline_paused,),
            keeps_status=True,
        ),
        Transition(
            Action.REQUEST_EXTENSION,
            _("Request more time"),
            ACTIVE - {S.REGISTERED},
            None,
            C.CASE_MEDIATE,
            inputs=(DUE_DATE, NOTE),
            required=(DUE_DATE, NOTE),
            guards=(_has_deadline, _no_extension_pending),
            keeps_status=True,
        ),
        Transition(
            Action.REFUSE_EXTENSION,
            _("Refuse the extension"),
            ACTIVE,
            None,
            C.CASE_SUPERVISE,
            inputs=(NOTE,),
            required=(NOTE,),
            guards=(_extension_pending,),
            keeps_status=True,
            style="danger",
            offered_when=_extension_pending,
        ),
        Transition(
            Action.EXTEND_DEADLINE,
            _("Extend the deadline"),
            ACTIVE,
            None,
            C.CASE_SUPERVISE,
            inputs=(DUE_DATE, NOTE, APPROVAL_REF, CONSENT_DOCUMENT),
            required=(DUE_DATE, NOTE),
            guards=(_has_deadline,),
            keeps_status=True,
        ),
        # The 信访 stages (信访工作条例): the 处理意见书 ends the handling limit (art.32, 34); a
        # 复查 request starts 30 days for its answer (art.35), a 复核 request 30 more (art.36).
        # Offered on petition cases only, when the stage before is done; each is an event.
        *(
            Transition(
                name,
                label,
                sources,
                None,
                C.CASE_ACCEPT,
                inputs=(NOTE,),
                required=(NOTE,),
                guards=(_petition_step(name),),
                keeps_status=True,
                offered_when=_petition_step(name),
            )
            for name, label, sources in (
                (
                    Action.PETITION_OPINION,
                    _("Issue the petition reply (处理意见书)"),
                    PETITION_STAGES,
                ),
                (
                    Action.PETITION_REVIEW_REQUEST,
                    _("Record a review (复查) request"),
                    PETITION_REVIEWS,
                ),
                (
                    Action.PETITION_REVIEW_REPLY,
                    _("Record the review (复查) answer"),
                    PETITION_REVIEWS,
                ),
                (
                    Action.PETITION_REREVIEW_REQUEST,
                    _("Record a re-review (复核) request"),
                    PETITION_REVIEWS,
                ),
                (
                    Action.PETITION_REREVIEW_REPLY,
                    _("Record the re-review (复核) answer"),
                    PETITION_REVIEWS,
                ),
            )
        ),
        Transition(
            Action.REOPEN,
            _("Reopen"),
            frozenset({S.CLOSED}),
            S.ACCEPTED,
            C.CASE_REOPEN,
            inputs=(NOTE,),
            required=(NOTE,),
            guards=(_not_merged,),
            clears_outcome=True,
        ),
    )
}


def get(name: str) -> Transition:
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise NotFound(gettext("Unknown action.")) from None


def blockers(transition: Transition, *, case: Case, actor: User) -> list[str]:
    """Why ``actor`` cannot fire ``transition`` on ``case`` now; an empty list means it can."""
    if case.status not in transition.sources:
        return [
            gettext("Not possible while the case is {status}.").format(
                status=case.get_status_display()
            )
        ]
    if not access.can(actor, transition.capability, prefix=case.handling_prefix):
        return [gettext("You are not allowed to do this for the handling organisation.")]
    guards = (*transition.guards, *hooks.guards_for(transition.name))
    return [reason for guard in guards if (reason := guard(case))]


def permitted(transition: Transition, *, case: Case, actor: User) -> bool:
    """Whether the actor's rights here cover ``transition`` at all (state and guards aside):
    the action panel offers these and folds the rest under one line."""
    return access.can(actor, transition.capability, prefix=case.handling_prefix)


def available(case: Case, *, actor: User) -> list[tuple[Transition, list[str]]]:
    """Actions leaving the current state, each with its blockers: drives buttons and the API."""
    return [
        (t, blockers(t, case=case, actor=actor))
        for t in TRANSITIONS.values()
        if case.status in t.sources and (t.offered_when is None or t.offered_when(case) is None)
    ]
