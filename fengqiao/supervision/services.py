"""Telling people: ``notify`` (named users) and ``notify_org`` (the active staff of an
organisation). Call inside a transaction or after it; rows are written in the caller's
transaction, so a rolled-back cause leaves no message."""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.models import Membership, User
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import NotFound
from fengqiao.orgs.models import Organisation
from fengqiao.supervision.models import Notification


def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    kind: str = "",
    case: Case | None = None,
    url: str = "",
) -> list[Notification]:
    """One inbox message per active recipient (each person once)."""
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
    return Notification.objects.bulk_create(rows)


def notify_org(
    *,
    org: Organisation,
    title: str,
    body: str = "",
    kind: str = "",
    case: Case | None = None,
    url: str = "",
) -> list[Notification]:
    """Tell everyone currently working for ``org`` (active memberships of active users)."""
    members = User.objects.filter(
        pk__in=Membership.objects.active().filter(org=org).values("user_id"), is_active=True
    ).order_by("pk")
    return notify(recipients=members, title=title, body=body, kind=kind, case=case, url=url)


@transaction.atomic
def notification_read(*, actor: User, notification_id: int | None = None) -> int:
    """Mark one of the actor's messages read (or all of them); another person's is not found."""
    mine = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(pk=notification_id, recipient=actor).exists():
            raise NotFound("notification")
        mine = mine.filter(pk=notification_id)
    return mine.update(read_at=timezone.now())
