"""Random action sequences by random actors never reach an undeclared state, never break the
outcome rules, and always leave a verifiable chain (hypothesis state machine)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from fengqiao.accounts.roles import Role
from fengqiao.cases import ledger, workflow
from fengqiao.cases.choices import OPEN_STATUSES, CaseOutcome, CaseStatus
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput, NotFound, TransitionBlocked

pytestmark = pytest.mark.django_db

OUTCOME_OF = {
    CaseStatus.RESOLVED: CaseOutcome.RESOLVED,
    CaseStatus.TERMINATED: CaseOutcome.TERMINATED,
    CaseStatus.DECLINED: CaseOutcome.DECLINED,
    CaseStatus.WITHDRAWN: CaseOutcome.WITHDRAWN,
}


class _Rollback(Exception):
    pass


def test_random_action_sequences_stay_inside_the_table(
    tree, make_actor, register_case, township_clerk
):
    actors = {
        "clerk": township_clerk,
        "village_mediator": make_actor(Role.MEDIATOR, tree.village_committee),
        "county_director": make_actor(Role.CENTRE_DIRECTOR, tree.county_centre),
        "other_township": make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre),
        "reader": make_actor(Role.READ_ONLY, tree.county_centre),
    }
    orgs = [
        tree.village_committee,
        tree.township_centre,
        tree.county_centre,
        tree.other_township_centre,
        tree.justice_office,
        tree.medical_committee,
    ]
    tally = {"fired": 0, "refused": 0}
    declared = {t.target for t in workflow.TRANSITIONS.values() if t.target} | {
        CaseStatus.REGISTERED
    }

    class Lifecycle(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.case = register_case()

        @rule(
            name=st.sampled_from(sorted(workflow.TRANSITIONS)),
            who=st.sampled_from(sorted(actors)),
            org=st.sampled_from(orgs),
            with_note=st.booleans(),
            days=st.integers(min_value=-2, max_value=40),
        )
        def act(self, name: str, who: str, org, with_note: bool, days: int) -> None:
            action = ActionInput(
                note="说明" if with_note else "",
                org_id=org.pk,
                assignee_id=actors["village_mediator"].pk,
                due_date=timezone.localdate() + timedelta(days=days),
                agreement_form="oral",
                termination_reason="too_far_apart",
            )
            before = Case.objects.get(pk=self.case.pk)
            events_before = CaseEvent.objects.filter(case=self.case).count()
            try:
                with transaction.atomic():
                    after = case_transition(
                        actor=actors[who], case_id=self.case.pk, name=name, action=action
                    )
            except (TransitionBlocked, InvalidInput, NotFound):
                tally["refused"] += 1
                now = Case.objects.get(pk=self.case.pk)
                assert (now.status, now.handling_org_id, now.outcome) == (
                    before.status,
                    before.handling_org_id,
                    before.outcome,
                )
                assert CaseEvent.objects.filter(case=self.case).count() == events_before
                return
            tally["fired"] += 1
            assert before.status in workflow.get(name).sources
            assert CaseEvent.objects.filter(case=self.case).count() == events_before + 1
            assert after.status in declared

        @invariant()
        def status_and_outcome_agree(self) -> None:
            case = Case.objects.get(pk=self.case.pk)
            assert case.status in CaseStatus.values
            if case.status in OPEN_STATUSES:
                assert case.outcome == ""
            elif case.status in OUTCOME_OF:
                assert case.outcome == OUTCOME_OF[case.status]
            else:
                assert case.outcome in CaseOutcome.values
            assert (case.status == CaseStatus.TRANSFERRING) == (case.transfer_from_id is not None)

        @invariant()
        def chain_verifies(self) -> None:
            assert list(ledger.verify([self.case.pk])) == []

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    # The machine must really have moved cases, not only collected refusals.
    assert tally["fired"] >= 20
    assert tally["refused"] >= 20
