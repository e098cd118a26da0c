"""Reminders of mediation deadlines: the 司法确认 window closing (民事诉讼法 art.205) and 回访
due (人民调解法 art.31). Computed here; delivered through ``fengqiao.notifications.services.notify``
when the supervision app provides it."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext

from fengqiao.cases.models import Case
from fengqiao.core import clock
from fengqiao.mediation import rules
from fengqiao.mediation.selectors import confirmation_due, follow_ups_due
from fengqiao.notifications.services import notify


@dataclass(frozen=True, slots=True)
class Reminder:
    case: Case
    kind: str  # "confirmation" | "follow_up"
    due_on: date
    text: str


def due_reminders(today: date | None = None) -> list[Reminder]:
    today = today or clock.today()
    items = []
    for agreement in confirmation_due(today):
        assert agreement.effective_on is not None  # noqa: S101  filtered on it
        deadline = rules.confirmation_deadline(agreement.effective_on)
        items.append(
            Reminder(
                agreement.case,
                "confirmation",
                deadline,
                gettext("Joint application for judicial confirmation due by %(day)s.")
                % {"day": deadline.isoformat()},
            )
        )
    items.extend(
        Reminder(
            visit.case,
            "follow_up",
            visit.due_on,
            gettext("Follow-up visit due on %(day)s.") % {"day": visit.due_on.isoformat()},
        )
        for visit in follow_ups_due(today)
    )
    return items


def send_due_reminders(today: date | None = None) -> int:
    """Send each reminder to the case's assignee (``notifications.services.notify``)."""
    reminders = due_reminders(today)
    sent = 0
    for item in reminders:
        assignee = item.case.assignee
        if assignee is None:
            continue
        notify(
            recipients=[assignee],
            case=item.case,
            title=item.text,
            kind=f"mediation_{item.kind}",
        )
        sent += 1
    return sent
