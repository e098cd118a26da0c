"""Reads for the security administrator's page, scoped to their jurisdiction."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import LoginThrottle, Membership, TotpDevice, User
from fengqiao.accounts.roles import Capability
from fengqiao.accounts.security import throttle_key
from fengqiao.core import clock
from fengqiao.core.exceptions import PermissionDeniedError
from fengqiao.regions.models import within_q


def accounts_kept_by(actor: User) -> QuerySet[User]:
    """Accounts whose every membership lies inside the actor's SECURITY_MANAGE jurisdiction."""
    prefixes = access.scope_prefixes(actor, Capability.SECURITY_MANAGE)
    if not prefixes:
        raise PermissionDeniedError(gettext("You are not allowed to do this here."))
    inside = within_q("region__code", prefixes)
    members = Membership.objects.filter(inside).values("user_id")
    outside = Membership.objects.exclude(inside).values("user_id")
    return User.objects.filter(pk__in=members).exclude(pk__in=outside)


@dataclass(frozen=True, slots=True)
class AccountRow:
    user: User
    locked: bool
    enrolled: bool


def account_rows(users: list[User]) -> list[AccountRow]:
    """Lock and authenticator state of one page of accounts, in two queries."""
    keys = {u.pk: throttle_key(u.get_username()) for u in users}
    locked = set(
        LoginThrottle.objects.filter(
            username__in=keys.values(), locked_until__gt=clock.now()
        ).values_list("username", flat=True)
    )
    enrolled = set(
        TotpDevice.objects.filter(user__in=users, confirmed_at__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    return [AccountRow(u, keys[u.pk] in locked, u.pk in enrolled) for u in users]
