"""Sending results back to the channels (12345, court): a queue of ``ChannelCallback`` rows.

Queued inside the transaction that decided the result and sent only after it commits (a rolled
back result is never announced); the worker claims each due row, POSTs it outside any
transaction, and marks it sent, or failed with the next attempt after a growing pause (1, 2, 4 …
minutes), or dead after FENGQIAO_CALLBACK_MAX_ATTEMPTS. A row marked sent is never sent again;
a worker killed between the POST and the mark may send once more, with the same Idempotency-Key
for the receiver to recognise.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fengqiao.cases.models import Case
from fengqiao.intake.models import CallbackStatus, ChannelCallback, ChannelEndpoint

logger = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=10)  # a worker that claimed a row and died: try it again


def _max_attempts() -> int:
    return int(getattr(settings, "FENGQIAO_CALLBACK_MAX_ATTEMPTS", 8))


def callback_enqueue(
    *, endpoint: ChannelEndpoint, case: Case, payload: dict[str, Any]
) -> ChannelCallback:
    """Queue ``payload`` for the endpoint's callback URL; it is sent after the commit."""
    callback = ChannelCallback.objects.create(
        endpoint=endpoint,
        case=case,
        url=endpoint.callback_url,
        payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)),
    )
    transaction.on_commit(lambda: _enqueue_send(callback.pk))
    return callback


def _enqueue_send(callback_id: int) -> None:
    from fengqiao.intake.tasks import send_callback  # the task module imports this one

    try:
        send_callback.enqueue(callback_id)
    except Exception:  # the periodic sweep picks it up anyway
        logger.exception("intake: could not enqueue callback %s", callback_id)


def _claim(callback_id: int, now: datetime) -> ChannelCallback | None:
    """Take the row for this worker if it is due; a conditional UPDATE, so two workers never
    both take it (on SQLite and PostgreSQL alike)."""
    due = Q(status__in=[CallbackStatus.PENDING, CallbackStatus.FAILED], next_attempt_at__lte=now)
    stale = Q(status=CallbackStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    taken = (
        ChannelCallback.objects.filter(pk=callback_id)
        .filter(due | stale)
        .update(status=CallbackStatus.SENDING, claimed_at=now)
    )
    return ChannelCallback.objects.select_related("endpoint").get(pk=callback_id) if taken else None


def _post(callback: ChannelCallback) -> None:
    body = json.dumps(callback.payload, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Idempotency-Key": str(callback.idempotency_key),
        "User-Agent": "fengqiao-callback/1",
    }
    secret = callback.endpoint.callback_secret()
    if secret:
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        headers["X-Fengqiao-Signature"] = f"sha256={signature}"
    request = urllib.request.Request(callback.url, data=body, headers=headers, method="POST")  # noqa: S310  the URL is an administrator's https/http endpoint
    timeout = float(getattr(settings, "FENGQIAO_CALLBACK_TIMEOUT_SECONDS", 10))
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status}")


def callback_send(callback_id: int, *, now: datetime | None = None) -> bool:
    """Try one callback now if it is due; True when it was delivered."""
    now = now or timezone.now()
    callback = _claim(callback_id, now)
    if callback is None:
        return False
    try:
        _post(callback)
    except (urllib.error.URLError, OSError, ValueError) as error:
        attempts = callback.attempts + 1
        dead = attempts >= _max_attempts()
        ChannelCallback.objects.filter(pk=callback.pk).update(
            status=CallbackStatus.DEAD if dead else CallbackStatus.FAILED,
            attempts=attempts,
            next_attempt_at=now + timedelta(minutes=2 ** (attempts - 1)),
            last_error=str(error)[:500],
        )
        logger.warning("intake: callback %s failed (%s attempts): %s", callback.pk, attempts, error)
        return False
    ChannelCallback.objects.filter(pk=callback.pk).update(
        status=CallbackStatus.SENT, attempts=callback.attempts + 1, sent_at=timezone.now()
    )
    return True


def callbacks_send_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The worker's sweep: try every due callback; returns how many were delivered."""
    now = now or timezone.now()
    due = ChannelCallback.objects.filter(
        Q(status__in=[CallbackStatus.PENDING, CallbackStatus.FAILED], next_attempt_at__lte=now)
        | Q(status=CallbackStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ).order_by("next_attempt_at", "pk")
    return sum(callback_send(pk, now=now) for pk in list(due.values_list("pk", flat=True)[:limit]))
