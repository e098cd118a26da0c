"""Issue #17: audit entries are hash-chained like the timeline — each entry's content hash and a
chain of daily seals — and verify_ledger names every entry changed, removed or back-dated."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from fengqiao.accounts.services import system_actor
from fengqiao.audit import chain
from fengqiao.audit.models import AuditAction, AuditDigest, AuditEntry
from fengqiao.audit.services import record

pytestmark = pytest.mark.django_db


def _entries(days_ago: int, count: int = 2) -> list[AuditEntry]:
    actor = system_actor()
    made = []
    for index in range(count):
        entry = record(
            actor=actor,
            action=AuditAction.SETTINGS_CHANGED,
            target=actor,
            changes={"amount": Decimal("12.50"), "when": timezone.now()},
            extra={"n": index},
        )
        entry.occurred_at -= timedelta(days=days_ago)  # as if written that day, hash and all
        AuditEntry.objects.filter(pk=entry.pk).update(
            occurred_at=entry.occurred_at, entry_hash=chain.hash_of(entry)
        )
        made.append(AuditEntry.objects.get(pk=entry.pk))
    return made


def _verify() -> tuple[bool, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_ledger", stdout=out, stderr=err)
    except CommandError:
        return False, err.getvalue()
    return True, out.getvalue()


def test_an_entry_is_written_with_the_hash_of_what_the_database_keeps(tree):
    [entry] = _entries(0, count=1)
    assert entry.entry_hash == chain.hash_of(entry) != ""
    assert chain.verify() == []


def test_days_are_sealed_once_in_a_chain_and_verify_clean(tree):
    _entries(3)
    _entries(1)
    sealed = chain.seal_days()
    assert sealed == 3  # three days ago, two days ago (empty: no gap), yesterday
    assert chain.seal_days() == 0
    rows = list(AuditDigest.objects.order_by("day"))
    assert [r.entry_count for r in rows] == [2, 0, 2]
    assert rows[1].prev_digest == rows[0].digest
    assert rows[2].prev_digest == rows[1].digest
    ok, output = _verify()
    assert ok, output
    assert "审计日志" in output


def test_a_changed_entry_is_named(tree):
    entry, _other = _entries(2)
    chain.seal_days()
    AuditEntry.objects.filter(pk=entry.pk).update(actor_name="someone else")
    ok, output = _verify()
    assert not ok
    assert f"审计条目 #{entry.pk}" in output


def test_a_changed_entry_with_its_hash_recomputed_breaks_its_day(tree):
    entry, _other = _entries(2)
    chain.seal_days()
    AuditEntry.objects.filter(pk=entry.pk).update(target_repr="改过的")
    forged = AuditEntry.objects.get(pk=entry.pk)
    AuditEntry.objects.filter(pk=entry.pk).update(entry_hash=chain.hash_of(forged))
    problems = [str(p) for p in chain.verify()]
    day = timezone.localdate(entry.occurred_at).isoformat()
    assert any(day in p and "当日条目与封存时不符" in p for p in problems)


def test_a_removed_or_back_dated_entry_breaks_its_day(tree):
    removed, _kept = _entries(2)
    chain.seal_days()
    AuditEntry.objects.filter(pk=removed.pk).update(occurred_at=timezone.now())  # moved out
    assert any("封存 2 条，现有 1 条" in str(p) for p in chain.verify())
    AuditEntry.objects.filter(pk=removed.pk).update(occurred_at=removed.occurred_at)
    assert chain.verify() == []
    [slipped] = _entries(0, count=1)  # written today, then dated into the sealed day
    slipped.occurred_at = removed.occurred_at
    AuditEntry.objects.filter(pk=slipped.pk).update(
        occurred_at=slipped.occurred_at, entry_hash=chain.hash_of(slipped)
    )
    assert [str(p) for p in chain.verify()] == [
        f"审计日摘要 {timezone.localdate(removed.occurred_at).isoformat()}："
        "当日条目与封存时不符（封存 2 条，现有 3 条）"
    ]


def test_a_day_purged_after_the_retention_period_is_not_a_break(tree):
    _entries(200)
    _entries(1)
    chain.seal_days()
    old = timezone.now() - timedelta(days=190)
    AuditEntry.objects.filter(occurred_at__lt=old).delete()
    assert chain.verify() == []


def test_a_rewritten_seal_is_named(tree):
    _entries(2)
    chain.seal_days()
    AuditDigest.objects.filter(entry_count=2).update(entry_count=1)
    assert any("摘要本身被改动" in str(p) for p in chain.verify())
