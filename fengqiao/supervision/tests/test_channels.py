"""The same notification out through 企业微信 and 钉钉 robots (to a real local HTTP server),
SMS and email: after the commit only, signed for 钉钉, retried after a failure, never twice, never
for a rolled-back cause; each person's channel choices respected; due-soon sent once."""

import base64
import hashlib
import hmac
import urllib.parse
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from fengqiao.accounts.services import system_actor
from fengqiao.cases.models import Case
from fengqiao.notifications import sms
from fengqiao.notifications.choices import Channel, NotificationKind, OutboxStatus
from fengqiao.notifications.models import Notification, OrgWebhook, OutboundMessage
from fengqiao.notifications.outbox import messages_send_due
from fengqiao.supervision.models import DueSoonNotice
from fengqiao.supervision.notices import cases_notify_due_soon, supervision_issue
from fengqiao.supervision.tests.conftest import Robot, query

pytestmark = pytest.mark.django_db
SECRET = "SEC-dingtalk-test-secret"


def robot(org, channel: str, url: str, secret: str = "") -> OrgWebhook:
    hook = OrgWebhook(org=org, channel=channel, name="群")
    hook.set_url(url)
    hook.set_secret(secret)
    hook.save()
    return hook


@pytest.fixture
def robots(tree, robot_server):
    return (
        robot(tree.township_centre, Channel.WECOM, f"{robot_server}/cgi-bin/webhook/send?key=K1"),
        robot(
            tree.county_centre,
            Channel.DINGTALK,
            f"{robot_server}/robot/send?access_token=T",
            SECRET,
        ),
    )


def test_robots_get_the_notice_after_commit_signed_retried_and_once(
    register_case, people, robots, django_capture_on_commit_callbacks
):
    case = register_case()
    Robot.plan = [(200, 93000), (500, 0)]  # the first robot refuses, the second errs
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        supervision_issue(actor=people.county_head, case_id=case.pk, instructions="限期化解")
        assert OutboundMessage.objects.filter(webhook__isnull=False).count() == 2
    assert Robot.received == []  # nothing leaves while the transaction is open
    for callback in callbacks:
        callback()
    assert len(Robot.received) == 2
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {OutboxStatus.FAILED}

    later = timezone.now() + timedelta(minutes=5)
    assert messages_send_due(now=later) == 2
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert messages_send_due(now=later + timedelta(hours=1)) == 0  # sent rows never again
    assert len(Robot.received) == 4

    wecom = [body for path, body in Robot.received if path.startswith("/cgi-bin/")]
    assert wecom[-1]["msgtype"] == "text"
    assert case.number in wecom[-1]["text"]["content"]
    assert all(query(path)["key"] == "K1" for path, _ in Robot.received if "key=" in path)
    for path, body in Robot.received:
        if not path.startswith("/robot/"):
            continue
        params = query(path)
        assert params["access_token"] == "T"
        expected = base64.b64encode(
            hmac.new(
                SECRET.encode(), f"{params['timestamp']}\n{SECRET}".encode(), hashlib.sha256
            ).digest()
        ).decode()
        assert params["sign"] == expected  # parse_qs has undone the URL encoding
        assert urllib.parse.quote_plus(expected) in path
        assert (
            body["text"]["content"].startswith("Supervision notice")
            or case.number in (body["text"]["content"])
        )


def test_a_rolled_back_cause_is_never_sent(
    register_case, people, robots, django_capture_on_commit_callbacks
):
    case = register_case()

    def issue_then_fail() -> None:
        with transaction.atomic():
            supervision_issue(actor=people.county_head, case_id=case.pk, instructions="限期化解")
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        issue_then_fail()
    assert not OutboundMessage.objects.exists()
    assert not Notification.objects.exists()
    assert messages_send_due(now=timezone.now() + timedelta(hours=1)) == 0
    assert Robot.received == []


def test_a_delivery_is_given_up_after_the_last_attempt(
    register_case, people, robots, settings, django_capture_on_commit_callbacks
):
    settings.FENGQIAO_DELIVERY_MAX_ATTEMPTS = 2
    Robot.plan = [(500, 0)] * 10
    with django_capture_on_commit_callbacks(execute=True):
        supervision_issue(actor=people.county_head, case_id=register_case().pk, instructions="限期")
    messages_send_due(now=timezone.now() + timedelta(hours=1))
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DEAD}
    assert messages_send_due(now=timezone.now() + timedelta(days=1)) == 0


def test_preferences_choose_kinds_per_channel(
    client, register_case, people, django_capture_on_commit_callbacks
):
    sms.ConsoleBackend.outbox.clear()
    client.force_login(people.township_head)
    assert client.get("/supervision/preferences/").status_code == 200
    response = client.post(
        "/supervision/preferences/", {"sms_kinds": [NotificationKind.DUE_SOON], "sms_target": ""}
    )
    assert response.status_code == 422  # SMS needs a number
    response = client.post(
        "/supervision/preferences/",
        {
            "sms_kinds": [NotificationKind.DUE_SOON],
            "sms_target": "13900001111",
            "email_kinds": [NotificationKind.SUPERVISION],
            "email_target": "head@jinghe.example",
        },
    )
    assert response.status_code == 302
    case = register_case()  # assigned to nobody: the unit's heads hear of it
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_notify_due_soon(actor=system_actor()) == 1
    assert [m["phone"] for m in sms.ConsoleBackend.outbox] == ["13900001111"]
    assert mail.outbox == []  # due-soon is not chosen for email
    with django_capture_on_commit_callbacks(execute=True):
        supervision_issue(actor=people.county_head, case_id=case.pk, instructions="限期化解")
    assert [m.to for m in mail.outbox] == [["head@jinghe.example"]]
    assert len(sms.ConsoleBackend.outbox) == 1  # 督办 is not chosen for SMS


def test_due_soon_is_sent_once_per_due_date(register_case, people):
    case = register_case()
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() + timedelta(days=1))
    far = register_case()
    Case.objects.filter(pk=far.pk).update(due_date=timezone.localdate() + timedelta(days=20))
    actor = system_actor()
    assert cases_notify_due_soon(actor=actor) == 1
    assert cases_notify_due_soon(actor=actor) == 0
    told = Notification.objects.filter(kind=NotificationKind.DUE_SOON)
    assert set(told.values_list("case_id", flat=True)) == {case.pk}
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() + timedelta(days=2))
    assert cases_notify_due_soon(actor=actor) == 1  # a moved deadline is told again
    assert DueSoonNotice.objects.filter(case=case).count() == 2


def test_webhook_url_and_secret_are_never_shown_back(admin_client, robots):
    hook = robots[1]
    assert "access_token=T" not in hook.url_hint
    assert SECRET not in hook.url_hint
    response = admin_client.get(f"/admin/notifications/orgwebhook/{hook.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert hook.url_hint in page
    assert "access_token=T" not in page
    assert SECRET not in page
