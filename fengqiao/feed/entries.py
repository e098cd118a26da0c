"""One feed event as the API page and the webhook batch both send it."""

from typing import Any

from django.utils import timezone

from fengqiao.cases.models import CaseEvent
from fengqiao.feed.selectors import Position


def event_entry(event: CaseEvent, position: Position) -> dict[str, Any]:
    return {
        "id": event.pk,
        "cursor": position.encode(),
        "case": {"id": event.case.pk, "number": event.case.number},
        "seq": event.seq,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "occurred_at": timezone.localtime(event.occurred_at),
        "actor_name": event.actor_name,
        "org": {"id": event.org.pk, "code": event.org.code, "name": event.org.name},
        "data": event.data,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
