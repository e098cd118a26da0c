"""The timeline is the ledger: the database refuses rewrites, and tampering behind the
application's back is found by verify_ledger."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from fengqiao.cases import ledger
from fengqiao.cases.models import CaseEvent
from fengqiao.cases.services import ActionInput, case_transition

pytestmark = pytest.mark.django_db


def _behind_the_back(sql: str, params: list[object]) -> None:
    """What a DBA with DDL rights could do: switch the guard triggers off, then rewrite rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER cases_caseevent_no_update")
            cursor.execute("DROP TRIGGER cases_caseevent_no_delete")
        else:
            # A superuser session that skips ordinary triggers, as replication does.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.fixture
def three_cases(register_case, township_clerk):
    cases = [register_case(title=f"纠纷{i}") for i in range(3)]
    for case in cases:
        case_transition(actor=township_clerk, case_id=case.pk, name="accept")
    return cases


def test_update_of_an_event_is_refused_by_the_database(three_cases):
    event = CaseEvent.objects.filter(case=three_cases[0]).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(data={"note": "改过"})
    event.refresh_from_db()
    assert event.data.get("note") != "改过"


def test_delete_of_an_event_is_refused_by_the_database(three_cases):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent WHERE case_id = %s", [three_cases[0].pk])
    assert CaseEvent.objects.filter(case=three_cases[0]).count() == 2


def test_intact_chains_verify_and_the_command_exits_zero(three_cases, capsys):
    assert list(ledger.verify()) == []
    call_command("verify_ledger")
    assert "3 个案件" in capsys.readouterr().out


def test_an_altered_event_is_found_and_named(three_cases, capsys):
    victim = three_cases[1]
    event = CaseEvent.objects.get(case=victim, seq=2)
    forged = {**event.data, "note": "篡改后的记录"}
    _behind_the_back(
        "UPDATE cases_caseevent SET data = %s WHERE id = %s", [json.dumps(forged), event.pk]
    )

    broken = list(ledger.verify())
    assert [(b.number, b.seq) for b in broken] == [(victim.number, 2)]
    with pytest.raises(CommandError):
        call_command("verify_ledger")
    err = capsys.readouterr().err
    assert victim.number in err
    assert "内容与其哈希值不符（事件被改动）" in err  # issue #21: the detail was English
    assert three_cases[0].number not in err
    assert three_cases[2].number not in err


def test_a_deleted_last_event_is_found(three_cases):
    victim = three_cases[2]
    _behind_the_back("DELETE FROM cases_caseevent WHERE case_id = %s AND seq = 2", [victim.pk])
    assert [b.number for b in ledger.verify()] == [victim.number]


def test_a_deleted_middle_event_is_found(register_case, township_clerk):
    case = register_case()
    case_transition(actor=township_clerk, case_id=case.pk, name="accept")
    case_transition(
        actor=township_clerk, case_id=case.pk, name="withdraw", action=ActionInput(note="撤回")
    )
    _behind_the_back("DELETE FROM cases_caseevent WHERE case_id = %s AND seq = 2", [case.pk])
    broken = list(ledger.verify())
    assert [(b.number, b.seq) for b in broken] == [(case.number, 3)]


def test_each_event_carries_the_previous_hash(three_cases):
    events = list(CaseEvent.objects.filter(case=three_cases[0]).order_by("seq"))
    assert events[0].prev_hash == ledger.GENESIS
    assert events[1].prev_hash == events[0].hash
    three_cases[0].refresh_from_db()
    assert three_cases[0].ledger_head == events[-1].hash
