"""Every role × organisation level × inside/outside the jurisdiction, on the case page and its
first action. Expectations come from ROLE_CAPABILITIES and the region prefixes, not from a
hand-written table, so a new role or capability is covered the day it is added."""

import pytest
from django.urls import reverse

from fengqiao.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db

LEVELS = ("village", "township", "county")
SCOPES = ("inside", "outside")


def _seat(tree, level: str, scope: str) -> Organisation:
    if level == "village":
        return tree.village_committee if scope == "inside" else tree.other_village_committee
    if level == "township":
        return tree.township_centre if scope == "inside" else tree.other_township_centre
    if scope == "inside":
        return tree.county_centre
    other_county = Region.objects.create(
        code="430621000000", name="岳阳县", level=RegionLevel.COUNTY, parent=tree.county.parent
    )
    return Organisation.objects.create(
        name="岳阳县矛调中心", kind=OrgKind.CENTRE, region=other_county, code="430621ZZ"
    )


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", Role.values)
def test_case_page_and_accept_follow_capability_and_jurisdiction(
    role, level, scope, tree, make_actor, register_case, client
):
    case = register_case()  # handled by the township centre, arising in 静河村
    org = _seat(tree, level, scope)
    actor = make_actor(role, org)
    client.force_login(actor)
    caps = ROLE_CAPABILITIES[role]
    prefix = org.region.prefix
    sees = Capability.CASE_VIEW in caps and (
        case.handling_prefix.startswith(prefix) or case.place_prefix.startswith(prefix)
    )
    may_accept = sees and Capability.CASE_ACCEPT in caps and case.handling_prefix.startswith(prefix)
    audits_before = AuditEntry.objects.count()

    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == (200 if sees else 404)

    answer = client.post(
        reverse("cases:transition", args=[case.pk, "accept"]),
        data={"note": ""},
        HTTP_HX_REQUEST="true",
    )
    case.refresh_from_db()
    if may_accept:
        assert answer.status_code == 200
        assert case.status == CaseStatus.ACCEPTED
        assert CaseEvent.objects.filter(case=case).count() == 2
    else:
        assert answer.status_code == (409 if sees else 404)
        assert case.status == CaseStatus.REGISTERED
        assert CaseEvent.objects.filter(case=case).count() == 1
        assert AuditEntry.objects.count() == audits_before
        assert Case.objects.count() == 1
