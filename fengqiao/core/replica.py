"""Read replica: the dashboard, the ledgers and the audit search read from a streaming replica
when one is configured (``DATABASE_REPLICA_URL``), so figures over millions of cases do not
compete with registrations for the primary.

Only reads that inform a person go there. Everything that decides stays on the primary: writes,
any read inside a transaction (a service reading what it is about to change), and identity and
permission rows (users, memberships, tokens, sessions), so a revoked membership is never honoured
for the lag of the replica. Views opt in with ``reads_from_replica``; nothing else changes."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpResponseBase, StreamingHttpResponse

PRIMARY = "default"
# Rows that decide who may see what: always read fresh from the primary.
PRIMARY_ONLY_APPS = frozenset({"accounts", "auth", "sessions", "contenttypes", "admin"})

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_alias() -> str | None:
    """The database alias of the replica (settings: ``DATABASE_REPLICA_URL``), or None."""
    return settings.FENGQIAO_READ_REPLICA or None


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may go to the replica (see the module docstring for what may not)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads in this block go to the primary even inside ``replica_reads`` (what is kept in
    memory for every later request, ``core.refcache``)."""
    token = _reading_from_replica.set(False)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def _streamed_on_replica(chunks: Iterator[Any]) -> Iterator[Any]:
    """A streamed export reads its rows after the view has returned: keep the flag while it does."""
    iterator = iter(chunks)
    while True:
        with replica_reads():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def reads_from_replica(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Marks a read-only view whose figures may come from the replica, streamed bodies included."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponseBase:
        with replica_reads():
            response = view(*args, **kwargs)
        if isinstance(response, StreamingHttpResponse) and replica_alias():
            body = response.streaming_content
            if isinstance(body, Iterator):  # the WSGI (synchronous) case, the only one served
                response.streaming_content = _streamed_on_replica(body)
        return response

    return wrapped


class ReplicaRouter:
    """Sends opted-in reads to ``replica``; every other decision is Django's default."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        replica = replica_alias()
        if not _reading_from_replica.get() or replica is None:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:  # type: ignore[attr-defined]
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return replica

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: an object read from either relates to the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, replica_alias()}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == PRIMARY
