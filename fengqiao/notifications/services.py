"""Telling people: ``notify`` (named users) and ``notify_org`` (the active staff of an
organisation). Call inside a transaction or after it; rows are written in the caller's
transaction, so a rolled-back cause leaves no message, and their SMS / email / robot copies are
queued in the same transaction and sent only after it commits (``outbox``). Every app above
``accounts`` calls these directly: this app sits low in the layers for that reason."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from fengqiao.accounts.models import Membership, User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.notifications.choices import PERSONAL_CHANNELS
from fengqiao.notifications.models import ChannelPreference, Notification
from fengqiao.notifications.outbox import notifications_queue
from fengqiao.orgs.models import Organisation

if TYPE_CHECKING:
    from fengqiao.cases.models import Case


def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    kind: str = "",
    case: "Case | None" = None,
    url: str = "",
    orgs: Iterable[Organisation] = (),
) -> list[Notification]:
    """One inbox message per active recipient (each person once); copies go out by the
    recipients' chosen channels and by the group robots of ``orgs``.

    Nothing is written while a history import replays a ledger row (``clock.imported()``): a
    case concluded years ago is not news, and must not text or e-mail anyone today."""
    if clock.imported() is not None:
        return []
    link = url or (reverse("cases:detail", args=[case.pk]) if case is not None else "")
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind[:40],
                title=str(title)[:200],
                body=str(body),
                case=case,
                url=link[:300],
            )
        )
    created = Notification.objects.bulk_create(rows)
    notifications_queue(notifications=created, orgs=orgs)
    return created


def notify_org(
    *,
    org: Organisation,
    title: str,
    body: str = "",
    kind: str = "",
    case: "Case | None" = None,
    url: str = "",
) -> list[Notification]:
    """Tell everyone currently working for ``org`` (active memberships of active users)."""
    members = User.objects.filter(
        pk__in=Membership.objects.active().filter(org=org).values("user_id"), is_active=True
    ).order_by("pk")
    return notify(
        recipients=members, title=title, body=body, kind=kind, case=case, url=url, orgs=[org]
    )


@transaction.atomic
def notification_read(*, actor: User, notification_id: int | None = None) -> int:
    """Mark one of the actor's messages read (or all of them); another person's is not found."""
    mine = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(pk=notification_id, recipient=actor).exists():
            raise NotFound("notification")
        mine = mine.filter(pk=notification_id)
    return mine.update(read_at=clock.now())


@transaction.atomic
def channel_preferences_set(
    *, actor: User, choices: dict[str, tuple[list[str], str]]
) -> list[ChannelPreference]:
    """Set the actor's own channels: ``{channel: (kinds, target)}``; a channel with no kinds
    is switched off (its row removed). Only SMS and email are personal.

    Raises:
        InvalidInput: a channel with kinds but no phone (SMS) or address (email, when the
        account has none).
    """
    errors: dict[str, list[str]] = {}
    kept = []
    for channel in PERSONAL_CHANNELS:
        kinds, target = choices.get(channel, ([], ""))
        target = target.strip()
        if not kinds:
            ChannelPreference.objects.filter(user=actor, channel=channel).delete()
            continue
        if channel == "sms" and not target:
            errors[f"{channel}_target"] = [gettext("Enter the mobile number for SMS.")]
            continue
        if channel == "email" and not (target or actor.email):
            errors[f"{channel}_target"] = [gettext("Enter the address for email.")]
            continue
        preference, _ = ChannelPreference.objects.update_or_create(
            user=actor, channel=channel, defaults={"kinds": sorted(set(kinds)), "target": target}
        )
        kept.append(preference)
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    record(
        actor=actor,
        action=AuditAction.SETTINGS_CHANGED,
        target=actor,
        extra={"notification_channels": {p.channel: p.kinds for p in kept}},
    )
    return kept
