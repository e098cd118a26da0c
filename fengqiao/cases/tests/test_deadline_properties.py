"""Property test of a case's clock: any sequence of days passing, pauses, resumptions,
extensions and overdue sweeps agrees with a plain model of the rules (ARCHITECTURE rule 5):
a pause stops the clock, resuming moves the due date by the whole days paused (onto a working
day), an extension only moves it later, and a case is overdue exactly when its clock runs and
the date is past."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.accounts.services import system_actor
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition, cases_mark_overdue
from fengqiao.core.calendar import roll_forward
from fengqiao.core.exceptions import InvalidInput, TransitionBlocked

pytestmark = pytest.mark.django_db

STEP = st.one_of(
    st.tuples(st.just("wait"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("pause"), st.just(0)),
    st.tuples(st.just("resume"), st.just(0)),
    st.tuples(st.just("extend"), st.integers(min_value=-5, max_value=30)),
    st.tuples(st.just("sweep"), st.just(0)),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_the_clock_follows_the_rules(steps, register_case, township_clerk):
    registered = register_case()
    now = {"at": timezone.now()}

    def clock() -> datetime:
        return now["at"]

    with mock.patch("django.utils.timezone.now", side_effect=clock):
        case = case_transition(actor=township_clerk, case_id=registered.pk, name="accept")
        due = case.due_date
        paused_on = None
        overdue = False
        for kind, amount in steps:
            today = timezone.localdate()
            if kind == "wait":
                now["at"] += timedelta(days=amount)
                continue
            if kind == "pause":
                allowed = paused_on is None
                action = ActionInput(note="等待当事人")
                name = "pause_deadline"
            elif kind == "resume":
                allowed = paused_on is not None
                action = ActionInput()
                name = "resume_deadline"
            elif kind == "extend":
                new_due = due + timedelta(days=amount)
                allowed = new_due > due
                action = ActionInput(due_date=new_due, note="经批准延期")
                name = "extend_deadline"
            else:
                cases_mark_overdue(actor=system_actor())
                if paused_on is None and due < today:
                    overdue = True
                case.refresh_from_db()
                assert (case.overdue_since is not None) == overdue
                continue
            try:
                case_transition(actor=township_clerk, case_id=case.pk, name=name, action=action)
            except (TransitionBlocked, InvalidInput):
                assert not allowed, (kind, amount)
                continue
            assert allowed, (kind, amount)
            if kind == "pause":
                paused_on = today
            elif kind == "resume":
                # the days given back, the last day moved off a rest day (民法典 art.203)
                due = roll_forward(due + timedelta(days=(today - paused_on).days))
                paused_on = None
                if due >= today:
                    overdue = False
            else:
                due, overdue = new_due, False
            case = Case.objects.get(pk=case.pk)
            assert case.due_date == due
            assert (case.deadline_paused_at is not None) == (paused_on is not None)
            assert (case.overdue_since is not None) == overdue
