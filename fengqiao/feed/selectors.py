"""The event feed: every timeline event of the cases an actor may see, in a stable order that a
reader can resume from a cursor, in a new process, without losing or repeating an event."""

import base64
import binascii
from dataclasses import astuple, dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext

from fengqiao.accounts.models import User
from fengqiao.cases.models import CaseEvent
from fengqiao.cases.selectors import case_list_for
from fengqiao.core.exceptions import InvalidInput

CURSOR_VERSION = "1"
# The feed shows what transactions older than every running one wrote: those have ended, their
# events are all visible now, and no event can appear later with a smaller position (migration
# feed 0001 explains the column). Transaction ids are the cluster's, so a long transaction in
# another database on the same server (a report, a test run) would hold the feed back for
# nothing: running transactions seen in another database are left out. Any running transaction
# not seen (ended since the snapshot, or hidden from a role without pg_read_all_stats) still
# counts, so the feed may wait, never skip.
_BOUND = (
    "(SELECT COALESCE("
    "(SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x "
    "WHERE (x::text::bigint %% 4294967296) NOT IN ("
    "SELECT backend_xid::text::bigint FROM pg_stat_activity "
    "WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())), "
    "pg_snapshot_xmax(s)::text::bigint) "
    "FROM (SELECT pg_current_snapshot() AS s) AS snapshot)"
)
_FINISHED = "cases_caseevent.feed_txid < " + _BOUND


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """Where an event stands in the feed: (writing transaction, event id); the transaction is 0
    on SQLite, whose single writer already commits in id order."""

    txid: int = 0
    event_id: int = 0

    def encode(self) -> str:
        raw = f"{CURSOR_VERSION}.{self.txid}.{self.event_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


START = Position()


def position_decode(cursor: str) -> Position:
    """The position an opaque ``cursor`` names; the empty cursor is the start of the feed.

    Raises:
        InvalidInput: the cursor was not issued by this feed.
    """
    if not cursor:
        return START
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, txid, event_id = raw.split(".")
        position = Position(int(txid), int(event_id))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        position = None
    if position is not None and version == CURSOR_VERSION and min(astuple(position)) >= 0:
        return position
    raise InvalidInput(
        gettext("The request has errors."),
        errors={"after": [gettext("Use the next_cursor of an earlier page, or leave it empty.")]},
    )


@dataclass(frozen=True, slots=True)
class FeedPage:
    entries: list[tuple[CaseEvent, Position]]
    next_position: Position
    has_more: bool


def _positioned() -> QuerySet[CaseEvent]:
    if connection.vendor == "postgresql":
        # Constant SQL without parameters: nothing from the request reaches it.
        txid = RawSQL("cases_caseevent.feed_txid", ())
        finished = RawSQL(_FINISHED, (), output_field=BooleanField())  # noqa: S611
        return (
            CaseEvent.objects.annotate(feed_txid=txid)
            .alias(finished=finished)
            .filter(finished=True)
        )
    return CaseEvent.objects.annotate(feed_txid=RawSQL("0", ()))


def event_feed_for(*, actor: User, after: Position, limit: int) -> FeedPage:
    """Up to ``limit`` events after ``after`` of the cases ``actor`` may view, exactly the case
    list's scope (a case transferred out of the jurisdiction takes its events with it), oldest
    position first, each with its case, organisation and position (``feed_txid``)."""
    visible = case_list_for(actor=actor).order_by().values("pk")
    later = Q(feed_txid__gt=after.txid) | Q(feed_txid=after.txid, pk__gt=after.event_id)
    events: list[Any] = list(
        _positioned()
        .filter(later, case_id__in=visible)
        .select_related("case", "org")
        .order_by("feed_txid", "pk")[: limit + 1]
    )
    entries = [(event, Position(int(event.feed_txid), event.pk)) for event in events[:limit]]
    next_position = entries[-1][1] if entries else after
    return FeedPage(entries=entries, next_position=next_position, has_more=len(events) > limit)
