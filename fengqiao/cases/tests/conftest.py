"""Fixtures for workflow tests: an actor who holds every capability, and cases put straight into
any status so each cell of the transition table can be tried."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import membership_grant, system_actor
from fengqiao.cases import hooks, workflow
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput
from fengqiao.cases.tests.petition_steps import ready_for_petition_step


@pytest.fixture(autouse=True)
def cases_table_only(monkeypatch):
    """The cases tests try the lifecycle table itself; guards other apps add (mediation: an
    agreement in force before record_agreement) are tested with those apps."""
    monkeypatch.setattr(hooks, "_guards", {})


@pytest.fixture
def all_powerful(tree, make_actor) -> User:
    """Every role over the whole county: only the table and its guards can stop this actor."""
    user = make_actor(Role.CENTRE_DIRECTOR, tree.county_centre, username="all_powerful")
    for role in Role.values:
        membership_grant(
            actor=system_actor(), user=user, role=role, region=tree.county, org=tree.county_centre
        )
    return user


@pytest.fixture
def county_mediator(tree, make_actor) -> User:
    return make_actor(Role.MEDIATOR, tree.village_committee, username="vm")


@pytest.fixture
def case_in(register_case, tree, county_mediator) -> Callable[[str], Case]:
    """A township case forced into ``status`` and ready for every guard (assignee set, a level
    above)."""

    def make(
        status: str,
        *,
        paused: bool = False,
        extension_requested: bool = False,
        petition_step: str = "",
    ) -> Case:
        case = register_case(channel="petition") if petition_step else register_case()
        Case.objects.filter(pk=case.pk).update(
            deadline_paused_at=timezone.now() - timedelta(days=3) if paused else None,
            extension_requested_until=(
                timezone.localdate() + timedelta(days=90) if extension_requested else None
            ),
            status=status,
            assignee=county_mediator,
            transfer_from=tree.township_centre,
            transfer_return_status="accepted",
        )
        case.refresh_from_db()
        if petition_step:
            ready_for_petition_step(case, petition_step)
        return case

    return make


@pytest.fixture
def valid_input(tree, county_mediator, case_in) -> Callable[[str], ActionInput]:
    """Input that satisfies every rule of the named action."""

    def make(name: str) -> ActionInput:
        org = {
            "assign": tree.village_committee,
            "transfer": tree.other_township_centre,
            "escalate": tree.county_centre,
        }.get(name)
        # an extension (granted or asked for) goes past the policy's 30 days
        days = 60 if name in ("extend_deadline", "request_extension") else 10
        transition = workflow.get(name)
        return ActionInput(
            note="依据记录",
            referred_to="县人民法院",
            org_id=org.pk if org else None,
            assignee_id=county_mediator.pk if name == "assign" else None,
            due_date=timezone.localdate() + timedelta(days=days)
            if "due_date" in transition.inputs
            else None,
            agreement_form="written",
            termination_reason="unwilling",
            merge_into=case_in("accepted").number if name == "merge" else "",
        )

    return make
