"""The read replica, against a real streaming replica (``.ci/run`` makes one with
``pg_basebackup -R`` on another port and names it in FENGQIAO_TEST_REPLICA_PORT): a dashboard read
goes to the replica, identity and a transition stay on the primary, and a case registered on the
primary shows in the replica's figures once the replica has replayed it."""

import os
import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fengqiao.cases.models import Case
from fengqiao.cases.services import case_transition
from fengqiao.core.replica import replica_reads

REPLICA_PORT = os.environ.get("FENGQIAO_TEST_REPLICA_PORT", "")

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not REPLICA_PORT,
        reason="needs PostgreSQL and a streaming replica (FENGQIAO_TEST_REPLICA_PORT)",
    ),
]


STANDBY = "standby_under_test"


@pytest.fixture
def replica(settings):
    """The test database as the standby sees it: same name, the standby's port. The connection is
    made here rather than listed in DATABASES, so the test runner neither creates nor flushes a
    database on the (read-only) standby."""
    config = {**connections["default"].settings_dict, "PORT": REPLICA_PORT}
    standby = DatabaseWrapper(config, STANDBY)
    setattr(connections._connections, STANDBY, standby)
    settings.FENGQIAO_READ_REPLICA = STANDBY
    try:
        yield standby
    finally:
        standby.close()
        delattr(connections._connections, STANDBY)


def _replayed(replica_connection, timeout: float = 15.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with replica_connection.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    pytest.fail(f"the replica did not replay {target} within {timeout} s")


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_the_replica_is_a_real_standby(replica):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        in_recovery, port = cursor.fetchone()
    assert in_recovery is True
    assert port == REPLICA_PORT


def test_dashboard_reads_figures_on_the_replica_and_identity_on_the_primary(
    replica, client, tree, township_clerk, register_case
):
    register_case()
    _replayed(replica)
    client.force_login(township_clerk)
    url = reverse("kpi:index") + f"?region={tree.township.code}&year={timezone.localdate().year}"
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as standby,
    ):
        page = client.get(url)
    assert page.status_code == 200
    assert '"cases_case"' in _tables(standby.captured_queries)
    assert '"accounts_user"' in _tables(primary.captured_queries)
    assert '"accounts_user"' not in _tables(standby.captured_queries)
    assert '"cases_case"' not in _tables(primary.captured_queries)


def test_a_transition_stays_on_the_primary_even_inside_a_replica_read(
    replica, tree, township_clerk, register_case
):
    case = register_case()
    with replica_reads(), CaptureQueriesContext(replica) as standby:
        case_transition(actor=township_clerk, case_id=case.pk, name="accept")
    assert standby.captured_queries == []
    assert Case.objects.get(pk=case.pk).status != case.status


def test_a_case_registered_on_the_primary_reaches_the_replicas_figures(
    replica, tree, register_case
):
    _replayed(replica)
    with replica_reads(), CaptureQueriesContext(replica) as standby:
        before = Case.objects.count()
    assert standby.captured_queries  # it was the replica that answered
    register_case()
    _replayed(replica)
    with replica_reads(), CaptureQueriesContext(replica) as standby:
        after = Case.objects.count()
    assert standby.captured_queries
    assert after == before + 1
