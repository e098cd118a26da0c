"""Random lifecycles (register, accept, decline, assign, agree, terminate, withdraw, close, reopen,
transfer, escalate, merge, and satisfaction answers: 回访 visits and portal ratings) across
villages of two townships and over months, then every stored counter cell against a recount and
every
invariant of a signed figure for every region × month: 0 ≤ numerator ≤ denominator, no share
above 100%, 达标 only with a denominator, the drill-down lists exactly the counted cases, and
the served figures equal a recount from cases and events (issue #13)."""

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.accounts.roles import Role
from fengqiao.cases import workflow
from fengqiao.cases.choices import EventKind
from fengqiao.cases.services import case_record_event
from fengqiao.core.exceptions import InvalidInput, NotFound, TransitionBlocked
from fengqiao.kpi import rollups, verification
from fengqiao.kpi.tests.lifecycle import Driver
from fengqiao.kpi.verification import months

pytestmark = pytest.mark.django_db
STEPS = (
    "register",
    "accept",
    "decline",
    "assign",
    "start_mediation",
    "record_agreement",
    "terminate",
    "withdraw",
    "close",
    "reopen",
    "transfer",
    "escalate",
    "accept_transfer",
    "return_transfer",
    "merge",
)
# answers open to a case in any state: (event kind, satisfaction by ``pick``)
ANSWERS = {"visit": EventKind.FOLLOW_UP_RECORDED, "rate": EventKind.OUTCOME_RATED}
SATISFACTION = ("satisfied", "fairly", "dissatisfied")
# (0 = register, else the n-th step open to the case now; which case or place; days to move on)
PLAN = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 50), st.integers(0, 9)),
    min_size=15,
    max_size=45,
)


def open_steps(status: str) -> list[str]:
    return [n for n in STEPS[1:] if status in workflow.TRANSITIONS[n].sources] + list(ANSWERS)


@pytest.fixture
def world(tree, township_clerk, village_mediator, make_actor, register_case):
    other_director = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    other_mediator = make_actor(Role.MEDIATOR, tree.other_township_centre)
    county_director = make_actor(Role.CENTRE_DIRECTOR, tree.county_centre)
    county_mediator = make_actor(Role.MEDIATOR, tree.county_centre)
    township_mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    driver = Driver(
        actors=[
            township_clerk,
            village_mediator,
            township_mediator,
            other_director,
            other_mediator,
            county_director,
            county_mediator,
        ],
        assign_to={
            tree.township_centre.pk: (tree.village_committee, village_mediator),
            tree.village_committee.pk: (tree.village_committee, village_mediator),
            tree.other_township_centre.pk: (tree.other_township_centre, other_mediator),
            tree.county_centre.pk: (tree.county_centre, county_mediator),
        },
    )
    places = [
        (township_clerk, tree.township_centre, tree.village),
        (township_clerk, tree.township_centre, tree.other_village),
        (other_director, tree.other_township_centre, tree.other_township_village),
    ]
    regions = [
        tree.county,
        tree.township,
        tree.village,
        tree.other_village,
        tree.other_township,
        tree.other_township_village,
    ]
    return driver, places, regions, register_case


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=PLAN)
def test_every_invariant_holds_for_every_region_and_month(plan, world, clock, tree):
    driver, places, regions, register_case = world
    year = clock.real().year + 1  # forward of the accounts' memberships
    with transaction.atomic():
        clock.at(year, 1, 2)
        cases = []
        for choice, pick, days in plan:
            clock.moment = clock.now() + timedelta(days=days)
            if choice == 0 or not cases:
                actor, org, place = places[pick % len(places)]
                cases.append(register_case(actor=actor, org=org, region=place))
                continue
            case = cases[pick % len(cases)]
            case.refresh_from_db()
            steps = open_steps(case.status)
            if not steps:
                continue
            step = steps[choice % len(steps)]
            if step in ANSWERS:
                case_record_event(
                    actor=driver.actors[0],
                    case_id=case.pk,
                    kind=ANSWERS[step],
                    data={"satisfaction": SATISFACTION[pick % len(SATISFACTION)]},
                    scoped=False,
                )
                continue
            values: dict[str, object] = {}
            if step == "merge":
                values["merge_into"] = cases[(pick + 1) % len(cases)].number
            if step == "transfer":
                values["org_id"] = tree.other_township_centre.pk
            if step == "escalate":
                low = case.handling_org_id == tree.village_committee.pk
                values["org_id"] = (tree.township_centre if low else tree.county_centre).pk
            try:
                driver.act(case, step, **values)
            except (TransitionBlocked, InvalidInput, NotFound):
                continue  # refused: nothing written, counters included
        assert list(verification.cell_mismatches(rollups.recount())) == []
        table = verification.recount()
        last = clock.now().date()
        for period in [p for y in (year, year + 1) for p in months(y) if p.start <= last]:
            for region in regions:
                expected = verification.expected_totals(table, region, period.start)
                drill = region in (tree.township, tree.village)
                assert verification.check(region, period, expected, drill=drill) == []
        transaction.set_rollback(True)
