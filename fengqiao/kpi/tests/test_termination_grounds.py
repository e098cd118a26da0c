"""A mediation terminated for concealment, delay or suspected collusion (虚假调解) is a mediation
concluded without agreement: it counts in the success rate's denominator, never in its
numerator, and the rollups agree with a recount from the events."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fengqiao.cases.choices import TerminationReason
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.kpi import selectors, verification
from fengqiao.kpi.choices import Metric
from fengqiao.kpi.definitions import BY_CODE
from fengqiao.kpi.periods import Period

pytestmark = pytest.mark.django_db


def _year() -> Period:
    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today.replace(month=12, day=31))


@pytest.fixture
def drive(township_clerk, village_mediator, tree):
    def run(case, *steps: str, reason: str = TerminationReason.UNWILLING):
        for name in steps:
            values: dict = {"note": "记录"}
            if name == "assign":
                values.update(
                    org_id=tree.village_committee.pk,
                    assignee_id=village_mediator.pk,
                    due_date=timezone.localdate() + timedelta(days=10),
                )
            if name == "record_agreement":
                values["agreement_form"] = "written"
            if name == "terminate":
                values["termination_reason"] = reason
            actor = (
                village_mediator
                if name in ("start_mediation", "record_agreement", "terminate")
                else township_clerk
            )
            case_transition(actor=actor, case_id=case.pk, name=name, action=ActionInput(**values))

    return run


@pytest.mark.parametrize(
    "reason",
    [
        TerminationReason.SUSPECTED_COLLUSION,
        TerminationReason.CONCEALMENT,
        TerminationReason.DELIBERATE_DELAY,
    ],
)
def test_a_termination_on_these_grounds_is_not_a_success(reason, register_case, drive, tree):
    drive(register_case(title="一"), "accept", "assign", "start_mediation", "record_agreement")
    drive(
        register_case(title="二"),
        "accept",
        "assign",
        "start_mediation",
        "terminate",
        reason=reason,
    )
    year = _year()
    assert selectors.counter(Metric.RESOLVED, tree.township, year) == 1
    assert selectors.counter(Metric.TERMINATED, tree.township, year) == 1
    assert selectors.counter(Metric.MEDIATION_CONCLUDED, tree.township, year) == 2
    rate = selectors.compute(BY_CODE["resolution_success_rate"], tree.township, year)
    assert rate.value == Decimal("50.00")
    assert list(verification.verify()) == []
