"""The clock of a case: paused while waiting on a party, resumed with the lost days given back,
extended only with a leader's approval; a paused case is never marked overdue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import system_actor
from fengqiao.cases.choices import CaseStatus, EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition, cases_mark_overdue
from fengqiao.core.calendar import roll_forward
from fengqiao.core.exceptions import InvalidInput, TransitionBlocked

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(register_case, township_clerk):
    case = register_case()
    return case_transition(actor=township_clerk, case_id=case.pk, name="accept")


def test_a_paused_case_is_not_marked_overdue(accepted, township_clerk):
    case_transition(
        actor=township_clerk,
        case_id=accepted.pk,
        name="pause_deadline",
        action=ActionInput(note="等待当事人提交证据"),
    )
    Case.objects.filter(pk=accepted.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    assert cases_mark_overdue(actor=system_actor()) == 0
    accepted.refresh_from_db()
    assert (accepted.status, accepted.is_overdue) == (CaseStatus.ACCEPTED, False)


def test_resuming_gives_back_the_days_the_clock_stood_still(accepted, township_clerk):
    case_transition(
        actor=township_clerk,
        case_id=accepted.pk,
        name="pause_deadline",
        action=ActionInput(note="等待鉴定结论"),
    )
    due = timezone.localdate() + timedelta(days=5)
    Case.objects.filter(pk=accepted.pk).update(
        due_date=due, deadline_paused_at=timezone.now() - timedelta(days=4)
    )
    resumed = case_transition(actor=township_clerk, case_id=accepted.pk, name="resume_deadline")
    assert (resumed.due_date, resumed.deadline_paused_at) == (
        roll_forward(due + timedelta(days=4)),
        None,
    )
    assert (
        CaseEvent.objects.filter(case=accepted, kind=EventKind.TRANSITIONED)
        .latest("seq")
        .data["paused_days"]
        == 4
    )
    with pytest.raises(TransitionBlocked):
        case_transition(actor=township_clerk, case_id=accepted.pk, name="resume_deadline")


def test_only_a_supervisor_extends_and_only_to_a_later_date(
    accepted, tree, make_actor, township_clerk
):
    intake = make_actor(Role.INTAKE_CLERK, tree.township_centre)
    later = accepted.due_date + timedelta(days=30)
    with pytest.raises(TransitionBlocked):
        case_transition(
            actor=intake,
            case_id=accepted.pk,
            name="extend_deadline",
            action=ActionInput(due_date=later, note="案情复杂"),
        )
    with pytest.raises(InvalidInput) as raised:
        case_transition(
            actor=township_clerk,
            case_id=accepted.pk,
            name="extend_deadline",
            action=ActionInput(due_date=accepted.due_date, note="案情复杂"),
        )
    assert list(raised.value.errors) == ["due_date"]
    extended = case_transition(
        actor=township_clerk,
        case_id=accepted.pk,
        name="extend_deadline",
        action=ActionInput(due_date=later, note="案情复杂，经主任批准延期"),
    )
    assert (extended.due_date, extended.status) == (later, CaseStatus.ACCEPTED)


def test_a_handler_requests_more_time_and_a_leader_grants_it(
    accepted, tree, make_actor, township_clerk
):
    from fengqiao.notifications.models import Notification

    mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    due = accepted.due_date
    asked = case_transition(
        actor=mediator,
        case_id=accepted.pk,
        name="request_extension",
        action=ActionInput(due_date=due + timedelta(days=15), note="需等待伤情鉴定"),
    )
    assert (asked.due_date, asked.extension_requested_until) == (due, due + timedelta(days=15))
    alert = Notification.objects.get(kind="extension_requested")
    assert alert.recipient == township_clerk  # the centre director supervises there
    assert "需等待伤情鉴定" in alert.body
    with pytest.raises(TransitionBlocked):  # one request at a time
        case_transition(
            actor=mediator,
            case_id=accepted.pk,
            name="request_extension",
            action=ActionInput(due_date=due + timedelta(days=20), note="再延"),
        )
    granted = case_transition(
        actor=township_clerk,
        case_id=accepted.pk,
        name="extend_deadline",
        action=ActionInput(due_date=due + timedelta(days=15), note="同意延期"),
    )
    assert (granted.due_date, granted.extension_requested_until) == (
        due + timedelta(days=15),
        None,
    )
    event = CaseEvent.objects.filter(case=accepted).latest("seq")
    assert event.data["requested_until"] == (due + timedelta(days=15)).isoformat()


def test_a_refused_request_leaves_the_deadline_and_a_refusal_needs_a_reason(
    accepted, tree, make_actor, township_clerk
):
    mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    with pytest.raises(TransitionBlocked):  # nothing to refuse yet
        case_transition(
            actor=township_clerk,
            case_id=accepted.pk,
            name="refuse_extension",
            action=ActionInput(note="不同意"),
        )
    with pytest.raises(InvalidInput):  # not earlier than the current deadline
        case_transition(
            actor=mediator,
            case_id=accepted.pk,
            name="request_extension",
            action=ActionInput(due_date=accepted.due_date, note="x"),
        )
    case_transition(
        actor=mediator,
        case_id=accepted.pk,
        name="request_extension",
        action=ActionInput(due_date=accepted.due_date + timedelta(days=10), note="当事人外出"),
    )
    with pytest.raises(TransitionBlocked):  # a mediator cannot decide it
        case_transition(
            actor=mediator,
            case_id=accepted.pk,
            name="refuse_extension",
            action=ActionInput(note="自己拒绝"),
        )
    with pytest.raises(InvalidInput):
        case_transition(actor=township_clerk, case_id=accepted.pk, name="refuse_extension")
    refused = case_transition(
        actor=township_clerk,
        case_id=accepted.pk,
        name="refuse_extension",
        action=ActionInput(note="可先行调解"),
    )
    assert (refused.due_date, refused.extension_requested_until) == (accepted.due_date, None)
