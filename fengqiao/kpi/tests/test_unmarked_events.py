"""An event the counting rule does not look for changes no counter, so the rollups read no
earlier events for it (issue #21: half of load_demo's reads of earlier events were for a 交办,
开始调解, 移交 or 结案, which cannot move a counter)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from fengqiao.cases.choices import Action, EventKind
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.kpi import counting

KINDS = sorted({*counting.COUNTED_KINDS, EventKind.RIGHTS_NOTIFIED, EventKind.ROUTED})
TRANSITIONS = sorted(a.value for a in Action)
SATISFACTION = ("satisfied", "fairly", "dissatisfied", "")
STEP = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(TRANSITIONS),
    st.sampled_from(SATISFACTION),
    st.integers(0, 400),  # days after the first
    st.integers(3, 5),  # level
    st.booleans(),  # recorded at an administrative body
)


def steps(rows: list[tuple]) -> list[counting.Step]:
    first = date(2026, 1, 1)
    out = [counting.Step(seq=1, kind=EventKind.REGISTERED, day=first, level=4, data={})]
    for seq, (kind, transition, satisfaction, days, level, administrative) in enumerate(rows, 2):
        data: dict = {"satisfaction": satisfaction} if satisfaction else {}
        if kind == EventKind.TRANSITIONED:
            data = {"transition": transition, "was_due": (first + timedelta(days=30)).isoformat()}
        out.append(
            counting.Step(
                seq=seq,
                kind=kind,
                day=first + timedelta(days=days),
                level=level,
                data=data,
                administrative=administrative,
            )
        )
    return out


@given(st.lists(STEP, max_size=12), STEP)
def test_an_event_that_moves_no_counter_leaves_the_contributions_as_they_were(history, last):
    timeline = steps([*history, last])
    new = timeline[-1]
    if not counting.moves_counters(new.kind, new.data):
        assert counting.contributions(timeline) == counting.contributions(timeline[:-1])


@pytest.mark.django_db
def test_an_assignment_reads_no_earlier_events_and_an_acceptance_does(
    register_case, township_clerk, village_mediator, tree
):
    case = register_case()

    def act(name: str, **values: object) -> CaptureQueriesContext:
        with CaptureQueriesContext(connection) as captured:
            case_transition(
                actor=township_clerk,
                case_id=case.pk,
                name=name,
                action=ActionInput(note="记录", **values),
            )
        return captured

    def event_reads(captured: CaptureQueriesContext) -> int:
        return sum(
            1
            for q in captured.captured_queries
            if q["sql"].startswith("SELECT") and 'FROM "cases_caseevent"' in q["sql"]
        )

    assert event_reads(act(Action.ACCEPT, parties_consent="consented")) == 1
    assigned = act(
        Action.ASSIGN,
        org_id=tree.village_committee.pk,
        assignee_id=village_mediator.pk,
        due_date=timezone.localdate() + timedelta(days=10),
    )
    assert event_reads(assigned) == 0
