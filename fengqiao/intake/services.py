"""Every write of the intake app: channel endpoints and their tokens, and receiving a submission
from a channel as a case through the one registration service."""

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User, token_digest
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.choices import Channel, EventKind
from fengqiao.cases.models import Case
from fengqiao.cases.services import CaseDraft, case_record_event, case_register
from fengqiao.core import crypto
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.models import (
    PAYLOAD_CONTEXT,
    ChannelEndpoint,
    IntakeSubmission,
    SubmissionOutcome,
)
from fengqiao.orgs.models import Organisation

Errors = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Received:
    """What became of a submission: the case, and whether this submission created it."""

    case: Case
    created: bool
    submission: IntakeSubmission


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
        now = timezone.now()
        if endpoint.last_used_at is None or (now - endpoint.last_used_at).total_seconds() > 300:
            ChannelEndpoint.objects.filter(pk=endpoint.pk).update(last_used_at=now)
    return endpoint


def _sealed_payload(payload: dict[str, Any]) -> tuple[str, str]:
    raw = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return crypto.encrypt(raw, context=PAYLOAD_CONTEXT), digest


def _existing(channel: str, source_ref: str) -> Case | None:
    if not source_ref:
        return None
    return Case.objects.filter(channel=channel, source_ref=source_ref).first()


def _resent(
    endpoint: ChannelEndpoint, case: Case, source_ref: str, payload: dict[str, Any]
) -> Received:
    encrypted, digest = _sealed_payload(payload)
    submission = IntakeSubmission.objects.create(
        endpoint=endpoint,
        channel=endpoint.channel,
        source_ref=source_ref,
        payload_encrypted=encrypted,
        payload_sha256=digest,
        case=case,
        outcome=SubmissionOutcome.RESENT,
    )
    case_record_event(
        actor=endpoint.service_user,
        case_id=case.pk,
        kind=EventKind.RECEIVED_AGAIN,
        data={"channel": endpoint.channel, "source_ref": source_ref, "payload_sha256": digest},
        scoped=False,
    )
    return Received(case=case, created=False, submission=submission)


@transaction.atomic
def submission_receive(
    *,
    endpoint: ChannelEndpoint,
    source_ref: str,
    payload: dict[str, Any],
    draft: CaseDraft,
) -> Received:
    """Register what a channel sent, once: the same source number again (a resend, or two
    racing requests) returns the case it already became and is noted on its timeline.

    Raises:
        InvalidInput: the draft breaks a registration rule (field names of ``CaseDraft``);
        nothing is stored.
    """
    source_ref = source_ref.strip()
    existing = _existing(endpoint.channel, source_ref)
    if existing is not None:
        return _resent(endpoint, existing, source_ref, payload)
    try:
        with transaction.atomic():  # a racing twin may win the unique source number
            case = case_register(actor=endpoint.service_user, draft=draft)
    except IntegrityError:
        existing = _existing(endpoint.channel, source_ref)
        if existing is None:
            raise
        return _resent(endpoint, existing, source_ref, payload)
    encrypted, digest = _sealed_payload(payload)
    submission = IntakeSubmission.objects.create(
        endpoint=endpoint,
        channel=endpoint.channel,
        source_ref=source_ref,
        payload_encrypted=encrypted,
        payload_sha256=digest,
        case=case,
        outcome=SubmissionOutcome.REGISTERED,
    )
    return Received(case=case, created=True, submission=submission)
