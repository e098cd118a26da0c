"""The inbox: an organisation's staff receive its messages, each person sees only their own, the
count shows in the navigation, and a risk alert reaches the township after the commit."""

import pytest
from django.db import transaction
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.notifications.models import Notification
from fengqiao.notifications.services import notify, notify_org

pytestmark = pytest.mark.django_db


def test_notify_org_reaches_its_active_staff_once(tree, township_clerk, make_actor):
    colleague = make_actor(Role.INTAKE_CLERK, tree.township_centre)
    elsewhere = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    sent = notify_org(org=tree.township_centre, title="排查未报", body="两个村未报")
    assert {n.recipient for n in sent} == {township_clerk, colleague}
    assert not Notification.objects.filter(recipient=elsewhere).exists()
    assert len(notify(recipients=[colleague, colleague], title="一次")) == 1


def test_each_person_reads_only_their_own(client, tree, township_clerk, make_actor):
    other = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    mine = notify(recipients=[township_clerk], title="我的消息", url="/cases/")[0]
    theirs = notify(recipients=[other], title="别人的消息")[0]
    client.force_login(township_clerk)
    page = client.get(reverse("supervision:inbox")).content.decode()
    assert "我的消息" in page
    assert "别人的消息" not in page
    assert 'class="count-badge">1<' in page
    response = client.post(reverse("supervision:read", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert client.post(reverse("supervision:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_risk_alert_reaches_the_township_after_commit(
    register_case, township_clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = register_case(description="李四扬言要拿刀砍人")
    alert = Notification.objects.get(recipient=township_clerk)
    assert case.number in alert.title
    assert "刀" in alert.body


def test_a_rolled_back_registration_alerts_nobody(
    register_case, django_capture_on_commit_callbacks
):
    def register_then_fail():
        with transaction.atomic():
            register_case(description="扬言要拿刀砍人")
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        register_then_fail()
    assert not Notification.objects.exists()
