"""/healthz: 200 with the database up, 503 when it fails, the worker's lag reported; public and
without any case data."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["queue_lag_seconds"] is None


def test_a_stalled_worker_shows_as_degraded(client):
    from django_tasks_db.models import DBTaskResult

    from fengqiao.cases.tasks import mark_overdue_cases

    DBTaskResult.objects.create(
        task_path=mark_overdue_cases.module_path,
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - timedelta(hours=1),
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["queue_lag_seconds"] >= 3500


def test_a_database_failure_is_503(client):
    with mock.patch("fengqiao.core.health._queue_lag", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "unavailable"}
