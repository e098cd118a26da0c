"""The transition table, cell by cell: an action fires exactly from its declared sources, lands
exactly on its declared target, and a refused action leaves no trace."""

import pytest
from django.utils.translation import gettext

from fengqiao.audit.models import AuditEntry
from fengqiao.cases import workflow
from fengqiao.cases.choices import CaseOutcome, CaseStatus
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput, NotFound, TransitionBlocked

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", CaseStatus.values)
@pytest.mark.parametrize("name", sorted(workflow.TRANSITIONS))
def test_actions_fire_only_from_their_declared_sources(
    status, name, case_in, all_powerful, valid_input
):
    transition = workflow.get(name)
    case = case_in(
        status,
        paused=name == "resume_deadline",
        extension_requested=name == "refuse_extension",
        petition_step=name if name.startswith("petition_") else "",
    )
    action = valid_input(name)  # before counting: a merge registers its primary case
    events_before = CaseEvent.objects.filter(case=case).count()
    audits_before = AuditEntry.objects.count()

    blocked = workflow.blockers(transition, case=case, actor=all_powerful)
    assert (not blocked) == (status in transition.sources)

    if status in transition.sources:
        moved = case_transition(actor=all_powerful, case_id=case.pk, name=name, action=action)
        # a returned transfer restores the saved status; deadline actions keep the status
        expected = status if transition.keeps_status else transition.target or CaseStatus.ACCEPTED
        assert moved.status == expected
        assert CaseEvent.objects.filter(case=case).count() == events_before + 1
        last = CaseEvent.objects.filter(case=case).latest("seq")
        assert (last.data["transition"], last.data["from"], last.data["to"]) == (
            name,
            status,
            expected,
        )
    else:
        with pytest.raises(TransitionBlocked) as raised:
            case_transition(actor=all_powerful, case_id=case.pk, name=name, action=action)
        assert raised.value.reasons
        case.refresh_from_db()
        assert case.status == status
        assert CaseEvent.objects.filter(case=case).count() == events_before
        assert AuditEntry.objects.count() == audits_before


@pytest.mark.parametrize("name", sorted(n for n, t in workflow.TRANSITIONS.items() if t.required))
def test_every_required_input_is_enforced_and_nothing_is_written(name, case_in, all_powerful):
    transition = workflow.get(name)
    case = case_in(
        next(iter(sorted(transition.sources))),
        extension_requested=name == "refuse_extension",
        petition_step=name if name.startswith("petition_") else "",
    )
    events_before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(InvalidInput) as raised:
        case_transition(actor=all_powerful, case_id=case.pk, name=name, action=ActionInput())
    assert set(raised.value.errors) == set(transition.required)
    assert all(messages for messages in raised.value.errors.values())
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_outcomes_are_written_once_and_cleared_only_by_reopen(case_in, all_powerful, valid_input):
    case = case_in(CaseStatus.MEDIATING)
    case = case_transition(
        actor=all_powerful,
        case_id=case.pk,
        name="record_agreement",
        action=valid_input("record_agreement"),
    )
    assert case.outcome == CaseOutcome.RESOLVED
    case = case_transition(actor=all_powerful, case_id=case.pk, name="close")
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, CaseOutcome.RESOLVED)
    case = case_transition(
        actor=all_powerful, case_id=case.pk, name="reopen", action=valid_input("reopen")
    )
    assert (case.status, case.outcome) == (CaseStatus.ACCEPTED, "")


def test_unknown_action_is_not_found(case_in, all_powerful):
    case = case_in(CaseStatus.REGISTERED)
    with pytest.raises(NotFound):
        case_transition(actor=all_powerful, case_id=case.pk, name="teleport")


def test_start_mediation_needs_an_assignee(register_case, township_clerk):
    case = register_case()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.ASSIGNED)
    with pytest.raises(TransitionBlocked) as raised:
        case_transition(actor=township_clerk, case_id=case.pk, name="start_mediation")
    assert raised.value.reasons == [gettext("Assign the case to a mediator first.")]


def test_every_status_is_reachable_and_every_action_is_reachable():
    targets = {t.target for t in workflow.TRANSITIONS.values() if t.target} | {
        CaseStatus.REGISTERED
    }
    assert targets == set(CaseStatus)
    sources = set().union(*(t.sources for t in workflow.TRANSITIONS.values()))
    assert sources <= targets


def test_every_effect_belongs_to_an_action_of_the_table():
    """An effect keyed by a misspelt or removed action would never run; the executor's effects
    are typed (``services.Effect``) and keyed only by actions the table has."""
    from fengqiao.cases import services

    assert set(services._EFFECTS) <= set(workflow.TRANSITIONS)
