"""Who may do what, generated over the workflow table × every demo role × village / township /
county × the actor's own unit or another unit of the same tier (issue #21).

The expectations are written here from the seeds' tier rules, not read from ``accounts.roles``:
小事不出村 — a village committee accepts, hands to its mediator, mediates, transfers or
escalates and concludes its own cases; 大事不出镇 — the township centre receives what villages
escalate and handles its own; 难事不出县 — the county centre receives what townships escalate.
Leaders supervise, liaisons and grid workers register and follow, the read-only leader reads, the
three administrators (三员分立) touch no case. Another unit's case is not even visible (404).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases import workflow
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.cases.tests.petition_steps import ready_for_petition_step
from fengqiao.core.exceptions import InvalidInput, NotFound, TransitionBlocked
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db

VIEW, REGISTER, ACCEPT, ASSIGN, MEDIATE, TRANSFER, CLOSE, REOPEN, SUPERVISE = [
    "view",
    "register",
    "accept",
    "assign",
    "mediate",
    "transfer",
    "close",
    "reopen",
    "supervise",
]
FOLLOW = {VIEW, REGISTER}
HANDLE = {VIEW, REGISTER, ACCEPT, ASSIGN, MEDIATE, TRANSFER}


def may(role: str, tier: str) -> set[str]:
    """The seeds' tier rules, role by role (the demo's posts)."""
    if role == Role.MEDIATOR:
        # the village committee's mediators are the committee: 小事不出村
        return HANDLE | {CLOSE} if tier == "village" else {VIEW, REGISTER, MEDIATE}
    return {
        Role.GRID_WORKER: FOLLOW,
        Role.INTAKE_CLERK: FOLLOW | {ACCEPT, ASSIGN, TRANSFER},
        Role.CENTRE_DIRECTOR: HANDLE | {CLOSE, REOPEN, SUPERVISE},
        Role.JUSTICE_OFFICER: HANDLE | {CLOSE, REOPEN},
        Role.POLICE_LIAISON: FOLLOW,
        Role.POLICE_STATION_HEAD: FOLLOW,
        Role.VILLAGE_SECRETARY: FOLLOW,
        Role.PETITION_LIAISON: FOLLOW,
        Role.COURT_LIAISON: FOLLOW,
        Role.CASE_LEADER: {VIEW, SUPERVISE},
        Role.READ_ONLY: {VIEW},
        Role.SYSTEM_ADMIN: set(),
        Role.SECURITY_ADMIN: set(),
        Role.AUDIT_ADMIN: set(),
    }[role]


# What each action of the table asks of the actor, in the seeds' words.
NEEDS = {
    "accept": ACCEPT,
    "decline": ACCEPT,
    "assign": ASSIGN,
    "start_mediation": MEDIATE,
    "record_agreement": MEDIATE,
    "terminate": MEDIATE,
    "transfer": TRANSFER,
    "escalate": TRANSFER,
    "accept_transfer": ACCEPT,
    "return_transfer": ACCEPT,
    "withdraw": ACCEPT,
    "merge": ACCEPT,
    "close": CLOSE,
    "pause_deadline": MEDIATE,
    "resume_deadline": MEDIATE,
    "request_extension": MEDIATE,
    "refuse_extension": SUPERVISE,
    "extend_deadline": SUPERVISE,
    "reopen": REOPEN,
    "petition_opinion": ACCEPT,
    "petition_review_request": ACCEPT,
    "petition_review_reply": ACCEPT,
    "petition_rereview_request": ACCEPT,
    "petition_rereview_reply": ACCEPT,
}


def test_the_expectations_cover_the_whole_table_and_every_role():
    assert set(NEEDS) == set(workflow.TRANSITIONS)
    for role in Role.values:
        may(role, "village")


@dataclass
class Tier:
    own: Organisation
    other: Organisation
    above: Organisation  # where escalations go
    elsewhere: Organisation  # a transfer target


@pytest.fixture
def tiers(tree) -> dict[str, Tier]:
    city = tree.county.parent
    city_centre = Organisation.objects.create(
        name="岳阳市矛调中心", kind=OrgKind.CENTRE, region=city, code="4306ZZ"
    )
    other_county = Region.objects.create(
        code="430626000000", name="平江县", level=RegionLevel.COUNTY, parent=city, population=1
    )
    other_county_centre = Organisation.objects.create(
        name="平江县矛调中心", kind=OrgKind.CENTRE, region=other_county, code="430626ZZ"
    )
    other_township = Region.objects.create(
        code="430626100000", name="汉昌镇", level=RegionLevel.TOWNSHIP, parent=other_county
    )
    Region.objects.create(
        code="430626100201", name="汉昌村", level=RegionLevel.VILLAGE, parent=other_township
    )
    return {
        "village": Tier(
            tree.village_committee,
            tree.other_village_committee,
            tree.township_centre,
            tree.justice_office,
        ),
        "township": Tier(
            tree.township_centre,
            tree.other_township_centre,
            tree.county_centre,
            tree.justice_office,
        ),
        "county": Tier(
            tree.county_centre, other_county_centre, city_centre, tree.medical_committee
        ),
    }


def _source(name: str) -> str:
    sources = workflow.get(name).sources
    for preferred in ("assigned", "mediating", "accepted", "registered", "resolved", "closed"):
        if preferred in sources:
            return preferred
    return sorted(sources)[0]


def _prepare(case: Case, name: str, mediator: User) -> None:
    """Put the case in a state ``name`` starts from, ready for its guards."""
    status = _source(name)
    org = case.handling_org
    Case.objects.filter(pk=case.pk).update(
        status=status,
        assignee=mediator,
        due_date=timezone.localdate() + timedelta(days=20),
        deadline_paused_at=timezone.now() if name == "resume_deadline" else None,
        extension_requested_until=timezone.localdate() + timedelta(days=90)
        if name == "refuse_extension"
        else None,
        transfer_from=org if status == CaseStatus.TRANSFERRING else None,
        transfer_return_status="accepted" if status == CaseStatus.TRANSFERRING else "",
        outcome="resolved" if status in ("resolved", "closed") else "",
    )
    case.refresh_from_db()
    if name.startswith("petition_"):
        ready_for_petition_step(case, name)


def _input(name: str, tier: Tier, mediator: User, primary: Case | None) -> ActionInput:
    org = {"assign": tier.own, "transfer": tier.elsewhere, "escalate": tier.above}.get(name)
    days = 60 if name in ("extend_deadline", "request_extension") else 10
    return ActionInput(
        note="依据记录",
        referred_to="县人民法院",
        org_id=org.pk if org else None,
        assignee_id=mediator.pk if name == "assign" else None,
        due_date=timezone.localdate() + timedelta(days=days)
        if workflow.DUE_DATE in workflow.get(name).inputs
        else None,
        agreement_form="written",
        termination_reason="unwilling",
        merge_into=primary.number if primary else "",
    )


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("relation", ["own", "other"])
@pytest.mark.parametrize("tier_name", ["village", "township", "county"])
@pytest.mark.parametrize("role", Role.values)
def test_rights_follow_the_tiers(role, tier_name, relation, tiers, make_actor, register_case):
    tier = tiers[tier_name]
    actor = make_actor(role, tier.own)
    mediator = make_actor(Role.MEDIATOR, tier.own)
    handling = tier.own if relation == "own" else tier.other
    rights = may(role, tier_name) if relation == "own" else set()
    registrar = make_actor(Role.CENTRE_DIRECTOR, handling)
    place = Region.objects.filter(
        prefix__startswith=handling.region.prefix, level=RegionLevel.VILLAGE
    ).first()
    case = register_case(actor=registrar, org=handling, region=place)
    primary = register_case(actor=registrar, org=handling, region=place)
    Case.objects.filter(pk=primary.pk).update(status=CaseStatus.ACCEPTED)
    for name in workflow.TRANSITIONS:
        expected = NEEDS[name] in rights
        where = f"{role} at the {tier_name} ({relation} unit): {name}"
        assert _try(actor, case, name, _input(name, tier, mediator, primary), mediator) == (
            "done" if expected else "hidden" if VIEW not in rights else "refused"
        ), where


def _try(actor: User, case: Case, name: str, action: ActionInput, mediator: User) -> str:
    """Fire ``name`` and roll everything back, so one case serves every action; a refusal is
    checked for traces before the rollback."""
    outcome = ""
    try:
        with transaction.atomic():
            _prepare(case, name, mediator)
            events = CaseEvent.objects.filter(case=case).count()
            try:
                case_transition(actor=actor, case_id=case.pk, name=name, action=action)
                outcome = "done"
            except NotFound:
                outcome = "hidden"
            except TransitionBlocked:
                outcome = "refused"
            except InvalidInput as invalid:
                outcome = f"input refused: {invalid.errors}"
            if outcome != "done":  # a refusal leaves no trace
                assert CaseEvent.objects.filter(case=case).count() == events
                assert Case.objects.get(pk=case.pk).status == _source(name)
            raise _Rollback
    except _Rollback:
        pass
    return outcome


def test_escalations_climb_village_to_township_to_county(
    tiers, make_actor, register_case, django_capture_on_commit_callbacks
):
    """Townships receive what villages escalate; counties receive what townships escalate; the
    sender cannot receive its own escalation."""
    village, township = tiers["village"], tiers["township"]
    committee = make_actor(Role.MEDIATOR, village.own)
    clerk = make_actor(Role.INTAKE_CLERK, township.own)
    county = make_actor(Role.CENTRE_DIRECTOR, tiers["county"].own)
    case = register_case(actor=committee, org=village.own, region=village.own.region)
    step = ActionInput(note="依据记录")
    case_transition(actor=committee, case_id=case.pk, name="accept", action=step)
    case_transition(
        actor=committee,
        case_id=case.pk,
        name="escalate",
        action=ActionInput(note="难以化解，上报镇", org_id=township.own.pk),
    )
    # the committee still follows its village's case, but it left the committee's hands
    with pytest.raises(TransitionBlocked):
        case_transition(actor=committee, case_id=case.pk, name="accept_transfer", action=step)
    case_transition(actor=clerk, case_id=case.pk, name="accept_transfer", action=step)
    case_transition(
        actor=clerk,
        case_id=case.pk,
        name="escalate",
        action=ActionInput(note="跨镇纠纷，上报县", org_id=tiers["county"].own.pk),
    )
    with pytest.raises(TransitionBlocked):
        case_transition(actor=clerk, case_id=case.pk, name="accept_transfer", action=step)
    case = case_transition(actor=county, case_id=case.pk, name="accept_transfer", action=step)
    assert (case.status, case.handling_org) == (CaseStatus.ACCEPTED, tiers["county"].own)
