"""History import (issue #21 item 7): a ledger row of an earlier year becomes the case it was,
with its registration date, handling unit, mediator, result, agreement and closing date.

The row is not copied in: it is replayed. Inside ``clock.replay()`` the case is registered on its
登记日期 through the one intake path (``pipeline.register_dispute``), then the workflow actions
that lead to its recorded result run through the one executor (``cases.services.case_transition``)
at plausible moments between registration and the 办结日期, the concluding ones on that day. So
its events, deadlines, KPI rollups (the true months) and ledger are what a live run would have
written. While a row is replayed ``clock.imported()`` carries the marker (the import, the file,
the row) that every event seals in its data, that the audit entries name, and that keeps every
message from leaving (``notifications``, the risk alert, the source callbacks, the automatic
督办 after an overdue mark).

受理, 交办 and 开始调解 follow registration within hours, as an office takes a case on; the
result and the closing fall on the 办结日期. Between the actions the overdue sweep runs as it
would have (``cases.services.case_mark_overdue``, by the system account): a case still open the
night after its due date is marked at that midnight, once per deadline, so a case concluded late
carries the mark of the night it became late and one concluded on time none, and the ledger's
是否按期, the KPI's 按期 and 标记超期 and the timeline agree. A case still open today is marked
likewise; its 督办 is issued by the periodic supervision sweep.

Authorisation is decided now: the importer acts today, so memberships are read in real time
(``Membership.objects.active``). A row is registered at its handling unit (the 承办单位), which
must be one the importer registers for, or — offices keep one ledger per township, and the
township centre (矛调中心) is the superior of its committees: 小事不出村、大事不出镇 — a people's
mediation committee of the township whose centre the importer registers for
(``accounts.access.history_unit_ids``); that holds only inside a history import, live cases are
registered at one's own unit. Every replayed action is then the executor's own, checked against
the importer's live rights over the unit's jurisdiction (``missing_rights`` reports them per
row): a centre's director, who may act on its committees' cases, replays their mediation; its
intake clerk, who mediates and closes nowhere, does not. The events are the handling unit's
(``CaseEvent.org``) and name the row's mediator; their actor is the importer, who wrote them:
the timeline never names as actor someone who did not act in the system.

The row's 调解员 is one of the unit's mediators, by name (unique within the unit) or login name:
a member of its staff who may mediate, or an entry of its 人民调解员名册. Many past mediators
never had a login; such an entry is what the replayed 交办 hands the case to
(``ActionInput.roster_mediator_id``, taken from a history import only), recorded as the case's
``roster_mediator`` with an empty ``assignee`` and named in the 交办 event — no login is made
for them. The 调处台账 and the documents (agreement, 结案报告, 主持调解证明, 卷宗 cover) name
the mediator of record where no session or signature does. A name the unit's roster and staff
give twice, or not at all, and a relationship the mediator declared with a party (人民调解法
art.23) are row errors.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.services import system_actor
from fengqiao.cases import clocks, hooks, workflow
from fengqiao.cases.choices import Action, AgreementForm, TerminationReason
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, CaseDraft, case_mark_overdue, case_transition
from fengqiao.core import clock
from fengqiao.intake.pipeline import dispute_errors, register_dispute
from fengqiao.orgs.models import Mediator, Organisation

CONTEXT = "a ledger row's result"


class HistoryResult(models.TextChoices):
    """办理结果 as a ledger writes it, each mapped onto the workflow's own actions below."""

    OPEN = "open", pgettext_lazy(CONTEXT, "In hand")  # 办理中: registered, or in mediation
    RESOLVED = "resolved", pgettext_lazy(CONTEXT, "Mediated successfully")  # 调解成功
    FAILED = "failed", pgettext_lazy(CONTEXT, "Mediation unsuccessful")  # 调解不成功
    TERMINATED = "terminated", pgettext_lazy(CONTEXT, "Mediation ended")  # 终止调解
    WITHDRAWN = "withdrawn", pgettext_lazy(CONTEXT, "Withdrawn")  # 撤回
    DECLINED = "declined", pgettext_lazy(CONTEXT, "Not accepted")  # 不予受理
    REFERRED = "referred", pgettext_lazy(CONTEXT, "Referred elsewhere")  # 移交


# The words of the template's list (in the order shown), then other words offices write for the
# same result; a label in the active language is accepted too.
LEDGER_WORDS = {
    "调解成功": HistoryResult.RESOLVED,
    "调解不成功": HistoryResult.FAILED,
    "终止调解": HistoryResult.TERMINATED,
    "撤回": HistoryResult.WITHDRAWN,
    "不予受理": HistoryResult.DECLINED,
    "移交": HistoryResult.REFERRED,
    "办理中": HistoryResult.OPEN,
}
RESULT_WORDS = {
    **LEDGER_WORDS,
    "": HistoryResult.OPEN,
    "调解中": HistoryResult.OPEN,
    "正在调解": HistoryResult.OPEN,
    "达成协议": HistoryResult.RESOLVED,
    "成功": HistoryResult.RESOLVED,
    "调解失败": HistoryResult.FAILED,
    "不成功": HistoryResult.FAILED,
    "未达成协议": HistoryResult.FAILED,
    "调解终止": HistoryResult.TERMINATED,
    "撤回申请": HistoryResult.WITHDRAWN,
    "撤诉": HistoryResult.WITHDRAWN,
    "不受理": HistoryResult.DECLINED,
    "移送": HistoryResult.REFERRED,
    "移交处理": HistoryResult.REFERRED,
}
CONCLUDED = frozenset(HistoryResult) - {HistoryResult.OPEN}
MEDIATED = frozenset({HistoryResult.RESOLVED, HistoryResult.FAILED, HistoryResult.TERMINATED})
FORM_WORDS = {"口头": AgreementForm.ORAL, "口头协议": AgreementForm.ORAL}
FORM_WORDS |= {"书面": AgreementForm.WRITTEN, "书面协议": AgreementForm.WRITTEN}
PERFORMANCE_WORDS = {  # mediation.choices.PerformanceState values (mediation sits above intake)
    "已履行": "performed",
    "履行完毕": "performed",
    "即时履行": "performed",
    "部分履行": "partly",
    "未履行": "not_performed",
    "履行中": "pending",
    "未到期": "pending",
}

_MEDIATION = (Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION)
STEPS: dict[str, tuple[str, ...]] = {
    HistoryResult.RESOLVED: (*_MEDIATION, Action.RECORD_AGREEMENT, Action.CLOSE),
    HistoryResult.FAILED: (*_MEDIATION, Action.TERMINATE, Action.CLOSE),
    HistoryResult.TERMINATED: (*_MEDIATION, Action.TERMINATE, Action.CLOSE),
    HistoryResult.WITHDRAWN: (Action.ACCEPT, Action.WITHDRAW, Action.CLOSE),
    HistoryResult.DECLINED: (Action.DECLINE, Action.CLOSE),
    HistoryResult.REFERRED: (Action.DECLINE, Action.CLOSE),
}
NOTES: dict[str, str] = {
    Action.ACCEPT: "经审查，属于受理范围，予以受理。",
    Action.ASSIGN: "交办调解员办理。",
    Action.START_MEDIATION: "开始调解。",
    Action.RECORD_AGREEMENT: "双方达成调解协议。",
    Action.TERMINATE: "调解未能达成协议，终止调解。",
    Action.WITHDRAW: "当事人申请撤回。",
    Action.DECLINE: "不予受理。",
    Action.CLOSE: "案件办结。",
}
SOURCE_NOTE = "（据调处台账导入）"


@dataclass(frozen=True, slots=True)
class History:
    """What a ledger row says happened to its case, beyond what registration takes."""

    registered_on: date
    unit: Organisation
    result: str = HistoryResult.OPEN
    mediator: User | None = None  # a mediator of the unit with a login there
    # or one on the unit's roster without a login (issue #21 item 7)
    roster_mediator: Mediator | None = None
    concluded_on: date | None = None
    agreement_form: str = ""
    agreement_content: str = ""
    agreement_amount: Decimal | None = None
    performance: str = ""
    referred_to: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def mediator_name(self) -> str:
        """The row's mediator as the documents name them: the roster name, else the login's."""
        if self.roster_mediator is not None:
            return self.roster_mediator.name
        if self.mediator is not None:
            return self.mediator.full_name or self.mediator.username
        return ""

    @property
    def steps(self) -> tuple[str, ...]:
        if self.result == HistoryResult.OPEN:
            return _MEDIATION if self.mediator_name else ()
        return STEPS[self.result]


def result_for(text: str) -> str | None:
    """The HistoryResult a ledger's words name, or None when they name none."""
    text = text.strip()
    if text in RESULT_WORDS:
        return RESULT_WORDS[text]
    for choice in HistoryResult:
        if text == str(choice.label):
            return choice.value
    return None


def missing_rights(actor: User, history: History) -> list[str]:
    """The replayed actions ``actor`` may not take at the row's unit today (labels)."""
    prefix = history.unit.region.prefix
    missing: list[str] = []
    for name in history.steps:
        transition = workflow.get(name)
        if not access.can(actor, transition.capability, prefix=prefix):
            missing.append(str(transition.label))
    return list(dict.fromkeys(missing))


def _moments(history: History, count: int) -> tuple[datetime, list[datetime]]:
    """The registration moment and one moment per action: registration at 09:00 of its day;
    a concluded case's result at 16:00 and its closing at 16:30 of the 办结日期, the steps
    before an hour apart after registration (sooner when it concluded that day); an open case's
    steps two hours apart. Never in the real future, always in order.

    受理, 交办 and 开始调解 follow registration, as an office takes a case on: spread over the
    months up to the 办结日期 they had put a late case's 交办 after its deadline, which the
    replay then re-set, so no deadline of a late case was the one it had (issue #21 item 7)."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(history.registered_on, time(9, 0), tzinfo=tz)
    wanted: list[datetime] = [start]
    if history.concluded_on is not None and count >= 2:
        outcome = datetime.combine(history.concluded_on, time(16, 0), tzinfo=tz)
        before = count - 2
        span = outcome - start
        wanted += [
            start + min(timedelta(hours=k + 1), span * (k + 1) / (before + 1))
            for k in range(before)
        ]
        wanted += [outcome, outcome + timedelta(minutes=30)]
    else:
        wanted += [start + timedelta(hours=2 * (k + 1)) for k in range(count)]
    ceiling = clock.real_now() - timedelta(seconds=1)
    for index in reversed(range(len(wanted))):
        wanted[index] = min(wanted[index], ceiling)
        ceiling = wanted[index] - timedelta(minutes=1)
    return wanted[0], wanted[1:]


def _input(name: str, case: Case, history: History) -> ActionInput:
    note = NOTES[name] + SOURCE_NOTE
    if name == Action.ASSIGN:
        today = clock.today()
        due = case.due_date if case.due_date and case.due_date >= today else None
        due = due or today + timedelta(days=30)
        latest = clocks.latest_due_date(case)  # 交办 may shorten a statutory limit only
        if latest is not None and latest >= today:
            due = min(due, latest)
        return ActionInput(
            note=note,
            org_id=history.unit.pk,
            assignee_id=history.mediator.pk if history.mediator is not None else None,
            roster_mediator_id=history.roster_mediator.pk
            if history.roster_mediator is not None
            else None,
            due_date=due,
        )
    if name == Action.DECLINE and history.result == HistoryResult.REFERRED:
        note = gettext("Referred to %(body)s.") % {"body": history.referred_to} + SOURCE_NOTE
    reason = (
        TerminationReason.TOO_FAR_APART
        if history.result == HistoryResult.FAILED
        else TerminationReason.OTHER
    )
    return ActionInput(
        note=note,
        referred_to=history.referred_to,
        agreement_form=history.agreement_form,
        termination_reason=reason if name == Action.TERMINATE else "",
    )


def registration_errors(*, actor: User, draft: CaseDraft, history: History) -> dict[str, list[str]]:
    """The field errors registering ``draft`` would raise, checked as ``replay_row`` registers
    it: on its 登记日期, inside a history import (so a committee of the importer's township is a
    unit to register at, ``accounts.access.history_unit_ids``). Writes nothing."""
    registered_at, _none = _moments(history, 0)
    with clock.replay(registered_at, imported={"check": True}):
        return dispute_errors(actor=actor, draft=draft)


def replay_row(*, actor: User, draft: CaseDraft, history: History, marker: dict[str, Any]) -> Case:
    """Register ``draft`` on its 登记日期 and replay its history, every event marked with
    ``marker``; call inside the import's transaction.

    Raises:
        InvalidInput: a registration rule or an action's input is broken.
        TransitionBlocked: an action cannot happen (its guard or the importer's rights).
    """
    steps = history.steps
    registered_at, moments = _moments(history, len(steps))
    ledger = {
        "form": history.agreement_form,
        "content": history.agreement_content,
        "amount": history.agreement_amount,
        "performance": history.performance,
        "reached_on": history.concluded_on,
    }
    with clock.replay(registered_at, imported=marker) as replay:
        case = register_dispute(actor=actor, draft=draft).case
        for name, moment in zip(steps, moments, strict=True):
            fresh = _swept_until(case.pk, moment, replay)
            replay.moment = moment
            if (recorder := hooks.history_recorder(name)) is not None:
                recorder(fresh, actor, ledger)
            case_transition(
                actor=actor, case_id=case.pk, name=name, action=_input(name, fresh, history)
            )
        return _swept_until(case.pk, clock.real_now(), replay)  # a case still open today


def _deadline_passed(case: Case) -> datetime | None:
    """When the live sweep would first have found ``case`` overdue: the midnight after its due
    date, while it is open, its clock running and not marked yet (``cases_mark_overdue``)."""
    if (
        not case.is_open
        or case.due_date is None
        or case.overdue_since is not None
        or case.deadline_paused_at is not None
    ):
        return None
    night = case.due_date + timedelta(days=1)
    return datetime.combine(night, time(0, 0), tzinfo=timezone.get_current_timezone())


def _swept_until(case_id: int, moment: datetime, replay: clock.Replay) -> Case:
    """The replayed case after the overdue sweep ran on it as it would have before ``moment``:
    a deadline that passed before the next action is marked the night it passed, by the sweep's
    account, so 是否按期 in the ledger, the KPI's 按期 and 标记超期 and the timeline agree
    (issue #21 item 7: no replayed case was ever marked)."""
    case = Case.objects.select_related("handling_org").get(pk=case_id)
    passed = _deadline_passed(case)
    if passed is None or passed >= moment:
        return case
    replay.moment = passed
    case_mark_overdue(actor=system_actor(), case_id=case_id, today=clock.today())
    return Case.objects.select_related("handling_org").get(pk=case_id)
