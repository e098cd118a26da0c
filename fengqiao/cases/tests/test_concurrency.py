"""Two people acting on one case at the same moment: one wins, the other is told it is too late
(409), and the chain still verifies. Needs real row locks across connections: PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client

from fengqiao.accounts.services import api_token_create, system_actor
from fengqiao.cases import ledger
from fengqiao.cases.choices import CaseStatus, EventKind
from fengqiao.cases.models import Case, CaseCounter, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import TransitionBlocked

# registration and the one winning action (other apps may add their own events, e.g. risk flags)
LIFECYCLE = [EventKind.REGISTERED, EventKind.TRANSITIONED]

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks across threads need PostgreSQL"
    ),
]


def _race(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_conflicting_actions_one_wins_the_other_gets_409(register_case, township_clerk):
    case = register_case()
    for _round in range(5):  # several rounds, so the race really happens in both orders
        results = _race(
            lambda case=case: case_transition(actor=township_clerk, case_id=case.pk, name="accept"),
            lambda case=case: case_transition(
                actor=township_clerk,
                case_id=case.pk,
                name="decline",
                action=ActionInput(note="不属于受理范围"),
            ),
        )
        winners = [r for r in results if isinstance(r, Case)]
        losers = [r for r in results if isinstance(r, TransitionBlocked)]
        assert len(winners) == 1, results
        assert len(losers) == 1, results
        assert losers[0].status_code == 409
        case.refresh_from_db()
        assert case.status == winners[0].status
        assert CaseEvent.objects.filter(case=case, kind__in=LIFECYCLE).count() == 2
        assert list(ledger.verify([case.pk])) == []
        # put the case back for the next round, through a raw reset of this test's own row
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.REGISTERED, outcome="")
        case = register_case()


def test_concurrent_registrations_never_share_a_number(register_case, tree):
    register_case()  # the year's counter row exists; the race is on its lock
    results = _race(*[register_case for _ in range(6)])
    numbers = [r.number for r in results if isinstance(r, Case)]
    assert len(numbers) == 6, [getattr(r, "errors", r) for r in results]
    assert len(set(numbers)) == 6
    assert CaseCounter.objects.get(org=tree.township_centre).last_value == 7


def test_conflicting_api_calls_one_200_one_409(register_case, township_clerk):
    """The same race through HTTP: what two browsers or two integrations would see."""
    token = api_token_create(actor=system_actor(), user=township_clerk)
    case = register_case()
    url = f"/api/v1/cases/{case.pk}/actions"

    def post(action: str, body: str):
        return Client().post(
            f"{url}/{action}",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    responses = _race(
        lambda: post("accept", "{}"), lambda: post("decline", '{"note": "不属于受理范围"}')
    )
    assert sorted(r.status_code for r in responses) == [200, 409], responses
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["code"] == "transition_blocked"
    assert loser.json()["reasons"]
    assert CaseEvent.objects.filter(case=case, kind__in=LIFECYCLE).count() == 2
    assert list(ledger.verify([case.pk])) == []
