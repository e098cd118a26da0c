"""Who is told about a 督办 and where an unanswered one goes next.

The escalation table is data in code rather than a setting: it is the rule the plans write down
(重大矛盾纠纷 限期调处; a 督办 not answered in time is 提级督办), reviewed with the code that
applies it. A reply overdue for ``after_working_days`` working days is re-issued one level up, to
the 矛调中心 of the region level ``to_level`` (or the next one above that has a centre).
"""

from dataclasses import dataclass

from django.conf import settings

from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Capability, roles_with
from fengqiao.cases.models import Case
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region


@dataclass(frozen=True, slots=True)
class EscalationRule:
    from_level: int  # the notice's escalation level
    after_working_days: int  # working days past its reply date
    to_level: RegionLevel  # the region level whose centre receives the next notice


ESCALATION_POLICY: tuple[EscalationRule, ...] = (
    EscalationRule(0, 2, RegionLevel.COUNTY),
    EscalationRule(1, 3, RegionLevel.CITY),
    EscalationRule(2, 5, RegionLevel.PROVINCE),
)


def rule_for(level: int) -> EscalationRule | None:
    return next((r for r in ESCALATION_POLICY if r.from_level == level), None)


def reply_working_days() -> int:
    return int(getattr(settings, "FENGQIAO_SUPERVISION_REPLY_DAYS", 3))


def due_soon_days() -> int:
    return int(getattr(settings, "FENGQIAO_DUE_SOON_DAYS", 3))


def _ancestors(region: Region) -> list[Region]:
    found, current = [], region.parent
    while current is not None:
        found.append(current)
        current = current.parent
    return found


def centre_above(org: Organisation, *, at_most_level: int | None = None) -> Organisation | None:
    """The nearest 矛调中心 in a region above ``org``'s (at ``at_most_level`` or higher)."""
    for region in _ancestors(org.region):
        if at_most_level is not None and region.level > at_most_level:
            continue
        centre = Organisation.objects.filter(region=region, kind=OrgKind.CENTRE).order_by("pk")
        if (found := centre.first()) is not None:
            return found
    return None


def unit_heads(org: Organisation | None) -> list[User]:
    """The people at ``org`` who supervise its cases (中心主任, 包案领导 roles)."""
    if org is None:
        return []
    memberships = Membership.objects.active().filter(
        org=org, role__in=roles_with(Capability.CASE_SUPERVISE)
    )
    return list(
        User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by("pk")
    )


def recipients_for(case: Case, *orgs: Organisation | None) -> list[User]:
    """The heads of the given units, the case's handler and its 包案 leader (copies)."""
    people: list[User] = []
    for org in orgs:
        people.extend(unit_heads(org))
    if case.assignee_id is not None and case.assignee is not None:
        people.append(case.assignee)
    if case.lead_id is not None and case.lead is not None:
        people.append(case.lead)
    return people
