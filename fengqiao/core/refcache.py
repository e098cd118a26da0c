"""Reference data from memory (issue #15): regions, organisations, categories, deadline policies,
routing rules and memberships are read on almost every request and change a few times a year.
Each process keeps what it built from them, and one version row (``core.models.RefVersion``)
says whether that is still current.

- **Writes** call ``bump()`` in the same transaction as the change (the models' ``save`` and
  ``delete`` and the bulk paths call it; there are no signals). The new version is committed
  with the change or rolled back with it, so no process can see the version without the data.
- **Reads** call ``cached(key, build)``. The version is read at most once per request: the
  identity query carries it (``version_subquery`` annotated on the token or user row, see
  ``accounts``), else the first cached read fetches it. A snapshot built under another version
  is rebuilt. So N web processes agree from their next request on, and a request never mixes
  two versions.
- The version is a random 62-bit stamp, not a counter: a change rolled back in this process
  leaves a snapshot stamped with a version that was never committed, and no other process's
  commit can produce that stamp again, so the snapshot is never mistaken for current.

Outside a request (commands, the worker, tests calling services) every cached read checks the
version: one primary-key read instead of the rows it stands for. Snapshots are shared by every
thread of the process: builders return immutable values (tuples, frozen dataclasses) or model
instances that callers only read.
"""

import secrets
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse

from fengqiao.core.models import RefVersion
from fengqiao.core.replica import PRIMARY, primary_reads

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

ROW = 1
MAX_ENTRIES = 4096  # per-user and per-jurisdiction entries: a bound, not a tuning knob


class _Unknown:
    """No version read yet in this request."""


UNKNOWN = _Unknown()
# The version this request has seen (UNKNOWN until read); meaningless outside a request.
_request_version: ContextVar[int | _Unknown | None] = ContextVar("refcache_version", default=None)
_outside_request: ContextVar[bool] = ContextVar("refcache_outside", default=True)

_built_under: list[int | _Unknown | None] = [UNKNOWN]  # the version the snapshots below belong to
_snapshots: dict[Hashable, Any] = {}


def version_subquery() -> Subquery:
    """The version as a column of another query, so the identity read carries it for free."""
    return Subquery(RefVersion.objects.filter(pk=ROW).values("version")[:1])


def note_version(version: int | None) -> None:
    """Record the version the identity query read (``version_subquery``); outside a request it
    means nothing and is ignored."""
    if not _outside_request.get():
        _request_version.set(version)


def current_version() -> int | None:
    """The committed version (or this transaction's own, after a ``bump``); None when the row is
    missing (a flushed test database)."""
    seen = _request_version.get()
    if not _outside_request.get() and not isinstance(seen, _Unknown):
        return seen
    version = (
        RefVersion.objects.using(PRIMARY).filter(pk=ROW).values_list("version", flat=True).first()
    )
    if not _outside_request.get():
        _request_version.set(version)
    return version


def cached(key: Hashable, build: Callable[[], T]) -> T:
    """The snapshot ``key`` built by ``build()`` under the current version, built now if the
    version changed since. ``build`` reads the primary (never the replica's lagging copy)."""
    version = current_version()
    if _built_under[0] != version:
        _snapshots.clear()
        _built_under[0] = version
    elif key in _snapshots:
        value: T = _snapshots[key]
        return value
    with primary_reads():
        value = build()
    if len(_snapshots) >= MAX_ENTRIES:
        _snapshots.clear()
    _snapshots[key] = value
    return value


def bump() -> None:
    """Say that reference data changed, in the caller's transaction: every process rebuilds its
    snapshots once this commits, and none if it rolls back."""
    stamp = secrets.randbits(62)
    if not RefVersion.objects.using(PRIMARY).filter(pk=ROW).update(version=stamp):
        RefVersion.objects.using(PRIMARY).create(pk=ROW, version=stamp)
    clear_local()
    if not _outside_request.get():
        _request_version.set(stamp)
    # Anything this process built inside the transaction saw it half done: drop it at the end.
    transaction.on_commit(clear_local, using=PRIMARY)


def clear_local() -> None:
    """Forget this process's snapshots (the version row is left alone)."""
    _snapshots.clear()
    _built_under[0] = UNKNOWN


@contextmanager
def request_scope() -> Iterator[None]:
    """One request (or one job that must not mix versions, such as a ledger import): the
    version is read at most once inside it."""
    outside = _outside_request.set(False)
    version = _request_version.set(UNKNOWN)
    try:
        yield
    finally:
        _request_version.reset(version)
        _outside_request.reset(outside)


class RefCacheMiddleware:
    """Opens the request scope of ``request_scope``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)


class ReferenceData:
    """Mixin for the models whose rows ``cached`` snapshots are built from: saving or deleting
    one bumps the version in the same transaction (the admin's saves included)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)  # type: ignore[misc]
        bump()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted: tuple[int, dict[str, int]] = super().delete(*args, **kwargs)  # type: ignore[misc]
        bump()
        return deleted


class ReferenceQuerySet(models.QuerySet[M]):
    """The bulk paths of the same models (``update``, ``delete``, ``bulk_create``,
    ``bulk_update``, the admin's "delete selected") bump too."""

    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        if count:
            bump()
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        deleted = super().delete()
        if deleted[0]:
            bump()
        return deleted

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[M]:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump()
        return created

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if count:
            bump()
        return count
