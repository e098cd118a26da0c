"""Who seals a case's agreement and issues its file number: the mediating body, chosen by the
system from the case, never typed (issue #14 item 1).

人民调解法 art.29: a written agreement bears the 人民调解委员会's seal. For 行政调解 the
administrative body seals its own; for 特邀调解 (a court's delegated case) it is the invited
organisation the court admitted (特邀调解规定 arts.5–6). A 司法所, a 综治中心 or a police station
guides and refers, but is not a mediation organisation and seals nothing.
"""

from django.utils.translation import gettext

from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.orgs.choices import ADMINISTRATIVE_KINDS, COMMITTEE_KINDS, OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.routing.models import InvitedOrganisation


def is_administrative(org: Organisation) -> bool:
    return org.kind in ADMINISTRATIVE_KINDS


def _court_admits(case: Case, org: Organisation) -> bool:
    """A court-delegated case is mediated by an organisation on that court's invited list (when
    the court keeps one)."""
    if case.channel != Channel.COURT:  # before reading the registering unit (issue #21)
        return True
    court = case.registering_org
    if court.kind != OrgKind.COURT:
        return True
    listed = InvitedOrganisation.objects.filter(court=court, is_active=True)
    return not listed.exists() or listed.filter(org=org).exists()


def seal_refusal(case: Case) -> str | None:
    """Why the case's handling organisation may not seal its agreement; None when it may."""
    org = case.handling_org
    if org.kind not in COMMITTEE_KINDS | ADMINISTRATIVE_KINDS:
        return gettext(
            "%(org)s is not a people's mediation committee and cannot seal a mediation agreement "
            "(人民调解法 art.29); assign the case to the committee that mediates it."
        ) % {"org": org.name}
    if not _court_admits(case, org):
        return gettext(
            "%(org)s is not on %(court)s's list of invited mediation organisations "
            "(特邀调解规定 arts.5–6)."
        ) % {"org": org.name, "court": case.registering_org.name}
    return None


def sealing_body(case: Case) -> Organisation | None:
    """The organisation whose seal the case's agreement bears and whose numbers its file
    carries; None when the handling organisation may not seal (see ``seal_refusal``)."""
    return None if seal_refusal(case) else case.handling_org
