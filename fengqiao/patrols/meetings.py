"""Meetings (半月调度会, 季度联席会议, 月度例会; DOMAIN A4): minutes, attendees, cases on the
agenda, decisions that become tracked tasks. Built here because the supervision app was taken."""

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.models import Case
from fengqiao.core import clock
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.patrols.models import Cadence, Meeting, MeetingTask, TaskStatus
from fengqiao.patrols.services import alert_user
from fengqiao.regions.models import Region


@dataclass(frozen=True, slots=True)
class MeetingDraft:
    region: str
    cadence: str
    title: str
    held_on: date | None
    attendees: str
    minutes: str = ""
    case_ids: tuple[int, ...] = ()


def _scoped_region(actor: User, code: str) -> Region:
    reg = Region.objects.filter(code=code).first()
    if reg is None or not access.can(actor, Capability.CASE_VIEW, prefix=reg.prefix):
        raise NotFound(gettext("Not found."))
    access.require(actor, Capability.CASE_SUPERVISE, prefix=reg.prefix)
    return reg


@transaction.atomic
def meeting_record(*, actor: User, draft: MeetingDraft) -> Meeting:
    reg = _scoped_region(actor, draft.region)
    errors: dict[str, list[str]] = {}
    if draft.cadence not in Cadence.values:
        errors["cadence"] = [gettext("Choose the kind of meeting.")]
    if not draft.title.strip():
        errors["title"] = [gettext("Enter the title.")]
    if draft.held_on is None:
        errors["held_on"] = [gettext("Enter the date.")]
    if not draft.attendees.strip():
        errors["attendees"] = [gettext("List the attendees.")]
    cases = list(Case.objects.filter(pk__in=draft.case_ids, region__prefix__startswith=reg.prefix))
    if len(cases) != len(set(draft.case_ids)):
        errors["case_ids"] = [gettext("A case on the agenda is outside this region.")]
    if errors or draft.held_on is None:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    meeting = Meeting.objects.create(
        region=reg,
        cadence=draft.cadence,
        title=draft.title.strip(),
        held_on=draft.held_on,
        attendees=draft.attendees.strip(),
        minutes=draft.minutes.strip(),
        created_by=actor,
    )
    meeting.agenda_cases.set(cases)
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=meeting,
        extra={"cases": [c.number for c in cases]},
    )
    return meeting


@transaction.atomic
def meeting_task_add(
    *, actor: User, meeting_id: int, decision: str, owner_id: int | None, due_on: date | None
) -> MeetingTask:
    """A decision of the meeting becomes a task with an owner and a deadline; the owner is told."""
    meeting = Meeting.objects.select_related("region").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(gettext("Not found."))
    _scoped_region(actor, meeting.region.code)
    errors: dict[str, list[str]] = {}
    if not decision.strip():
        errors["decision"] = [gettext("Enter the decision.")]
    owner = User.objects.filter(pk=owner_id, is_active=True).first() if owner_id else None
    if owner is None:
        errors["owner_id"] = [gettext("Choose the owner.")]
    if due_on is None:
        errors["due_on"] = [gettext("Enter the deadline.")]
    if errors or owner is None or due_on is None:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    task = MeetingTask.objects.create(
        meeting=meeting, decision=decision.strip(), owner=owner, due_on=due_on
    )
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=task,
        extra={"owner": owner.get_username(), "due_on": due_on.isoformat()},
    )
    title = gettext("New task from %(meeting)s") % {"meeting": meeting.title}
    transaction.on_commit(lambda: alert_user(user=owner, title=title, body=task.decision))
    return task


@transaction.atomic
def meeting_task_complete(*, actor: User, task_id: int) -> MeetingTask:
    task = (
        MeetingTask.objects.select_for_update()
        .select_related("meeting__region")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise NotFound(gettext("Not found."))
    if task.owner_id != actor.pk:
        _scoped_region(actor, task.meeting.region.code)
    if task.status == TaskStatus.DONE:
        return task
    task.status, task.done_at = TaskStatus.DONE, clock.now()
    task.save(update_fields=["status", "done_at", "updated_at"])
    record(actor=actor, action=AuditAction.RECORD_CHANGED, target=task, changes={"status": "done"})
    return task


@transaction.atomic
def meeting_tasks_remind(*, actor: User, today: date | None = None) -> int:
    """Remind the owners of overdue open tasks, once a day each."""
    today = today or clock.today()
    n = 0
    for task in (
        MeetingTask.objects.select_for_update()
        .filter(status=TaskStatus.OPEN, due_on__lt=today)
        .exclude(reminded_on=today)
        .select_related("owner", "meeting")
    ):
        task.reminded_on = today
        task.save(update_fields=["reminded_on", "updated_at"])
        title = gettext("Overdue task from %(meeting)s") % {"meeting": task.meeting.title}
        transaction.on_commit(partial(alert_user, user=task.owner, title=title, body=task.decision))
        n += 1
    return n
