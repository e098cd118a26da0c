"""The one clock every service, model default and audit row reads.

In production it is real time. A loader that writes the past — the demo (``demo`` app) spreading
a year of cases over twelve months, or the history import bringing an office's earlier years in —
replays each registration and transition at its own moment by opening ``replay()`` and moving
``Replay.moment``; the same services then stamp that moment, so validation, events, audit rows and
the sealed ledger are exactly what a live run writes. Nothing is patched: the moment lives in a
context variable, so it is confined to the loader's own thread or task and ends with its block.

Code reads ``clock.now()`` / ``clock.today()``, never ``timezone.now()``; the architecture test
``test_services_read_the_one_clock`` keeps it that way.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone


@dataclass
class Replay:
    """The moment a loader is writing at; ``None`` means real time (between replayed steps).

    ``imported`` is set by the history import (``intake.history``) while it writes one ledger
    row: the marker every event of that row carries (its batch, file and row), so the timeline
    says which events were imported; nothing written under it is announced to anyone (a
    ten-year-old case must not text its parties today). The demo leaves it ``None``.
    """

    moment: datetime | None = None
    imported: dict[str, Any] | None = None


_replay: ContextVar[Replay | None] = ContextVar("fengqiao_clock_replay", default=None)


def now() -> datetime:
    """The current moment: the replayed one inside ``replay()``, else real (aware, UTC) time."""
    replay = _replay.get()
    if replay is not None and replay.moment is not None:
        return replay.moment
    return timezone.now()


def today() -> date:
    """The current local date (Asia/Shanghai) of ``now()``."""
    return timezone.localdate(now())


def real_now() -> datetime:
    """Real time even inside a replay: for what is truly happening now (a job's own bookkeeping)."""
    return timezone.now()


def real_today() -> date:
    """The real local date even inside a replay: for decisions made now, such as whether a
    membership grants its rights (the importing clerk acts today, whatever year is replayed)."""
    return timezone.localdate(timezone.now())


def imported() -> dict[str, Any] | None:
    """The history import's marker while it writes a ledger row (``Replay.imported``), else
    None."""
    replay = _replay.get()
    return replay.imported if replay is not None else None


@contextmanager
def replay(
    moment: datetime | None = None, *, imported: dict[str, Any] | None = None
) -> Iterator[Replay]:
    """Write the past for the block: ``now()`` answers ``Replay.moment`` while it is set."""
    if moment is not None and timezone.is_naive(moment):
        raise ValueError("a replayed moment must be timezone-aware")
    state = Replay(moment, imported)
    token = _replay.set(state)
    try:
        yield state
    finally:
        _replay.reset(token)
