"""Tamper evidence for the audit log (等保 2.0 安全审计; issue #17): every entry carries the hash
of its own content, and every finished day is sealed into a chain of daily digests over the
hashes of that day's entries in order, like the case timeline's digests (``cases.ledger``).

A per-entry chain would make every audited write in the system wait for the one before it; the
daily chain costs nothing on the write path and still proves, for every sealed day, that no entry
was changed, removed, or slipped in with an earlier date. ``manage.py verify_ledger`` checks both.
Entries of the current day are protected by their own hash until the hourly seal takes the day.
"""

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from fengqiao.audit.models import AuditDigest, AuditEntry, retention_days
from fengqiao.core import clock

GENESIS = "0" * 64


def entry_hash(
    *,
    occurred_at: datetime,
    actor_id: int | None,
    actor_name: str,
    org_id: int | None,
    action: str,
    target_type_id: int,
    target_id: str,
    target_repr: str,
    changes: Any,
    extra: Any,
    request_id: Any,
    ip_address: str | None,
) -> str:
    """The hash of one entry's content, computed from what the database gives back (JSON
    round-tripped, the time in UTC), so the same entry always hashes the same."""
    content = {
        "at": occurred_at.astimezone(UTC).isoformat(),
        "actor": actor_id,
        "actor_name": actor_name,
        "org": org_id,
        "action": action,
        "target": [target_type_id, str(target_id), target_repr],
        "changes": json.loads(json.dumps(changes, cls=DjangoJSONEncoder)),
        "extra": json.loads(json.dumps(extra, cls=DjangoJSONEncoder)),
        "request": str(request_id) if request_id else None,
        "ip": str(ipaddress.ip_address(ip_address)) if ip_address else None,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        occurred_at=entry.occurred_at,
        actor_id=entry.actor_id,
        actor_name=entry.actor_name,
        org_id=entry.org_id,
        action=entry.action,
        target_type_id=entry.target_type_id,
        target_id=entry.target_id,
        target_repr=entry.target_repr,
        changes=entry.changes,
        extra=entry.extra,
        request_id=entry.request_id,
        ip_address=entry.ip_address,
    )


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _day_entries(day: date) -> tuple[int, str]:
    """(entries, hash over their stored hashes in id order) for one local day."""
    start, end = _day_bounds(day)
    hashes = (
        AuditEntry.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .order_by("pk")
        .values_list("entry_hash", flat=True)
    )
    running, count = hashlib.sha256(), 0
    for value in hashes.iterator():
        running.update(value.encode())
        count += 1
    return count, running.hexdigest()


def _digest(day: date, prev: str, count: int, entries: str) -> str:
    return hashlib.sha256(f"{prev}|{day.isoformat()}|{count}|{entries}".encode()).hexdigest()


def seal_days(until: date | None = None) -> int:
    """Seal every whole day not sealed yet, up to ``until`` (default yesterday), in order; a day
    without entries is sealed too, so the chain has no gaps. Returns how many were sealed."""
    until = until or clock.today() - timedelta(days=1)
    last = AuditDigest.objects.order_by("-day").first()
    if last is not None:
        day, prev = last.day + timedelta(days=1), last.digest
    else:
        first_at = (
            AuditEntry.objects.order_by("occurred_at").values_list("occurred_at", flat=True).first()
        )
        if first_at is None:
            return 0
        day, prev = timezone.localdate(first_at), GENESIS
    sealed = 0
    while day <= until:
        count, entries = _day_entries(day)
        digest = _digest(day, prev, count, entries)
        AuditDigest.objects.create(
            day=day, entry_count=count, entries_hash=entries, prev_digest=prev, digest=digest
        )
        day, prev, sealed = day + timedelta(days=1), digest, sealed + 1
    return sealed


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # "条目 #12" or "2026-11-30"
    what: str

    def __str__(self) -> str:
        return f"{self.where}：{self.what}"


def verify() -> list[Problem]:
    """Every entry whose content no longer matches its hash, every sealed day whose entries no
    longer give its digest (changed, removed or back-dated entries) and every broken link between
    days. A day emptied by the retention purge (older than the retention period) is not a
    problem; a day partly emptied is."""
    problems = [
        Problem(f"审计条目 #{entry.pk}", "内容与其哈希不符（条目被改动）")
        for entry in AuditEntry.objects.order_by("pk").iterator()
        if entry.entry_hash != hash_of(entry)
    ]
    purged_before = clock.today() - timedelta(days=retention_days())
    prev = None
    for row in AuditDigest.objects.order_by("day").iterator():
        where = f"审计日摘要 {row.day.isoformat()}"
        if prev is not None and row.prev_digest != prev:
            problems.append(Problem(where, "与前一日的摘要不相连"))
        if row.digest != _digest(row.day, row.prev_digest, row.entry_count, row.entries_hash):
            problems.append(Problem(where, "摘要本身被改动"))
        count, entries = _day_entries(row.day)
        if count == 0 and row.entry_count and row.day < purged_before:
            pass  # the whole day was purged after the retention period, as the law allows
        elif (count, entries) != (row.entry_count, row.entries_hash):
            problems.append(
                Problem(
                    where,
                    f"当日条目与封存时不符（封存 {row.entry_count} 条，现有 {count} 条）",
                )
            )
        prev = row.digest
    return problems
