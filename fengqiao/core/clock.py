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

from django.utils import timezone


@dataclass
class Replay:
    """The moment a loader is writing at; ``None`` means real time (between replayed steps)."""

    moment: datetime | None = None


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
    """Today's real local date even inside a replay: whether a membership is in force is decided
    when a right is exercised, and the person replaying the past acts now."""
    return timezone.localdate(timezone.now())


@contextmanager
def replay(moment: datetime | None = None) -> Iterator[Replay]:
    """Write the past for the block: ``now()`` answers ``Replay.moment`` while it is set."""
    if moment is not None and timezone.is_naive(moment):
        raise ValueError("a replayed moment must be timezone-aware")
    state = Replay(moment)
    token = _replay.set(state)
    try:
        yield state
    finally:
        _replay.reset(token)
