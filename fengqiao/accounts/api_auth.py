"""Bearer-token authentication for the API; sets ``request.user`` so services get a real actor."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from fengqiao.accounts.models import ApiToken, token_digest
from fengqiao.core import clock, refcache

LAST_USED_GRANULARITY = timedelta(minutes=5)  # avoid a write on every request


class ApiTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .annotate(ref_version=refcache.version_subquery())  # core.refcache: no query of its own
            .filter(digest=token_digest(token), is_active=True, user__is_active=True)
            .first()
        )
        if row is not None:
            refcache.note_version(row.ref_version)
        now = clock.now()
        if row is None or (row.expires_at is not None and row.expires_at <= now):
            return None
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user
