"""Rate limits: over the minute's allowance a client gets 429 with Retry-After and a Chinese
message, nothing behind the limit runs, other clients and other credentials are unaffected."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from fengqiao.accounts.models import LoginThrottle
from fengqiao.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_limits(settings):
    cache.clear()
    settings.FENGQIAO_RATE_LIMITS = {"login": 3, "portal": 2, "api": 4}
    yield
    cache.clear()


def test_sign_in_attempts_from_one_address_are_limited(client, township_clerk):
    for _ in range(3):
        client.post(
            reverse("login"), {"username": "clerk", "password": "x"}, REMOTE_ADDR="10.0.0.1"
        )
    limited = client.post(
        reverse("login"), {"username": "clerk", "password": "x"}, REMOTE_ADDR="10.0.0.1"
    )
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "请求过于频繁" in limited.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 3  # not 4
    assert LoginThrottle.objects.get(username="clerk").failures == 3
    other = client.post(
        reverse("login"), {"username": "clerk", "password": "x"}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 200
    assert client.get(reverse("login"), REMOTE_ADDR="10.0.0.1").status_code == 200  # reading


def test_the_api_is_limited_per_credential(client):
    for _ in range(4):
        assert client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer a").status_code == 401
    limited = client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer a")
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert "秒后再试" in limited.json()["message"]
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer b").status_code == 401


def test_the_window_ends(settings):
    from fengqiao.core.ratelimit import SCOPES, hit

    portal = next(s for s in SCOPES if s.name == "portal")
    start = 1_800_000_000.0  # the start of a minute
    assert hit(portal, "ip:x", now=start) == 0
    assert hit(portal, "ip:x", now=start + 1) == 0
    assert hit(portal, "ip:x", now=start + 2) == 58
    assert hit(portal, "ip:x", now=start + 60) == 0
