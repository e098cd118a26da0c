"""Channel endpoints and their tokens. Receiving what a channel sends is the one intake path,
``intake.pipeline.register_dispute``."""

import secrets

from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User, token_digest
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.choices import Channel
from fengqiao.core import clock
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.orgs.models import Organisation

Errors = dict[str, list[str]]


def channel_endpoint_create(
    *,
    actor: User,
    name: str,
    channel: str,
    org: Organisation,
    service_user: User,
    callback_url: str = "",
    callback_secret: str = "",
) -> tuple[ChannelEndpoint, str]:
    """Open a channel into ``org`` and return it with its token (shown once; only the digest is
    kept). The service account must be able to register cases at ``org``.

    Raises:
        InvalidInput: unknown channel, or the service account cannot register there.
    """
    errors: Errors = {}
    if channel not in Channel.values:
        errors["channel"] = [gettext("Choose a channel from the list.")]
    if org.pk not in access.org_ids_with(service_user, Capability.CASE_REGISTER):
        errors["service_user"] = [
            gettext("This account cannot register cases for the receiving organisation.")
        ]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    token = "fqc_" + secrets.token_urlsafe(32)
    endpoint = ChannelEndpoint(
        name=name,
        channel=channel,
        org=org,
        service_user=service_user,
        token_digest=token_digest(token),
        token_hint=token[:10],
        callback_url=callback_url,
    )
    endpoint.set_callback_secret(callback_secret)
    endpoint.save()
    record(
        actor=actor,
        action=AuditAction.API_TOKEN_CREATED,
        target=endpoint,
        org=org,
        extra={"channel": channel, "service_user": service_user.username},
    )
    return endpoint, token


def channel_endpoint_for_token(token: str) -> ChannelEndpoint | None:
    """The active endpoint a bearer token opens, with a working service account; or None."""
    endpoint = (
        ChannelEndpoint.objects.select_related("org", "org__region", "service_user")
        .filter(token_digest=token_digest(token), is_active=True, service_user__is_active=True)
        .first()
    )
    if endpoint is not None:
        now = clock.now()
        if endpoint.last_used_at is None or (now - endpoint.last_used_at).total_seconds() > 300:
            ChannelEndpoint.objects.filter(pk=endpoint.pk).update(last_used_at=now)
    return endpoint
