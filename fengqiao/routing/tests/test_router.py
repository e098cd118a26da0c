"""Routing rules: each kind of rule fires once, priority decides, a rule whose target is missing
is passed over, and the rule that fired is on the case, its timeline and its page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import draft_for
from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import Channel, EventKind, PartyRole
from fengqiao.cases.models import CaseEvent, DisputeCategory
from fengqiao.cases.services import PartyDraft
from fengqiao.intake.pipeline import register_dispute
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.routing.choices import PartySpread, TargetKind
from fengqiao.routing.models import InvitedOrganisation, RoutingRule

pytestmark = pytest.mark.django_db


def rule(code: str, target: str, *, categories: tuple[str, ...] = (), **fields) -> RoutingRule:
    made = RoutingRule.objects.create(code=code, name=f"规则{code}", target=target, **fields)
    made.categories.set(DisputeCategory.objects.filter(code__in=categories))
    return made


def parties_living_in(*regions) -> tuple[PartyDraft, ...]:
    roles = [PartyRole.APPLICANT, *[PartyRole.RESPONDENT] * (len(regions) - 1)]
    return tuple(
        PartyDraft(role=role, name=f"当事人{i}", region=region.code)
        for i, (role, region) in enumerate(zip(roles, regions, strict=True))
    )


@pytest.fixture
def village_registrar(make_actor, tree):
    return make_actor(Role.MEDIATOR, tree.village_committee, region=tree.village)


def test_no_rule_leaves_the_case_where_it_was_registered(register_case, tree):
    case = register_case()
    assert case.handling_org == tree.township_centre
    assert case.routing == {}
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.ROUTED).exists()


def test_medical_disputes_go_to_the_county_medical_committee(register_case, tree, client):
    rule(
        "medical",
        TargetKind.ORGANISATION,
        categories=("medical",),
        target_org=tree.medical_committee,
    )
    homestead = register_case()
    medical = register_case(category="medical", subcategory="medical.malpractice")

    assert homestead.handling_org == tree.township_centre
    assert medical.handling_org == tree.medical_committee
    assert medical.handling_prefix == tree.county.prefix
    assert medical.routing["rule"] == "medical"
    assert "医疗纠纷" in medical.routing["reason"]
    event = CaseEvent.objects.get(case=medical, kind=EventKind.ROUTED)
    assert event.data["org"] == tree.medical_committee.code


def test_a_subcategory_rule_matches_only_that_subcategory(register_case, tree):
    rule(
        "malpractice",
        TargetKind.ORGANISATION,
        categories=("medical.malpractice",),
        target_org=tree.medical_committee,
    )
    assert register_case(category="medical", subcategory="medical.medical_fee").handling_org == (
        tree.township_centre
    )
    assert register_case(category="medical", subcategory="medical.malpractice").handling_org == (
        tree.medical_committee
    )


def test_parties_in_two_villages_go_up_to_the_township(village_registrar, tree):
    rule("cross-village", TargetKind.PLACE_TOWNSHIP, party_spread=PartySpread.CROSS_VILLAGE)
    same = register_dispute(
        actor=village_registrar,
        draft=draft_for(
            tree.village_committee,
            tree.village,
            parties=parties_living_in(tree.village, tree.village),
        ),
    ).case
    across = register_dispute(
        actor=village_registrar,
        draft=draft_for(
            tree.village_committee,
            tree.village,
            parties=parties_living_in(tree.village, tree.other_village),
        ),
    ).case
    assert same.handling_org == tree.village_committee
    assert across.handling_org == tree.township_centre
    assert "不同村" in across.routing["reason"]


def test_parties_in_two_townships_go_to_the_named_county_lead_unit(register_case, tree):
    rule(
        "cross-township",
        TargetKind.ORGANISATION,
        party_spread=PartySpread.CROSS_TOWNSHIP,
        target_org=tree.county_centre,
    )
    case = register_case(
        parties=parties_living_in(tree.village, tree.other_township_village),
    )
    assert case.handling_org == tree.county_centre


def test_large_amounts_and_many_people_go_up(register_case, tree):
    rule("big-money", TargetKind.PLACE_COUNTY, min_amount=Decimal("100000"), priority=10)
    rule("many-people", TargetKind.ORGANISATION, min_people=30, target_org=tree.justice_office)
    assert register_case(amount=Decimal("99999.99")).handling_org == tree.township_centre
    assert register_case(amount=Decimal("100000")).handling_org == tree.county_centre
    crowd = register_case(people_count=45)
    assert crowd.handling_org == tree.justice_office
    assert "45" in crowd.routing["reason"]


def test_court_delegations_go_to_the_least_busy_invited_organisation(
    make_actor, tree, register_case
):
    court = Organisation.objects.create(
        name="湘阴县人民法院", kind=OrgKind.COURT, region=tree.county, code="430624FY"
    )
    InvitedOrganisation.objects.create(court=court, org=tree.township_centre)
    InvitedOrganisation.objects.create(court=court, org=tree.justice_office)
    rule("court", TargetKind.COURT_INVITED, channels=[Channel.COURT])
    register_case(channel=Channel.WALK_IN)  # one open case at the centre already

    delegated = register_case(channel=Channel.COURT, route_extra={"court": "430624FY"})
    walk_in = register_case(channel=Channel.WALK_IN, route_extra={"court": "430624FY"})

    assert delegated.handling_org == tree.justice_office  # no open cases yet
    assert walk_in.handling_org == tree.township_centre  # the rule is for the court channel
    assert "法院" in delegated.routing["reason"]


def test_a_court_delegation_goes_to_the_nearest_invited_organisation_before_the_least_busy(
    tree, register_case
):
    """小事不出村: a dispute in a village goes to the invited committee of that village, even
    when a county committee the court also admitted has fewer open cases; before, the least busy
    of every organisation covering the place won, so a village quarrel went to the county."""
    court = Organisation.objects.create(
        name="湘阴县人民法院", kind=OrgKind.COURT, region=tree.county, code="430624FY"
    )
    for org in (tree.medical_committee, tree.township_centre, tree.village_committee):
        InvitedOrganisation.objects.create(court=court, org=org)
    rule("court", TargetKind.COURT_INVITED, channels=[Channel.COURT])
    delegation = {"channel": Channel.COURT, "route_extra": {"court": "430624FY"}}
    first = register_case(**delegation)  # now the committee is the busiest of the three

    in_village = register_case(**delegation)
    in_other_village = register_case(**delegation, region=tree.other_village)

    assert first.handling_org == in_village.handling_org == tree.village_committee
    assert in_other_village.handling_org == tree.township_centre  # no committee there: the town


def test_a_delegation_the_court_liaison_registers_goes_to_that_court_s_invited_organisation(
    make_actor, tree, register_case
):
    """The staff form names no court: the court that registered the delegation is the one whose
    invited organisations take it; before, the case stayed at the court, where no one may
    accept it (issue #21, the court liaison's walk)."""
    court = Organisation.objects.create(
        name="湘阴县人民法院", kind=OrgKind.COURT, region=tree.county, code="430624FY"
    )
    InvitedOrganisation.objects.create(court=court, org=tree.village_committee)
    rule("court", TargetKind.COURT_INVITED, channels=[Channel.COURT])
    liaison = make_actor(Role.COURT_LIAISON, court)

    delegated = register_case(actor=liaison, org=court, channel=Channel.COURT)
    elsewhere = register_case(channel=Channel.COURT)  # the centre is no court: no invited list

    assert delegated.handling_org == tree.village_committee
    assert elsewhere.handling_org == tree.township_centre


def test_a_hotline_work_order_goes_to_the_unit_it_names(register_case, tree):
    rule("12345", TargetKind.SOURCE_NAMED, channels=[Channel.HOTLINE_12345])
    named = register_case(
        channel=Channel.HOTLINE_12345, route_extra={"handling_unit": tree.justice_office.code}
    )
    unnamed = register_case(channel=Channel.HOTLINE_12345)
    assert named.handling_org == tree.justice_office
    assert unnamed.handling_org == tree.township_centre  # no target: the rule is passed over


def test_priority_decides_and_inactive_rules_never_fire(register_case, tree):
    rule(
        "second",
        TargetKind.ORGANISATION,
        categories=("medical",),
        target_org=tree.county_centre,
        priority=20,
    )
    first = rule(
        "first",
        TargetKind.ORGANISATION,
        categories=("medical",),
        target_org=tree.medical_committee,
        priority=10,
    )
    assert register_case(category="medical").handling_org == tree.medical_committee
    first.is_active = False
    first.save()
    assert register_case(category="medical").handling_org == tree.county_centre


def test_a_rule_limited_to_a_region_ignores_places_outside_it(register_case, tree, make_actor):
    rule(
        "other-township-only",
        TargetKind.ORGANISATION,
        categories=("medical",),
        within=tree.other_township,
        target_org=tree.medical_committee,
    )
    assert register_case(category="medical").handling_org == tree.township_centre


def test_the_rule_is_shown_on_the_case_page(register_case, tree, client, township_clerk):
    rule(
        "medical",
        TargetKind.ORGANISATION,
        categories=("medical",),
        target_org=tree.medical_committee,
    )
    case = register_case(category="medical")
    client.force_login(township_clerk)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "规则medical" in page
    assert "医疗纠纷" in page


def test_a_named_organisation_rule_needs_its_organisation():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        RoutingRule(code="x", name="x", target=TargetKind.ORGANISATION, channels=["fax"]).clean()
    assert set(raised.value.message_dict) == {"channels", "target_org"}
