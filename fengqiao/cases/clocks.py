"""Statutory clocks on a case (issue #14 item 5): the rules the workflow executor applies when a
case is registered, accepted, assigned, paused, resumed, extended or reopened.

These helpers run inside ``cases.services``' transactions on a locked case; they never open
their own. A statutory limit is law: 交办 may shorten it, never lengthen it, and only the law's
own extension moves it (信访工作条例 art.34: once, ≤ 30 days, the 信访 organ's approval;
特邀调解规定 art.27: the parties' recorded consent, within the court's cap), each recorded on
the timeline with its reason.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext

from fengqiao.cases import deadlines
from fengqiao.cases.choices import Action, Channel, ClockStart, DeadlineStage, ExtensionRule
from fengqiao.cases.models import Attachment, Case, CaseDeadline, DeadlinePolicy
from fengqiao.core.calendar import period_end, roll_forward

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


@dataclass(slots=True)
class Plan:
    """What a new case's clock looks like: its due date and the rows to create."""

    due_date: date | None
    rows: list[CaseDeadline] = field(default_factory=list)


def policy_of(case: Case, *, procedure: str = "") -> DeadlinePolicy | None:
    return deadlines.policy_for(
        channel=case.channel,
        category_id=case.category_id,
        level=case.handling_org.region.level,
        procedure=procedure,
        place_prefix=case.place_prefix,
    )


def plan_new_case(
    *, policy: DeadlinePolicy | None, channel: str, today: date, requested: date | None
) -> tuple[Plan, Errors]:
    """The clock of a case registered ``today``; ``requested`` is a limit the source set."""
    errors: Errors = {}
    rows: list[CaseDeadline] = []
    notice = None
    if channel == Channel.PETITION:
        notice = deadlines.stage_deadline(DeadlineStage.PETITION_NOTICE, start=today)
        rows.append(notice)
    if policy is None:
        return Plan(requested or (notice.due_date if notice else None), rows), errors
    if policy.starts == ClockStart.ACCEPTED:
        # 信访工作条例 art.34: the 60 days run from 受理; until then the notice stage is the clock.
        latest = deadlines.policy_end(policy, today)
        if requested is not None and requested > latest:
            _add(errors, "due_date", _too_long(latest, policy.basis))
        due = requested or (notice.due_date if notice else None)
        return Plan(due, rows), errors
    if not policy.statutory:
        return Plan(requested or deadlines.policy_end(policy, today), rows), errors
    handling = deadlines.handling_deadline(policy, start=today)
    if requested is not None and requested > handling.limit_date:
        _add(errors, "due_date", _too_long(handling.limit_date, policy.basis))
    handling.due_date = requested or handling.limit_date
    rows.append(handling)
    return Plan(handling.due_date, rows), errors


def _too_long(latest: date, basis: str) -> str:
    return gettext(
        "This is a statutory limit and cannot be lengthened: the latest due date is {date} "
        "({basis})."
    ).format(date=latest.isoformat(), basis=basis)


def row(case: Case, stage: str = DeadlineStage.HANDLING) -> CaseDeadline | None:
    return CaseDeadline.objects.filter(case=case, stage=stage).first()


def latest_due_date(case: Case) -> date | None:
    """The latest due date the law allows the case now (None: no statutory limit runs)."""
    handling = row(case)
    return handling.limit_date if handling is not None and handling.met_on is None else None


def on_accept(case: Case, today: date, changed: set[str]) -> dict[str, Any]:
    """受理: the notice stage is met; a limit that runs from acceptance starts now."""
    details: dict[str, Any] = {}
    notice = row(case, DeadlineStage.PETITION_NOTICE)
    if notice is not None and notice.met_on is None:
        notice.met_on = today
        notice.save(update_fields=["met_on"])
        details["notice"] = {"due_date": notice.due_date, "met_on": today, "basis": notice.basis}
    policy = policy_of(case)
    if policy is None or policy.starts != ClockStart.ACCEPTED or row(case) is not None:
        return details
    if policy.statutory:
        handling = deadlines.handling_deadline(policy, start=today)
        handling.case = case
        handling.save(force_insert=True)
        case.due_date = handling.due_date
        details["limit"] = _describe(handling)
    else:
        case.due_date = deadlines.policy_end(policy, today)
    case.overdue_since = None
    changed.update({"due_date", "overdue_since"})
    details["due_date"] = case.due_date
    return details


def on_decline(case: Case, today: date) -> dict[str, Any]:
    """不予受理 is told within the same 15 days (art.23): the notice stage is met too."""
    notice = row(case, DeadlineStage.PETITION_NOTICE)
    if notice is None or notice.met_on is not None:
        return {}
    notice.met_on = today
    notice.save(update_fields=["met_on"])
    return {"notice": {"due_date": notice.due_date, "met_on": today, "basis": notice.basis}}


def _describe(handling: CaseDeadline) -> dict[str, Any]:
    return {
        "basis": handling.basis,
        "started_on": handling.started_on,
        "days": handling.days,
        "limit_date": handling.limit_date,
        "extended_days": handling.extended_days,
    }


def check_assign(case: Case, due: date | None, errors: Errors) -> CaseDeadline | None:
    """交办 may shorten a statutory limit, never lengthen it."""
    handling = row(case)
    if handling is None or handling.met_on is not None or due is None:
        return None
    if due > handling.limit_date:
        _add(errors, "due_date", _too_long(handling.limit_date, handling.basis))
    return handling


def set_due(handling: CaseDeadline | None, due: date) -> None:
    if handling is not None:
        handling.due_date = due
        handling.save(update_fields=["due_date"])


def resume(case: Case, paused_days: int) -> date:
    """The due date after a pause: the days paused are given back to the statutory limit as
    well, and a last day on a holiday moves to the next working day (民法典 art.203)."""
    assert case.due_date is not None  # noqa: S101  the pause guard ensured it
    due = roll_forward(case.due_date + timedelta(days=paused_days))
    handling = row(case)
    if handling is not None and handling.met_on is None:
        handling.paused_days += paused_days
        due = min(due, handling.limit_date)
        handling.due_date = due
        handling.save(update_fields=["paused_days", "due_date"])
    return due


def _extension_needed(handling: CaseDeadline, new_due: date) -> int | None:
    """The fewest days of lawful extension that reach ``new_due``; None when the law's
    remaining extension cannot."""
    if new_due <= handling.limit_date:
        return 0
    for extra in range(1, handling.extension_left + 1):
        end = period_end(
            handling.started_on,
            handling.days,
            working=handling.working_days,
            paused_days=handling.paused_days,
            extended_days=handling.extended_days + extra,
        )
        if end >= new_due:
            return extra
    return None


def check_extension(
    case: Case,
    *,
    new_due: date,
    approval_ref: str,
    consent_document: int | None,
    errors: Errors,
    granting: bool,
) -> tuple[CaseDeadline | None, int, dict[str, Any]]:
    """Whether the law lets the statutory limit reach ``new_due``; returns the row, the days of
    extension it takes and what the timeline records. ``granting``: the decision itself, which
    needs the approval or the parties' consent document; a request only needs to fit the law."""
    handling = row(case)
    if handling is None or handling.met_on is not None:
        return None, 0, {}
    extra = _extension_needed(handling, new_due)
    if extra == 0:
        return handling, 0, {"limit": _describe(handling)}
    if handling.extension_rule == ExtensionRule.NONE:
        _add(
            errors,
            "due_date",
            gettext("This statutory limit cannot be extended ({basis}).").format(
                basis=handling.basis
            ),
        )
        return handling, 0, {}
    if extra is None:
        latest = period_end(
            handling.started_on,
            handling.days,
            working=handling.working_days,
            paused_days=handling.paused_days,
            extended_days=handling.extended_days + handling.extension_left,
        )
        if handling.extension_left == 0:
            message = gettext("The lawful extension has been used ({basis}).").format(
                basis=handling.basis
            )
        else:
            message = gettext(
                "The law allows an extension to {date} at the latest ({basis})."
            ).format(date=latest.isoformat(), basis=handling.basis)
        _add(errors, "due_date", message)
        return handling, 0, {}
    details: dict[str, Any] = {"extension_days": extra, "extension_rule": handling.extension_rule}
    if not granting:
        return handling, extra, details
    if handling.extension_rule == ExtensionRule.APPROVAL_ONCE:
        if not approval_ref.strip():
            _add(
                errors,
                "approval_ref",
                gettext("Record the petition organ's approval (who approved it, or its number)."),
            )
        details["approval_ref"] = approval_ref.strip()[:200]
    elif handling.extension_rule == ExtensionRule.PARTIES_CONSENT:
        document = (
            Attachment.objects.filter(case=case, pk=consent_document).first()
            if consent_document is not None
            else None
        )
        if document is None:
            _add(
                errors,
                "consent_document",
                gettext(
                    "Attach the parties' written consent to the extension to this case and "
                    "choose it."
                ),
            )
        else:
            details["consent_document"] = {
                "id": document.pk,
                "name": document.original_name,
                "sha256": document.sha256,
            }
    return handling, extra, details


def apply_extension(handling: CaseDeadline | None, extra: int, new_due: date) -> dict[str, Any]:
    if handling is None:
        return {}
    if extra:
        handling.extended_days += extra
        handling.extension_count += 1
    handling.due_date = new_due
    handling.save(update_fields=["extended_days", "extension_count", "due_date"])
    return {"limit": _describe(handling)}


def restart(case: Case, today: date) -> date | None:
    """重新调解 after a reopening: the same law's limit runs afresh from today."""
    handling = row(case)
    if handling is not None:
        handling.started_on, handling.met_on = today, None
        handling.paused_days = handling.extended_days = handling.extension_count = 0
        handling.due_date = handling.limit_date
        handling.save()
        return handling.due_date
    policy = policy_of(case)
    if policy is None:
        return None
    if not policy.statutory:
        return deadlines.policy_end(policy, today)
    fresh = deadlines.handling_deadline(policy, start=today)
    fresh.case = case
    fresh.save(force_insert=True)
    return fresh.due_date


# --- the 信访 stages after the handling limit (信访工作条例 arts.32, 35, 36) -----------------

# transition → (the stage it needs done first, the stage it starts or meets, starts?)
PETITION_STEPS: dict[str, tuple[str | None, str, bool]] = {
    Action.PETITION_OPINION: (None, DeadlineStage.HANDLING, False),
    Action.PETITION_REVIEW_REQUEST: (DeadlineStage.HANDLING, DeadlineStage.PETITION_REVIEW, True),
    Action.PETITION_REVIEW_REPLY: (None, DeadlineStage.PETITION_REVIEW, False),
    Action.PETITION_REREVIEW_REQUEST: (
        DeadlineStage.PETITION_REVIEW,
        DeadlineStage.PETITION_REREVIEW,
        True,
    ),
    Action.PETITION_REREVIEW_REPLY: (None, DeadlineStage.PETITION_REREVIEW, False),
}


def petition_blocker(case: Case, transition: str, today: date) -> str | None:
    """Why a 信访 stage cannot be recorded now (None: it can)."""
    if case.channel != Channel.PETITION:
        return gettext("Only for petition cases.")
    before, stage, starts = PETITION_STEPS[transition]
    rows = {r.stage: r for r in CaseDeadline.objects.filter(case=case)}
    if not starts:
        current = rows.get(stage)
        if current is None or current.met_on is not None:
            return gettext("This stage is not running.")
        return None
    if stage in rows:
        return gettext("This stage has been recorded already.")
    previous = rows.get(before) if before else None
    if previous is None or previous.met_on is None:
        return gettext("The written reply this request answers has not been issued.")
    window_ends = previous.met_on + timedelta(days=deadlines.PETITION_REQUEST_DAYS)
    if today > roll_forward(window_ends):
        # arts.35, 36: the petitioner asks within 30 days of receiving the written reply
        return gettext("The 30 days to ask for it ended on {date}.").format(
            date=roll_forward(window_ends).isoformat()
        )
    return None


def petition_step(case: Case, transition: str, today: date) -> dict[str, Any]:
    """Record a 信访 stage: 处理意见书 issued (the handling limit met), a 复查 or 复核 request
    (its 30-day limit starts), or the answer to one (that limit met)."""
    _before, stage, starts = PETITION_STEPS[transition]
    if starts:
        fresh = deadlines.stage_deadline(stage, start=today)
        fresh.case = case
        fresh.save(force_insert=True)
        return {
            "stage": stage,
            "started_on": today,
            "stage_due_date": fresh.due_date,
            "basis": fresh.basis,
        }
    current = CaseDeadline.objects.get(case=case, stage=stage)
    current.met_on = today
    current.save(update_fields=["met_on"])
    return {
        "stage": stage,
        "met_on": today,
        "stage_due_date": current.due_date,
        "on_time": today <= current.due_date,
        "basis": current.basis,
    }
