"""Webhook subscribers of the event feed (issue #20): a real local HTTP receiver gets every event
of its account's jurisdiction once, in feed order, in signed batches through the outbox; a
failed batch is retried and holds back the next one; a given-up batch pauses the subscription
until retried; nothing outside the jurisdiction is sent."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import system_actor
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.models import CaseEvent
from fengqiao.core.exceptions import InvalidInput
from fengqiao.feed import services
from fengqiao.feed.models import Subscription
from fengqiao.notifications.choices import OutboxStatus
from fengqiao.notifications.outbox import messages_send_due

# As in test_feed: on PostgreSQL the feed shows only finished transactions.
COMMITS = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db(transaction=COMMITS)
SECRET = "feed-secret-for-the-tests"


class Receiver(BaseHTTPRequestHandler):
    plan: list[int] = []
    received: list[tuple[dict, dict]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        ok = self.headers.get("X-Fengqiao-Signature") == f"sha256={signature}"
        Receiver.received.append((dict(self.headers), json.loads(body)))
        status = Receiver.plan.pop(0) if Receiver.plan else 200
        self.send_response(status if ok else 401)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def receiver():
    Receiver.plan, Receiver.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/fengqiao-events"
    server.shutdown()


def send_all(now=None) -> None:
    """What the worker does: the outbox sweep (the on-commit send needs no worker in tests)."""
    messages_send_due(now=now or timezone.now() + timedelta(hours=1))


def delivered_ids() -> list[int]:
    return [e["id"] for _h, body in Receiver.received for e in body["events"]]


def subscribe(account, url, batch_size=2) -> Subscription:
    return services.subscription_create(
        actor=system_actor(),
        name="岳阳市12345平台",
        account=account,
        url=url,
        secret=SECRET,
        batch_size=batch_size,
    )


def test_every_event_of_the_jurisdiction_arrives_once_in_order(
    receiver, register_case, township_clerk, tree
):
    register_case()
    register_case(title="土地承包纠纷")
    subscription = subscribe(township_clerk, receiver)
    while services.subscriptions_dispatch():
        send_all()
    expected = list(CaseEvent.objects.order_by("pk").values_list("pk", flat=True))
    assert delivered_ids() == expected
    body = Receiver.received[0][1]
    assert body["subscription"] == "岳阳市12345平台"
    assert body["events"][0]["occurred_at"].endswith("+08:00")
    subscription.refresh_from_db()
    assert Receiver.received[-1][0]["Idempotency-Key"] == str(
        subscription.last_message.idempotency_key
    )
    assert services.subscriptions_dispatch() == 0  # nothing new: nothing sent
    register_case(title="邻里噪音纠纷")
    assert services.subscriptions_dispatch() >= 1
    send_all()
    assert delivered_ids() == list(CaseEvent.objects.order_by("pk").values_list("pk", flat=True))


def test_a_failed_batch_holds_back_the_next_and_is_retried(receiver, register_case, township_clerk):
    register_case()
    register_case(title="土地承包纠纷")
    subscription = subscribe(township_clerk, receiver, batch_size=1)
    Receiver.plan = [503]
    services.subscriptions_dispatch()
    messages_send_due(now=timezone.now())
    subscription.refresh_from_db()
    assert subscription.last_message.status == OutboxStatus.FAILED
    assert services.subscriptions_dispatch() == 0  # order kept: batch 2 waits for batch 1
    send_all()
    assert services.subscriptions_dispatch() == 1
    send_all()
    ids = delivered_ids()
    assert ids[0] == ids[1]  # the same batch twice: once refused, once delivered
    assert ids[1:] == sorted(ids[1:])


def test_a_given_up_batch_pauses_the_subscription_until_retried(
    receiver, register_case, township_clerk, settings
):
    settings.FENGQIAO_CALLBACK_MAX_ATTEMPTS = 1
    register_case()
    register_case(title="土地承包纠纷")
    subscription = subscribe(township_clerk, receiver, batch_size=1)
    Receiver.plan = [500]
    services.subscriptions_dispatch()
    send_all()
    subscription.refresh_from_db()
    assert subscription.last_message.status == OutboxStatus.DEAD
    assert services.subscriptions_dispatch() == 0
    out = StringIO()
    call_command("feed_subscription", "retry", "岳阳市12345平台", stdout=out)
    assert "已安排重发" in out.getvalue()
    send_all()
    subscription.refresh_from_db()
    assert subscription.last_message.status == OutboxStatus.SENT
    assert services.subscriptions_dispatch() == 1


def test_a_subscriber_gets_nothing_outside_its_account_s_jurisdiction(
    receiver, register_case, make_actor, tree
):
    register_case()  # in 静河镇
    neighbour = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    subscribe(neighbour, receiver)
    assert services.subscriptions_dispatch() == 0
    send_all()
    assert Receiver.received == []


def test_a_bad_subscription_is_refused_field_by_field_and_leaves_no_trace(township_clerk):
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.subscription_create(
            actor=system_actor(),
            name="",
            account=township_clerk,
            url="ftp://x",
            secret="short",
            batch_size=0,
        )
    assert set(refused.value.errors) == {"name", "url", "secret", "batch_size"}
    assert (Subscription.objects.count(), AuditEntry.objects.count()) == (0, before)


def test_the_command_adds_and_lists_a_subscription(receiver, township_clerk):
    out = StringIO()
    call_command(
        "feed_subscription",
        "add",
        "县网格平台",
        township_clerk.username,
        receiver,
        "--secret",
        SECRET,
        stdout=out,
    )
    assert "已新增订阅" in out.getvalue()
    stored = Subscription.objects.get()
    assert SECRET not in stored.secret_encrypted
    assert stored.secret() == SECRET
    listed = StringIO()
    call_command("feed_subscription", "list", stdout=listed)
    assert "县网格平台" in listed.getvalue()
    assert "尚未推送" in listed.getvalue()
