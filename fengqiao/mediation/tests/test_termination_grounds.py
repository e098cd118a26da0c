"""Termination for concealment, deliberate delay and suspected collusion (深圳条例
art.28): each is a ground the mediator may choose; a suspected 虚假调解 is reported for
review to the delegating court, the 综治中心 and the 司法所 of the place (特邀调解规定
art.18), on the timeline and in their inboxes, and the court's result carries the flag
(在线调解规则 art.23)."""

import pytest
from django.utils import translation

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import CaseOutcome, EventKind, TerminationReason
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput
from fengqiao.mediation.selectors import court_result_for
from fengqiao.notifications.models import Notification
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _terminate(case: Case, director, reason: str, note: str = "调解员发现异常") -> Case:
    return case_transition(
        actor=director,
        case_id=case.pk,
        name="terminate",
        action=ActionInput(termination_reason=reason, note=note),
    )


def _referrals(case: Case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL_RECORDED))


def _sham_alerts(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, title__startswith="涉嫌虚假调解"))


@pytest.mark.parametrize(
    "reason",
    [TerminationReason.CONCEALMENT, TerminationReason.DELIBERATE_DELAY],
)
def test_concealment_and_delay_end_mediation_without_a_referral(
    reason, mediating, director, make_actor, tree
):
    officer = make_actor(Role.JUSTICE_OFFICER, tree.justice_office)
    case = _terminate(mediating(), director, reason)
    case.refresh_from_db()
    assert case.outcome == CaseOutcome.TERMINATED
    event = case.events.filter(data__transition="terminate").get()
    assert event.data["termination_reason"] == reason
    assert _referrals(case) == []
    assert _sham_alerts(officer) == []
    assert court_result_for(case)["suspected_sham_mediation"] is False


def test_an_unknown_ground_is_refused(mediating, director):
    with pytest.raises(InvalidInput) as refused:
        _terminate(mediating(), director, "collusion")
    assert "termination_reason" in refused.value.errors


def test_suspected_collusion_is_reported_to_the_centre_and_the_judicial_office(
    mediating, director, make_actor, tree
):
    officer = make_actor(Role.JUSTICE_OFFICER, tree.justice_office)
    neighbour = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    case = _terminate(
        mediating(),
        director,
        TerminationReason.SUSPECTED_COLLUSION,
        note="双方虚构借款关系，意图以调解协议对抗第三人的执行",
    )
    case.refresh_from_db()
    assert case.outcome == CaseOutcome.TERMINATED  # never a success
    [referral] = _referrals(case)
    assert referral.data["referral"] == "suspected_sham_mediation"
    assert referral.data["reported_to"] == [tree.township_centre.code, tree.justice_office.code]
    assert "静河镇矛调中心" in referral.data["note"]
    assert "静河司法所" in referral.data["note"]
    assert "特邀调解规定第十八条" in referral.data["note"]
    [told] = _sham_alerts(officer)
    assert case.number in told.title
    assert "虚构借款关系" in told.body
    assert len(_sham_alerts(director)) == 1  # a member of the township centre
    assert _sham_alerts(neighbour) == []  # another township's centre is not told
    assert court_result_for(case)["suspected_sham_mediation"] is True


def test_the_delegating_court_is_told_first(mediating, director, make_actor, tree):
    court = Organisation.objects.create(
        name="湘阴县人民法院", kind=OrgKind.COURT, region=tree.county, code="430624FY"
    )
    liaison = make_actor(Role.COURT_LIAISON, court)
    case = mediating(channel="court", source_ref="（2026）湘0624民诉前调9号")
    Case.objects.filter(pk=case.pk).update(registering_org=court)
    case = _terminate(case, director, TerminationReason.SUSPECTED_COLLUSION)
    [referral] = _referrals(case)
    assert referral.data["reported_to"][0] == court.code
    assert len(_sham_alerts(liaison)) == 1


def test_with_no_reviewing_body_the_timeline_says_to_report_in_writing(mediating, director, tree):
    case = mediating()
    Organisation.objects.filter(kind__in=[OrgKind.CENTRE, OrgKind.JUSTICE_OFFICE]).update(
        is_active=False
    )
    case = _terminate(case, director, TerminationReason.SUSPECTED_COLLUSION)
    [referral] = _referrals(case)
    assert referral.data["reported_to"] == []
    assert "书面" in referral.data["note"]


def test_the_timeline_stays_one_chain(mediating, director):
    from fengqiao.cases.ledger import verify

    case = _terminate(mediating(), director, TerminationReason.SUSPECTED_COLLUSION)
    case.refresh_from_db()
    assert list(verify([case.pk])) == []
    assert case.event_count == case.events.count()
