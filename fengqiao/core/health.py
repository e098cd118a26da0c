"""/healthz for the load balancer and monitoring: 200 while the database answers, 503 when it
does not; the background queue's lag (the oldest job waiting to run) is reported so a stalled
worker shows. Reveals nothing about cases or people, needs no sign-in."""

import time

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fengqiao.core import clock

WORKER_LAG_WARN_SECONDS = 600


def _queue_lag() -> float | None:
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    return None if oldest is None else max(0.0, (clock.now() - oldest).total_seconds())


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    began = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        lag = _queue_lag()
    except DatabaseError:
        return JsonResponse({"status": "fail", "database": "unavailable"}, status=503)
    body = {
        "status": "ok" if lag is None or lag < WORKER_LAG_WARN_SECONDS else "degraded",
        "database": "ok",
        "database_ms": round(1000 * (time.perf_counter() - began), 1),
        "queue_lag_seconds": None if lag is None else round(lag),
    }
    return JsonResponse(body)
