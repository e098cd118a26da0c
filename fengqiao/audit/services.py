"""Writing audit entries; called explicitly by the service that made the change (no signals)."""

import json
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from fengqiao.audit import chain
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.core import clock
from fengqiao.core.context import current_request

if TYPE_CHECKING:
    from fengqiao.accounts.models import User
    from fengqiao.orgs.models import Organisation


def record(
    *,
    actor: "User | None",
    action: AuditAction,
    target: models.Model,
    org: "Organisation | None" = None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one entry inside the caller's transaction, so it rolls back together with the
    change.

    While a history import writes a ledger row (``clock.imported()``), the entry is stamped with
    the real time (the clerk imports now; the audit log says so, and a sealed audit day stays
    as sealed) and its ``extra`` names the import and the replayed moment."""
    context = current_request.get()  # None for jobs and commands: recorded honestly as null
    known = actor is not None and actor.is_authenticated
    marker = clock.imported()
    if marker is not None:
        extra = {**(extra or {}), "imported": {**marker, "at": clock.now().isoformat()}}
    entry = AuditEntry(
        occurred_at=clock.real_now() if marker is not None else clock.now(),
        actor=actor if known else None,
        actor_name=actor.get_username() if actor is not None and known else "system",
        org=org,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        changes=changes or {},
        extra=extra or {},
        request_id=context.request_id if context else None,
        ip_address=context.ip_address if context else None,
    )
    entry.changes = json.loads(json.dumps(entry.changes, cls=DjangoJSONEncoder))
    entry.extra = json.loads(json.dumps(entry.extra, cls=DjangoJSONEncoder))
    entry.entry_hash = chain.hash_of(entry)
    entry.save(force_insert=True)
    return entry
