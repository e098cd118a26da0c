"""Results back to the channel: a 12345 case that reaches an outcome is POSTed to the hotline's
callback URL after the commit — delivered to a real local HTTP server, retried after a failure,
signed, never sent twice, given up after the last attempt, and never sent for a rolled-back
result."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from fengqiao.cases.choices import Channel, EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.intake.tests.test_channels import hotline_body, post
from fengqiao.notifications.choices import OutboxStatus as CallbackStatus
from fengqiao.notifications.models import OutboundMessage
from fengqiao.notifications.outbox import messages_send_due as callbacks_send_due

pytestmark = pytest.mark.django_db(transaction=False)
SECRET = "callback-secret-for-tests"


class Hotline(BaseHTTPRequestHandler):
    """A stand-in 12345 platform: answers with the next status in ``plan``."""

    plan: list[int] = []
    received: list[tuple[dict, dict]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hotline.received.append((dict(self.headers), json.loads(body)))
        signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        ok = self.headers.get("X-Fengqiao-Signature") == f"sha256={signature}"
        status = Hotline.plan.pop(0) if Hotline.plan else 200
        self.send_response(status if ok else 401)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def hotline_server():
    Hotline.plan, Hotline.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Hotline)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/results"
    server.shutdown()


@pytest.fixture
def hotline_case(client, tree, endpoint_for, hotline_server, township_clerk):
    _endpoint, token = endpoint_for(
        Channel.HOTLINE_12345, callback_url=hotline_server, callback_secret=SECRET
    )
    assert (
        post(client, "/api/v1/intake/hotline-12345", token, hotline_body(tree)).status_code == 201
    )
    return Case.objects.get(channel=Channel.HOTLINE_12345)


def withdraw(case, actor) -> None:
    case_transition(
        actor=actor, case_id=case.pk, name="withdraw", action=ActionInput(note="诉求人撤回")
    )


def test_an_outcome_is_delivered_after_a_failure_and_never_twice(
    hotline_case, township_clerk, django_capture_on_commit_callbacks
):
    Hotline.plan = [503]
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(hotline_case, township_clerk)  # the first try runs after commit and fails

    callback = OutboundMessage.objects.get(channel="http")
    assert (callback.status, callback.attempts) == (CallbackStatus.FAILED, 1)
    assert callbacks_send_due() == 0  # not due yet: the retry waits a minute
    later = timezone.now() + timedelta(minutes=2)
    assert callbacks_send_due(now=later) == 1
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == (CallbackStatus.SENT, 2)
    assert callbacks_send_due(now=later + timedelta(hours=1)) == 0  # sent stays sent

    assert len(Hotline.received) == 2
    headers, body = Hotline.received[-1]
    assert body["source_ref"] == "GD20261123000456"
    assert body["outcome"] == "withdrawn"
    assert body["result"] == "诉求人撤回"
    assert headers["Idempotency-Key"] == str(callback.idempotency_key)
    assert CaseEvent.objects.filter(case=hotline_case, kind=EventKind.RESULT_REPORTED).exists()


def test_a_callback_is_given_up_after_the_last_attempt(
    hotline_case, township_clerk, settings, django_capture_on_commit_callbacks
):
    settings.FENGQIAO_CALLBACK_MAX_ATTEMPTS = 2
    Hotline.plan = [500, 500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(hotline_case, township_clerk)
    callbacks_send_due(now=timezone.now() + timedelta(minutes=5))
    callback = OutboundMessage.objects.get(channel="http")
    assert (callback.status, callback.attempts) == (CallbackStatus.DEAD, 2)
    assert callbacks_send_due(now=timezone.now() + timedelta(days=1)) == 0
    assert len(Hotline.received) == 2


def test_a_rolled_back_result_is_never_announced(
    hotline_case, township_clerk, django_capture_on_commit_callbacks
):
    def withdraw_then_fail():
        with transaction.atomic():
            withdraw(hotline_case, township_clerk)
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        withdraw_then_fail()
    assert not OutboundMessage.objects.filter(channel="http").exists()
    assert Hotline.received == []


def test_only_outcomes_are_reported(hotline_case, township_clerk):
    case_transition(actor=township_clerk, case_id=hotline_case.pk, name="accept")
    assert not OutboundMessage.objects.filter(channel="http").exists()
