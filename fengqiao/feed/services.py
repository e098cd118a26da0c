"""Webhook delivery of the event feed: each active subscription's next batch of events goes
into the outbox in the same transaction that moves its cursor, so a batch is queued exactly
once and a crash loses nothing (the outbox sends after the commit and retries)."""

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock
from fengqiao.core.exceptions import InvalidInput
from fengqiao.feed import selectors
from fengqiao.feed.entries import event_entry
from fengqiao.feed.models import Subscription
from fengqiao.notifications.choices import OutboxStatus
from fengqiao.notifications.models import OutboundMessage
from fengqiao.notifications.outbox import post_enqueue

MAX_BATCH = 500


def subscription_create(
    *, actor: User, name: str, account: User, url: str, secret: str, batch_size: int = 100
) -> Subscription:
    """A new subscriber that starts at the beginning of its account's feed.

    Raises:
        InvalidInput: a field is wrong (field → messages).
    """
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [gettext("This field is required.")]
    elif Subscription.objects.filter(name=name.strip()).exists():
        errors["name"] = [gettext("A subscription with this name exists.")]
    if not url.startswith(("https://", "http://")):
        errors["url"] = [gettext("Enter an http or https address.")]
    if len(secret) < 16:
        errors["secret"] = [gettext("The signing secret needs at least 16 characters.")]
    if not 1 <= batch_size <= MAX_BATCH:
        errors["batch_size"] = [gettext("Between 1 and %(n)s.") % {"n": MAX_BATCH}]
    if not access.scope_prefixes(account, Capability.CASE_VIEW):
        errors["account"] = [gettext("This account sees no cases.")]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    subscription = Subscription(name=name.strip(), account=account, url=url, batch_size=batch_size)
    subscription.set_secret(secret)
    subscription.save()
    record(
        actor=actor,
        action=AuditAction.SETTINGS_CHANGED,
        target=subscription,
        extra={"feed_subscription": subscription.name, "account": account.username},
    )
    return subscription


def _waiting(subscription: Subscription) -> bool:
    """The previous batch is still on its way (or was given up): keep the order."""
    last = subscription.last_message
    return last is not None and last.status != OutboxStatus.SENT


def subscription_dispatch(subscription_id: int) -> int:
    """Queue the next batch of one subscription if its previous batch was delivered; returns
    the number of events queued."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("account", "last_message")
            .filter(pk=subscription_id, is_active=True)
            .first()
        )
        if subscription is None or _waiting(subscription):
            return 0
        page = selectors.event_feed_for(
            actor=subscription.account,
            after=selectors.position_decode(subscription.cursor),
            limit=subscription.batch_size,
        )
        if not page.entries:
            return 0
        cursor = page.next_position.encode()
        message = post_enqueue(
            url=subscription.url,
            secret=subscription.secret(),
            payload={
                "subscription": subscription.name,
                "after": subscription.cursor,
                "next_cursor": cursor,
                "has_more": page.has_more,
                "events": [event_entry(event, position) for event, position in page.entries],
            },
        )
        subscription.cursor, subscription.last_message = cursor, message
        subscription.save(update_fields=["cursor", "last_message", "updated_at"])
        return len(page.entries)


def subscriptions_dispatch() -> int:
    """The periodic step: one batch per active subscription whose last batch arrived."""
    ids = Subscription.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    return sum(subscription_dispatch(pk) for pk in list(ids))


def subscription_retry(subscription_id: int) -> bool:
    """Send a given-up batch again (same payload and Idempotency-Key): after the receiver is
    fixed, the paused subscription carries on from it. False when nothing was given up."""
    subscription = Subscription.objects.select_related("last_message").get(pk=subscription_id)
    last = subscription.last_message
    if last is None or last.status != OutboxStatus.DEAD:
        return False
    OutboundMessage.objects.filter(pk=last.pk).update(
        status=OutboxStatus.FAILED, attempts=0, next_attempt_at=clock.now()
    )
    return True
