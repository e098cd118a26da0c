"""Request rate limits where the system faces people it does not know: the citizen portal, the
sign-in form, and the API (channels and staff tokens). A fixed one-minute window counted in the
cache, per client address (per credential on the API, so one busy 12345 feed does not starve
another channel).

Each scope counts in the cache ``FENGQIAO_RATE_LIMIT_CACHES`` names for it ("default" when it
names none). A cache shared by every web process (prod: the database) makes one count of them,
at the price of a database write per counted request; that is kept for the sign-in form and the
portal (POSTs only, the brute-force targets). In production the API and Open311, counted on every
request, are limited by nginx per credential across all workers (``deploy/nginx``, issue #15) and
count here in each worker's own memory, a backstop that writes nothing. Over the limit: 429 with
Retry-After and a message in Chinese.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext

from fengqiao.core.middleware import client_address

WINDOW_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Scope:
    name: str
    prefix: str
    methods: frozenset[str]  # empty: every method
    default_per_minute: int


SCOPES = (
    Scope("login", "/accounts/login/", frozenset({"POST"}), 30),
    Scope("portal", "/portal/", frozenset({"POST"}), 30),
    Scope("api", "/api/", frozenset(), 600),
    # GeoReport clients: api_key is a parameter, not a header, so counted per address
    Scope("open311", "/open311/", frozenset(), 600),
)
MACHINE_SCOPES = frozenset({"api", "open311"})  # answered in JSON, counted per credential


def limit_for(scope: Scope) -> int:
    limits: dict[str, int] = getattr(settings, "FENGQIAO_RATE_LIMITS", {})
    return int(limits.get(scope.name, scope.default_per_minute))


def store_for(scope: Scope) -> BaseCache:
    """The cache ``scope`` counts in (settings: ``FENGQIAO_RATE_LIMIT_CACHES``)."""
    aliases: dict[str, str] = getattr(settings, "FENGQIAO_RATE_LIMIT_CACHES", {})
    return caches[aliases.get(scope.name, "default")]


def _who(request: HttpRequest, scope: Scope) -> str:
    credential = request.META.get("HTTP_AUTHORIZATION", "")
    if scope.name in MACHINE_SCOPES and credential:
        return "token:" + hashlib.sha256(credential.encode()).hexdigest()[:32]
    return "ip:" + (client_address(request) or "unknown")


def hit(scope: Scope, who: str, now: float | None = None) -> int:
    """Count one request in the current window; return how many seconds until it ends if the
    limit is passed, else 0."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"rl:{scope.name}:{who}:{window}"
    cache = store_for(scope)
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
    if count > limit_for(scope):
        return max(1, int((window + 1) * WINDOW_SECONDS - now))
    return 0


def _too_many(request: HttpRequest, scope: Scope, retry_after: int) -> HttpResponse:
    message = gettext("Too many requests. Please try again in {seconds} seconds.").format(
        seconds=retry_after
    )
    if scope.name in MACHINE_SCOPES:
        response: HttpResponse = JsonResponse(
            {"code": "rate_limited", "message": message, "errors": {}, "reasons": []},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><p>{escape(message)}</p>'
            "</html>",
            status=429,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        for scope in SCOPES:
            if path.startswith(scope.prefix) and (
                not scope.methods or request.method in scope.methods
            ):
                retry_after = hit(scope, _who(request, scope))
                if retry_after:
                    return _too_many(request, scope, retry_after)
                break
        return self.get_response(request)
