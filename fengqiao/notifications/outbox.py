"""The one outbox: every message that leaves the system is a row here first. Inbox
notifications get copies by SMS and email (the recipient's own preferences) and by their
organisation's group robots; results for other systems (12345, the court, subscribers) are
signed JSON POSTs. Rows are written in the transaction that caused them and sent only after it
commits, so a rolled-back cause is never announced and nothing is sent while a transaction is
open.

Sending claims a row with a conditional UPDATE (pending/failed and due → sending) before the
network call, so two workers never send the same row, and a row marked sent is never sent again.
A worker killed between the call and the mark leaves the row "sending"; it is tried again after
STALE_CLAIM (at-least-once for that one crash window; the receiver of an http message can drop
the repeat by its Idempotency-Key). Failures back off 1, 2, 4 … minutes until
FENGQIAO_DELIVERY_MAX_ATTEMPTS (FENGQIAO_CALLBACK_MAX_ATTEMPTS for results to other systems).
"""

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django_tasks import task

from fengqiao.core import clock
from fengqiao.notifications.channels import SENDERS, ChannelError, Outgoing
from fengqiao.notifications.choices import Channel, OutboxStatus
from fengqiao.notifications.models import (
    ChannelPreference,
    Notification,
    OrgWebhook,
    OutboundMessage,
)
from fengqiao.orgs.models import Organisation

if TYPE_CHECKING:
    from fengqiao.cases.models import Case

logger = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=10)


def _max_attempts(channel: str) -> int:
    if channel == Channel.HTTP:
        return int(getattr(settings, "FENGQIAO_CALLBACK_MAX_ATTEMPTS", 8))
    return int(getattr(settings, "FENGQIAO_DELIVERY_MAX_ATTEMPTS", 6))


def _wants(kinds: list[str], kind: str) -> bool:
    return not kinds or kind in kinds


def notifications_queue(
    *, notifications: Sequence[Notification], orgs: Iterable[Organisation] = ()
) -> list[OutboundMessage]:
    """Queue the outbound copies of freshly written notifications; sent after the commit.

    Personal channels follow each recipient's preferences; each organisation's active robots get
    one message per batch (the first notification stands for the others). Nothing leaves for
    a history import's replayed past (``clock.imported()``).
    """
    if not notifications or clock.imported() is not None:
        return []
    rows: list[OutboundMessage] = []
    by_user = {n.recipient_id: n for n in notifications}
    preferences = ChannelPreference.objects.filter(user_id__in=by_user).select_related("user")
    for preference in preferences:
        notification = by_user[preference.user_id]
        target = preference.target.strip()
        if preference.channel == Channel.EMAIL and not target:
            target = preference.user.email
        if target and _wants(preference.kinds, notification.kind):
            rows.append(
                OutboundMessage(
                    notification=notification, channel=preference.channel, target=target
                )
            )
    first = notifications[0]
    org_ids = {org.pk for org in orgs}
    hooks = OrgWebhook.objects.filter(org_id__in=org_ids, is_active=True).order_by("pk")
    rows.extend(
        OutboundMessage(notification=first, channel=h.channel, target=f"webhook:{h.pk}", webhook=h)
        for h in hooks
        if _wants(h.kinds, first.kind)
    )
    created = OutboundMessage.objects.bulk_create(rows)
    _send_after_commit([m.pk for m in created])
    return created


def post_enqueue(
    *, url: str, payload: dict[str, Any], secret: str = "", case: "Case | None" = None
) -> OutboundMessage:
    """Queue a signed JSON POST of ``payload`` to ``url`` (a result for the system a case came
    from); it is sent after the commit, retried, and carries the row's Idempotency-Key."""
    message = OutboundMessage(
        channel=Channel.HTTP,
        target=url,
        case=case,
        payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)),
    )
    message.set_secret(secret)
    message.save()
    _send_after_commit([message.pk])
    return message


def _send_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(ids: list[int]) -> None:
    try:
        send_outbound.enqueue(ids)
    except Exception:  # the periodic sweep sends them anyway
        logger.exception("notifications: could not enqueue outbound messages %s", ids)


def _claim(message_id: int, now: datetime) -> OutboundMessage | None:
    due = Q(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], next_attempt_at__lte=now)
    stale = Q(status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    taken = (
        OutboundMessage.objects.filter(pk=message_id)
        .filter(due | stale)
        .update(status=OutboxStatus.SENDING, claimed_at=now)
    )
    if not taken:
        return None
    return OutboundMessage.objects.select_related("notification", "webhook").get(pk=message_id)


def _outgoing(message: OutboundMessage) -> Outgoing:
    if message.channel == Channel.HTTP:
        return Outgoing(
            "",
            "",
            message.target,
            message.secret(),
            payload=message.payload,
            idempotency_key=str(message.idempotency_key),
        )
    notification = message.notification
    if notification is None:
        raise ValueError("a personal or robot message needs its notification")
    text = notification.body
    if notification.url:
        base = str(getattr(settings, "FENGQIAO_SITE_URL", "")).rstrip("/")
        text = f"{text}\n{base}{notification.url}".strip()
    if message.webhook is not None:
        return Outgoing(notification.title, text, message.webhook.url(), message.webhook.secret())
    return Outgoing(notification.title, text, message.target)


def message_send(message_id: int, *, now: datetime | None = None) -> bool:
    """Try one message if it is due; True when the channel accepted it. Never call it inside a
    transaction: the network call must not hold locks or see uncommitted rows."""
    now = now or clock.now()
    message = _claim(message_id, now)
    if message is None:
        return False
    try:
        SENDERS[message.channel](_outgoing(message))
    except (ChannelError, ValueError, KeyError) as error:
        attempts = message.attempts + 1
        dead = attempts >= _max_attempts(message.channel)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.DEAD if dead else OutboxStatus.FAILED,
            attempts=attempts,
            next_attempt_at=now + timedelta(minutes=2 ** (attempts - 1)),
            last_error=str(error)[:500],
        )
        logger.warning("notifications: message %s failed (%s): %s", message.pk, attempts, error)
        return False
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT,
        attempts=message.attempts + 1,
        sent_at=clock.now(),
        last_error="",
    )
    return True


def messages_send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """The worker's retry sweep: try every due message; returns how many went out."""
    now = now or clock.now()
    due = OutboundMessage.objects.filter(
        Q(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], next_attempt_at__lte=now)
        | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ).order_by("next_attempt_at", "pk")
    return sum(message_send(pk, now=now) for pk in list(due.values_list("pk", flat=True)[:limit]))


@task()
def send_outbound(message_ids: list[int]) -> int:
    """Send freshly queued messages once their transaction committed (queued by ``_enqueue``,
    so it lives here rather than in tasks.py, which re-exports it)."""
    return sum(message_send(pk) for pk in message_ids)
