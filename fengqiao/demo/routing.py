"""The demo's routing rules and court invited lists (湘阴县), applied to cases registered after
the demo is loaded; the demo's own year of cases was entered by hand and is left as it was."""

import random

from fengqiao.accounts.models import User
from fengqiao.cases.models import DisputeCategory
from fengqiao.orgs.choices import COMMITTEE_KINDS
from fengqiao.orgs.models import Organisation
from fengqiao.routing.choices import PartySpread, TargetKind
from fengqiao.routing.models import InvitedOrganisation, RoutingRule

COUNTY_CENTRE, MEDICAL, COUNTY_COURT, TRIBUNAL = "430624ZZ", "430624YL", "430624FY", "430624122FT"


def load_routing_demo(actor: User, rng: random.Random) -> list[str]:
    orgs = {o.code: o for o in Organisation.objects.all()}
    if MEDICAL not in orgs or COUNTY_CENTRE not in orgs:
        return []
    rules = [
        RoutingRule(
            code="medical-to-county-committee",
            name="医疗纠纷由县医调委调处",
            priority=10,
            target=TargetKind.ORGANISATION,
            target_org=orgs[MEDICAL],
        ),
        RoutingRule(
            code="court-invited-list",
            name="法院委派委托案件分至特邀调解组织",
            priority=20,
            channels=["court"],
            target=TargetKind.COURT_INVITED,
        ),
        RoutingRule(
            code="cross-township-to-county",
            name="跨乡镇纠纷由县矛调中心牵头",
            priority=30,
            party_spread=PartySpread.CROSS_TOWNSHIP,
            target=TargetKind.ORGANISATION,
            target_org=orgs[COUNTY_CENTRE],
        ),
        RoutingRule(
            code="mass-to-township",
            name="涉及30人以上的纠纷由乡镇矛调中心调处",
            priority=40,
            min_people=30,
            target=TargetKind.PLACE_TOWNSHIP,
        ),
        RoutingRule(
            code="cross-village-to-township",
            name="跨村纠纷由乡镇矛调中心调处（小事不出村、大事不出镇）",
            priority=50,
            party_spread=PartySpread.CROSS_VILLAGE,
            target=TargetKind.PLACE_TOWNSHIP,
        ),
    ]
    RoutingRule.objects.bulk_create(rules)
    medical = RoutingRule.objects.get(code="medical-to-county-committee")
    medical.categories.set(DisputeCategory.objects.filter(code="medical"))
    invited = 0
    for court in (COUNTY_COURT, TRIBUNAL):
        # the county's committees; a 司法所 or a 综治中心 is no mediation organisation and is
        # not invited (特邀调解规定 art.5; issue #14)
        for org in orgs.values():
            if court in orgs and org.kind in COMMITTEE_KINDS:
                InvitedOrganisation.objects.get_or_create(court=orgs[court], org=org)
                invited += 1
    return [f"分流规则 {len(rules)} 条（可在管理后台修改），法院特邀调解名册 {invited} 条"]
