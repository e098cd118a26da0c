"""The periodic scheduler: each task is enqueued once per interval, however often (and by however
many schedulers) it is asked."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import task

from fengqiao.core.models import PeriodicRun
from fengqiao.core.scheduler import enqueue_due

CALLS: list[str] = []
PATH = "fengqiao.core.tests.test_scheduler.ping"


@task()
def ping() -> None:
    CALLS.append("ping")


@pytest.fixture(autouse=True)
def only_ping(settings):
    settings.FENGQIAO_PERIODIC_TASKS = [(PATH, 300)]
    CALLS.clear()


@pytest.mark.django_db
def test_enqueues_once_per_interval_even_when_called_twice():
    now = timezone.now()
    assert enqueue_due(now) == [PATH]
    assert enqueue_due(now) == []
    assert enqueue_due(now + timedelta(seconds=299)) == []
    assert CALLS == ["ping"]  # the immediate backend of the test settings ran it on enqueue
    assert enqueue_due(now + timedelta(seconds=300)) == [PATH]
    assert CALLS == ["ping", "ping"]
    run = PeriodicRun.objects.get(name=PATH)
    assert run.last_enqueued_at == now + timedelta(seconds=300)


@pytest.mark.django_db
def test_command_once(capsys):
    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")
    assert capsys.readouterr().out.count(f"入队 {PATH}") == 1
    assert CALLS == ["ping"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across threads")
def test_two_schedulers_at_the_same_moment_enqueue_once():
    now = timezone.now()
    for round_ in range(5):
        moment = now + timedelta(seconds=300 * round_)
        barrier = threading.Barrier(2)
        results: list[object] = [None, None]

        def run(index: int, moment=moment, barrier=barrier, results=results) -> None:
            try:
                barrier.wait()
                results[index] = enqueue_due(moment)
            except Exception as exc:
                results[index] = exc
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(map(str, results)) == sorted([str([PATH]), "[]"]), results
    assert CALLS == ["ping"] * 5
