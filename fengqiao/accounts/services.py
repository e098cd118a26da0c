"""Writes to accounts: the system actor, memberships and API tokens."""

import secrets
from datetime import datetime

from django.db import transaction

from fengqiao.accounts import access
from fengqiao.accounts.models import ApiToken, Membership, User, token_digest
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Region

SYSTEM_USERNAME = "system"


def system_actor() -> User:
    """The account background jobs and commands act as, so every event and audit row names an actor.

    It cannot sign in (no usable password) and holds no memberships.
    """
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"full_name": "系统", "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def membership_grant(
    *, actor: User, user: User, role: str, region: Region, org: Organisation
) -> Membership:
    """Give ``user`` the ``role`` over ``region``'s subtree as staff of ``org`` (idempotent)."""
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, region=region, org=org
    )
    if created:  # privileges granted are audited (MLPS level 3: 权限变更审计)
        record(
            actor=actor,
            action=AuditAction.RECORD_CREATED,
            target=membership,
            org=org,
            extra={"user": user.username, "role": role, "region": region.code},
        )
    access.forget_grants(user)
    return membership


@transaction.atomic
def api_token_create(
    *, actor: User, user: User, name: str = "", expires_at: datetime | None = None
) -> str:
    """Issue a bearer token for ``user`` and return it; only its digest is stored, so show it
    once."""
    token = "fq_" + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(token), hint=token[:10], expires_at=expires_at
    )
    record(
        actor=actor, action=AuditAction.API_TOKEN_CREATED, target=row, extra={"user": user.username}
    )
    return token
