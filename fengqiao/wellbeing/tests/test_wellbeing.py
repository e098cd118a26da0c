"""心理服务: consent before any referral, a crisis alerting the named responders at once and on the
timeline without its content, and records seen only by those who need them."""

import pytest
from django.urls import reverse

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases.models import CaseEvent
from fengqiao.core.exceptions import InvalidInput, PermissionDeniedError
from fengqiao.notifications.models import Notification
from fengqiao.wellbeing import selectors, services
from fengqiao.wellbeing.models import (
    CounsellingRoom,
    Counsellor,
    CrisisAlert,
    CrisisResponder,
    PsychReferral,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def counsellor(tree):
    room = CounsellingRoom.objects.create(
        name="静河镇心理服务站", region=tree.township, address="镇综治中心二楼", hours="工作日"
    )
    user = User.objects.create_user(username="xinli", password="pw-Test-123456")
    return Counsellor.objects.create(name="心理咨询师刘某", room=room, user=user)


@pytest.fixture
def responder(tree):
    user = User.objects.create_user(username="zhanzhang", password="pw-Test-123456")
    CrisisResponder.objects.create(region=tree.township, user=user, duty="镇心理服务站站长")
    return user


def refer(actor, case, counsellor, consent="本人签署同意书"):
    return services.referral_make(
        actor=actor,
        case_id=case.pk,
        counsellor_id=counsellor.pk,
        person_name="张三",
        reason="长期失眠、情绪激动",
        consent_how=consent,
    )


def test_no_referral_without_consent(register_case, township_clerk, counsellor):
    case = register_case()
    with pytest.raises(InvalidInput) as error:
        refer(township_clerk, case, counsellor, consent=" ")
    assert "consent_how" in error.value.errors
    assert PsychReferral.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_referral_with_consent_tells_the_counsellor(register_case, township_clerk, counsellor):
    case = register_case()
    referral = refer(township_clerk, case, counsellor)
    assert referral.consent_at is not None
    assert Notification.objects.filter(recipient=counsellor.user).count() == 1
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.data == {"psychological_referral": referral.pk}


def test_a_viewer_cannot_refer(register_case, make_actor, tree, counsellor):
    viewer = make_actor(Role.READ_ONLY, tree.township_centre)
    with pytest.raises(PermissionDeniedError):
        refer(viewer, register_case(), counsellor)
    assert PsychReferral.objects.count() == 0


def test_a_crisis_alerts_the_responders_at_once_and_the_timeline_keeps_no_content(
    register_case, make_actor, tree, responder, counsellor, township_clerk
):
    village_mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    case = register_case()
    refer(township_clerk, case, counsellor)
    alert = services.crisis_raise(
        actor=village_mediator, case_id=case.pk, level="imminent", description="当事人扬言轻生"
    )
    assert set(alert.responders.all()) == {responder, counsellor.user}
    alerted = Notification.objects.filter(recipient=responder)
    assert alerted.count() == 1
    assert case.number in alerted.get().title
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.data == {"crisis": alert.pk, "level": "imminent"}
    assert "轻生" not in str(event.data)


def test_a_crisis_needs_a_level_and_a_description(register_case, township_clerk):
    case = register_case()
    village_mediator = township_clerk
    with pytest.raises(InvalidInput):
        services.crisis_raise(actor=village_mediator, case_id=case.pk, level="x", description="")
    assert CrisisAlert.objects.count() == 0


def test_only_those_who_need_it_see_the_records(
    client, register_case, township_clerk, make_actor, tree, counsellor, responder
):
    case = register_case()
    refer(township_clerk, case, counsellor)
    viewer = make_actor(Role.READ_ONLY, tree.township_centre)
    stranger = User.objects.create_user(username="lu", password="pw-Test-123456")
    assert selectors.may_see(township_clerk, case)  # supervises the case
    assert selectors.may_see(counsellor.user, case)
    assert selectors.may_see(responder, case)
    assert not selectors.may_see(viewer, case)
    url = reverse("wellbeing:case_panel", args=[case.pk])
    client.force_login(viewer)
    page = client.get(url).content.decode()
    assert "失眠" not in page
    assert "张三" not in page
    client.force_login(counsellor.user)  # no jurisdiction, but the referral is theirs
    assert "张三" in client.get(url).content.decode()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
