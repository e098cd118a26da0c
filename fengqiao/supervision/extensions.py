"""延期申请: when a handler asks for more time, the leaders who may grant it hear of it at once
(the 包案 leader of the case and whoever supervises at the handling organisation)."""

from typing import Any

from django.utils.translation import gettext

from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Capability, roles_with
from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case
from fengqiao.notifications.services import notify


def leaders_for(case: Case) -> list[User]:
    supervising = Membership.objects.active().filter(
        org=case.handling_org, role__in=roles_with(Capability.CASE_SUPERVISE)
    )
    people = list(User.objects.filter(pk__in=supervising.values("user_id"), is_active=True))
    if case.lead_id is not None and case.lead is not None:
        people.append(case.lead)
    return people


def alert_extension_request(case: Case, transition: str, action: Any, actor: User) -> None:
    if transition != Action.REQUEST_EXTENSION or case.extension_requested_until is None:
        return
    notify(
        recipients=[u for u in leaders_for(case) if u.pk != actor.pk],
        kind="extension_requested",
        case=case,
        title=gettext("Extension requested: %(number)s") % {"number": case.number},
        body=gettext("%(who)s asks to move the deadline from %(due)s to %(until)s: %(why)s")
        % {
            "who": actor,
            "due": case.due_date,
            "until": case.extension_requested_until,
            "why": getattr(action, "note", ""),
        },
    )
