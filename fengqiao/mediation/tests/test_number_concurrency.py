"""Six committees' clerks taking file numbers at the same moment, each in its own connection: no
number is given twice (issue #14 item 2). Needs real row locks across connections: PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from fengqiao.cases.models import Case
from fengqiao.mediation import numbers
from fengqiao.mediation.models import FileNumber, NumberCounter

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks across threads need PostgreSQL"
    ),
]


def _race(calls):
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


def test_concurrent_issues_never_share_a_number(register_case, township_committee):
    on = timezone.localdate()
    cases = [register_case() for _ in range(7)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(handling_org=township_committee)
    for case in cases:
        case.refresh_from_db()
    numbers.file_number_issue(case=cases[0], on=on)  # the counter row exists; race on its lock
    results = _race(
        [lambda case=case: numbers.file_number_issue(case=case, on=on) for case in cases[1:]]
    )
    issued = [r for r in results if isinstance(r, FileNumber)]
    assert len(issued) == 6, results
    assert sorted(n.sequence for n in issued) == [2, 3, 4, 5, 6, 7]
    assert len({n.text for n in FileNumber.objects.all()}) == 7
    assert NumberCounter.objects.get(org=township_committee).last_value == 7


def test_concurrent_first_issues_create_one_counter(register_case, township_committee):
    on = timezone.localdate()
    cases = [register_case() for _ in range(4)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(handling_org=township_committee)
    for case in cases:
        case.refresh_from_db()
    results = _race(
        [lambda case=case: numbers.file_number_issue(case=case, on=on) for case in cases]
    )
    assert all(isinstance(r, FileNumber) for r in results), results
    assert sorted(r.sequence for r in results) == [1, 2, 3, 4]  # type: ignore[union-attr]
