"""A risk learnt after registration (issue #14): the grid worker or mediator who hears of a
threat flags it on the open case, with the same timeline entry, audit and alerts (the police
station for 民转刑/群体性, 人民调解法 art.25) as at registration; a denied or empty attempt leaves
no trace, and a closed case takes none."""

import pytest

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.choices import CaseStatus, EventKind, RiskLevel
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.exceptions import InvalidInput, NotFound, PermissionDeniedError
from fengqiao.intake import risk
from fengqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db

QUIET = {"title": "邻里排水纠纷", "description": "两户因排水沟走向发生口角。"}


def trace(case: Case) -> tuple[int, int, int]:
    return (
        CaseEvent.objects.filter(case=case).count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_a_threat_heard_later_raises_the_flag_and_tells_the_police(
    register_case, township_clerk, make_actor, police_station, django_capture_on_commit_callbacks
):
    case = register_case(**QUIET)
    assert (case.is_criminal_risk, case.risk_level) == (False, RiskLevel.LOW)
    officer = make_actor(Role.POLICE_LIAISON, police_station, username="minjing")
    with django_capture_on_commit_callbacks(execute=True):
        risk.risk_raise(
            actor=township_clerk,
            case_id=case.pk,
            flags=["criminal"],
            reason="回访时得知一方扬言要持刀报复",
        )
    case.refresh_from_db()
    assert (case.is_criminal_risk, case.risk_level) == (True, RiskLevel.HIGH)
    event = CaseEvent.objects.filter(case=case, kind=EventKind.RISK_FLAGGED).get()
    assert event.data["flags"] == ["criminal"]
    assert "扬言要持刀报复" in event.data["reasons"][0]
    assert event.data["police_station"] == police_station.code
    assert Notification.objects.filter(recipient=officer, case=case).exists()


def test_someone_outside_the_case_leaves_no_trace(register_case, make_actor, tree):
    case = register_case(**QUIET)
    outsider = make_actor(Role.MEDIATOR, tree.other_township_centre, username="outsider")
    before = trace(case)
    with pytest.raises(NotFound):
        risk.risk_raise(actor=outsider, case_id=case.pk, flags=["mass"], reason="聚集")
    case.refresh_from_db()
    assert (trace(case), case.is_mass) == (before, False)


def test_a_viewer_who_may_not_act_is_refused(register_case, make_actor, tree):
    case = register_case(**QUIET)
    leader = make_actor(Role.READ_ONLY, tree.township_centre, username="guest")
    before = trace(case)
    with pytest.raises((PermissionDeniedError, NotFound)):
        risk.risk_raise(actor=leader, case_id=case.pk, flags=["mass"], reason="聚集")
    assert trace(case) == before


def test_no_new_flag_or_no_reason_is_a_field_error(register_case, township_clerk):
    case = register_case(**QUIET)
    risk.risk_raise(actor=township_clerk, case_id=case.pk, flags=["mass"], reason="十余户聚集")
    before = trace(case)
    with pytest.raises(InvalidInput) as refused:
        risk.risk_raise(actor=township_clerk, case_id=case.pk, flags=["mass"], reason="   ")
    assert set(refused.value.errors) == {"flags", "reason"}
    assert trace(case) == before


def test_a_closed_case_takes_no_new_flag(register_case, township_clerk):
    case = register_case(**QUIET)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(InvalidInput):
        risk.risk_raise(actor=township_clerk, case_id=case.pk, flags=["extreme"], reason="扬言")


def test_the_panel_flags_a_risk_through_htmx(register_case, township_clerk, client):
    case = register_case(**QUIET)
    client.force_login(township_clerk)
    page = client.get(f"/intake/cases/{case.pk}/risk/")
    assert "登记后发现的风险" in page.content.decode()
    empty = client.post(
        f"/intake/cases/{case.pk}/risk/", {"flags": ["extreme"]}, HTTP_HX_REQUEST="true"
    )
    assert empty.status_code == 422
    assert "此项为必填项" in empty.content.decode() or "必填" in empty.content.decode()
    done = client.post(
        f"/intake/cases/{case.pk}/risk/",
        {"flags": ["extreme"], "reason": "当事人扬言喝农药"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200
    text = done.content.decode()
    assert "极端" in text
    assert "当事人扬言喝农药" in text
