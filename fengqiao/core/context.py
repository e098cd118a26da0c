"""Per-request facts (request id, client address) that audit rows record without a request
object."""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RequestContext:
    request_id: uuid.UUID
    ip_address: str | None


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)
