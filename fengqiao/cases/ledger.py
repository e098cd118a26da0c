"""The hash chain over each case's timeline: how an event is sealed and how chains are verified."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.cases.models import Case, CaseEvent, LedgerDigest
from fengqiao.core import clock

GENESIS = "0" * 64


def to_json_data(data: dict[str, Any]) -> dict[str, Any]:
    """Round-trip ``data`` through JSON so what is hashed is exactly what the database gives
    back."""
    loaded: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))
    return loaded


def seal(event: CaseEvent) -> str:
    """SHA-256 over the event's canonical JSON, including the previous event's hash."""
    payload = {
        "case": event.case_id,
        "seq": event.seq,
        "kind": event.kind,
        "actor": event.actor_id,
        "org": event.org_id,
        "at": event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "data": event.data,
        "prev": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class BrokenChain:
    case_id: int
    number: str
    seq: int | None
    problem: str


def _event_problem(event: CaseEvent, expected_seq: int, prev_hash: str) -> str | None:
    if event.seq != expected_seq:
        return gettext("expected event #{expected}, found #{found} (an event is missing)").format(
            expected=expected_seq, found=event.seq
        )
    if event.prev_hash != prev_hash:
        return gettext("prev_hash does not match the previous event")
    recomputed = seal(event)
    if recomputed != event.hash:
        return gettext("content does not match its hash (the event was altered)")
    return None


def verify(case_ids: list[int] | None = None) -> Iterator[BrokenChain]:
    """Yield one ``BrokenChain`` per case whose timeline fails; constant memory over any number."""
    cases = Case.objects.order_by("pk").values_list("pk", "number", "event_count", "ledger_head")
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    heads = {
        pk: (number, count, head) for pk, number, count, head in cases.iterator(chunk_size=2000)
    }
    events = CaseEvent.objects.order_by("case_id", "seq")
    if case_ids is not None:
        events = events.filter(case_id__in=case_ids)
    current: int | None = None
    expected, prev, failed = 1, GENESIS, False
    seen: set[int] = set()

    def finish(case_id: int) -> BrokenChain | None:
        number, count, head = heads.get(case_id, ("?", 0, ""))
        if not failed and (count != expected - 1 or head != prev):
            return BrokenChain(
                case_id,
                number,
                None,
                gettext("the case's ledger head does not match its last event"),
            )
        return None

    for event in events.iterator(chunk_size=2000):
        if event.case_id != current:
            if current is not None and (broken := finish(current)):
                yield broken
            current, expected, prev, failed = event.case_id, 1, GENESIS, False
            seen.add(event.case_id)
        if failed:
            continue
        problem = _event_problem(event, expected, prev)
        if problem:
            failed = True
            yield BrokenChain(
                event.case_id, heads.get(event.case_id, ("?", 0, ""))[0], event.seq, problem
            )
            continue
        expected, prev = expected + 1, event.hash
    if current is not None and (broken := finish(current)):
        yield broken
    for case_id, (number, count, _head) in heads.items():
        if case_id not in seen and count:
            yield BrokenChain(
                case_id, number, None, gettext("the case has no events but its head says it has")
            )


# --- the daily digest ------------------------------------------------------------------------


def _day_heads(day: date) -> tuple[int, str]:
    """(cases touched, hash of "case:last hash of the day" lines) for one local day: the events
    that happened that day, and the back-dated ones a history import wrote that day
    (``CaseEvent.imported_on``). An import therefore never changes a day already sealed, while
    an event slipped into a sealed day without being imported still breaks it."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = start + timedelta(days=1)
    last: dict[int, tuple[int, str]] = {}
    live = Q(occurred_at__gte=start, occurred_at__lt=end, imported_on__isnull=True)
    events = (
        CaseEvent.objects.filter(live | Q(imported_on=day))
        .order_by("case_id", "seq")
        .values_list("case_id", "seq", "hash")
    )
    for case_id, seq, event_hash in events.iterator(chunk_size=5000):
        last[case_id] = (seq, event_hash)
    lines = "".join(f"{case_id}:{seq}:{h}\n" for case_id, (seq, h) in sorted(last.items()))
    return len(last), hashlib.sha256(lines.encode()).hexdigest()


def _digest(day: date, prev: str, count: int, heads: str) -> str:
    return hashlib.sha256(f"{prev}|{day.isoformat()}|{count}|{heads}".encode()).hexdigest()


def seal_days(until: date | None = None) -> int:
    """Seal every whole day not sealed yet, up to ``until`` (default yesterday), in order; a day
    without events is sealed too, so the chain has no gaps. Returns how many days were sealed."""
    until = until or clock.today() - timedelta(days=1)
    last = LedgerDigest.objects.order_by("-day").first()
    if last is not None:
        day, prev = last.day + timedelta(days=1), last.digest
    else:
        live = CaseEvent.objects.filter(imported_on__isnull=True).order_by("occurred_at")
        first_at = live.values_list("occurred_at", flat=True).first()
        imported = CaseEvent.objects.exclude(imported_on__isnull=True).order_by("imported_on")
        first_imported = imported.values_list("imported_on", flat=True).first()
        days = [d for d in (first_at and timezone.localdate(first_at), first_imported) if d]
        if not days:
            return 0
        day, prev = min(days), GENESIS
    sealed = 0
    while day <= until:
        count, heads = _day_heads(day)
        digest = _digest(day, prev, count, heads)
        LedgerDigest.objects.create(
            day=day, case_count=count, heads_hash=heads, prev_digest=prev, digest=digest
        )
        day, prev, sealed = day + timedelta(days=1), digest, sealed + 1
    return sealed


def verify_digests() -> list[str]:
    """Problems with the sealed days: a digest that no longer matches the events of its day
    (a rewritten or back-dated event) or a broken link between days."""
    problems: list[str] = []
    prev = None
    for row in LedgerDigest.objects.order_by("day").iterator():
        if prev is not None and row.prev_digest != prev:
            problems.append(
                gettext("{day}: the chain of daily digests is broken").format(day=row.day)
            )
        count, heads = _day_heads(row.day)
        if (count, heads) != (row.case_count, row.heads_hash):
            problems.append(
                gettext("{day}: the day's events no longer match its sealed digest").format(
                    day=row.day
                )
            )
        if _digest(row.day, row.prev_digest, row.case_count, row.heads_hash) != row.digest:
            problems.append(gettext("{day}: the digest row was altered").format(day=row.day))
        prev = row.digest
    return problems
