"""The outbound queue: every inbox notification may also go out by SMS, email (the recipient's
own preferences) and an organisation's group robots. Rows are written in the notification's
transaction and the send is scheduled with ``transaction.on_commit``, so a rolled-back cause is
never announced and nothing is sent while a transaction is open.

Sending claims a row with a conditional UPDATE (pending/failed and due → sending) before the
network call, so two workers never send the same row, and a row marked sent is never sent again.
A worker killed between the call and the mark leaves the row "sending"; it is tried again after
STALE_CLAIM (at-least-once for that one crash window, never for a row already marked sent).
Failures back off 1, 2, 4 … minutes until FENGQIAO_DELIVERY_MAX_ATTEMPTS.
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fengqiao.orgs.models import Organisation
from fengqiao.supervision.channels import SENDERS, ChannelError, Outgoing
from fengqiao.supervision.choices import Channel, DeliveryStatus
from fengqiao.supervision.models import ChannelPreference, Delivery, Notification, OrgWebhook

logger = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=10)


def _max_attempts() -> int:
    return int(getattr(settings, "FENGQIAO_DELIVERY_MAX_ATTEMPTS", 6))


def _wants(kinds: list[str], kind: str) -> bool:
    return not kinds or kind in kinds


def deliveries_queue(
    *, notifications: Sequence[Notification], orgs: Iterable[Organisation] = ()
) -> list[Delivery]:
    """Queue the outbound copies of freshly written notifications; sent after the commit.

    Personal channels follow each recipient's preferences; each organisation's active robots get
    one message per batch (the first notification stands for the others).
    """
    if not notifications:
        return []
    rows: list[Delivery] = []
    by_user = {n.recipient_id: n for n in notifications}
    preferences = ChannelPreference.objects.filter(user_id__in=by_user).select_related("user")
    for preference in preferences:
        notification = by_user[preference.user_id]
        target = preference.target.strip()
        if preference.channel == Channel.EMAIL and not target:
            target = preference.user.email
        if target and _wants(preference.kinds, notification.kind):
            rows.append(
                Delivery(notification=notification, channel=preference.channel, target=target)
            )
    first = notifications[0]
    org_ids = {org.pk for org in orgs}
    hooks = OrgWebhook.objects.filter(org_id__in=org_ids, is_active=True).order_by("pk")
    rows.extend(
        Delivery(notification=first, channel=h.channel, target=f"webhook:{h.pk}", webhook=h)
        for h in hooks
        if _wants(h.kinds, first.kind)
    )
    created = Delivery.objects.bulk_create(rows)
    ids = [d.pk for d in created]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from fengqiao.supervision.tasks import send_deliveries  # the task module imports this one

    try:
        send_deliveries.enqueue(ids)
    except Exception:  # the periodic sweep sends them anyway
        logger.exception("supervision: could not enqueue deliveries %s", ids)


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    due = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], next_attempt_at__lte=now)
    stale = Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    taken = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(due | stale)
        .update(status=DeliveryStatus.SENDING, claimed_at=now)
    )
    if not taken:
        return None
    return Delivery.objects.select_related("notification", "webhook").get(pk=delivery_id)


def _outgoing(delivery: Delivery) -> Outgoing:
    notification = delivery.notification
    text = notification.body
    if notification.url:
        base = str(getattr(settings, "FENGQIAO_SITE_URL", "")).rstrip("/")
        text = f"{text}\n{base}{notification.url}".strip()
    if delivery.webhook is not None:
        return Outgoing(notification.title, text, delivery.webhook.url(), delivery.webhook.secret())
    return Outgoing(notification.title, text, delivery.target)


def delivery_send(delivery_id: int, *, now: datetime | None = None) -> bool:
    """Try one delivery if it is due; True when the channel accepted it. Never call it inside a
    transaction: the network call must not hold locks or see uncommitted rows."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return False
    try:
        SENDERS[delivery.channel](_outgoing(delivery))
    except (ChannelError, ValueError, KeyError) as error:
        attempts = delivery.attempts + 1
        dead = attempts >= _max_attempts()
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.DEAD if dead else DeliveryStatus.FAILED,
            attempts=attempts,
            next_attempt_at=now + timedelta(minutes=2 ** (attempts - 1)),
            last_error=str(error)[:500],
        )
        logger.warning("supervision: delivery %s failed (%s): %s", delivery.pk, attempts, error)
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT,
        attempts=delivery.attempts + 1,
        sent_at=timezone.now(),
        last_error="",
    )
    return True


def deliveries_send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """The worker's retry sweep: try every due delivery; returns how many went out."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ).order_by("next_attempt_at", "pk")
    return sum(delivery_send(pk, now=now) for pk in list(due.values_list("pk", flat=True)[:limit]))
