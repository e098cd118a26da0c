"""Daily digests: each finished day is sealed once, chained to the day before; verify_ledger
catches an event slipped into a sealed day and an altered digest row."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from fengqiao.cases import ledger
from fengqiao.cases.choices import EventKind
from fengqiao.cases.ledger import GENESIS, seal
from fengqiao.cases.models import CaseEvent, LedgerDigest
from fengqiao.core import clock

pytestmark = pytest.mark.django_db


def registered_days_ago(register_case, days: int):
    """A case registered ``days`` ago, its events sealed at that time (the chain stays intact):
    replayed through the one clock (patching ``services.timezone`` stopped working when the
    services moved to ``core.clock``)."""
    with clock.replay(timezone.now() - timedelta(days=days)):
        return register_case()


def test_days_are_sealed_once_and_chained(register_case):
    registered_days_ago(register_case, 3)
    assert ledger.seal_days() == 3  # three days ago, two days ago (empty), yesterday (empty)
    assert ledger.seal_days() == 0
    days = list(LedgerDigest.objects.order_by("day"))
    assert days[0].case_count == 1
    assert days[0].prev_digest == GENESIS
    assert [d.prev_digest for d in days[1:]] == [d.digest for d in days[:-1]]
    assert ledger.verify_digests() == []
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "3 个每日摘要一致" in out.getvalue()


def test_an_event_slipped_into_a_sealed_day_is_caught(register_case, township_clerk):
    case = registered_days_ago(register_case, 2)
    ledger.seal_days()
    sealed_day = LedgerDigest.objects.order_by("day").first().day
    forged = CaseEvent(
        case=case,
        seq=case.event_count + 1,
        kind=EventKind.NOTE_ADDED,
        actor=township_clerk,
        actor_name="x",
        org=case.handling_org,
        occurred_at=timezone.now() - timedelta(days=2),
        data={},
        prev_hash=case.ledger_head,
    )
    forged.hash = seal(forged)
    forged.save(force_insert=True)
    problems = ledger.verify_digests()
    assert problems == [f"{sealed_day}：当日事件与已封存的摘要不符"]
    with pytest.raises(CommandError):
        call_command("verify_ledger", stdout=StringIO(), stderr=StringIO())


def test_digest_rows_cannot_be_rewritten(register_case):
    registered_days_ago(register_case, 1)
    ledger.seal_days()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017  the database refuses
        LedgerDigest.objects.update(digest="0" * 64)
    with pytest.raises((IntegrityError, Exception)), transaction.atomic():
        LedgerDigest.objects.all().delete()
    assert ledger.verify_digests() == []
