"""Sign-in protection: a lock after repeated failures, and an idle-session timeout (MLPS level 3:
登录失败处理、登录连接超时自动退出)."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from fengqiao.accounts.models import LoginThrottle, User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock


def throttle_key(username: str) -> str:
    """How a username is counted for the lock (case and spaces do not make a new one)."""
    return username.strip().lower()[:150]


def login_locked_until(*, username: str) -> datetime | None:
    """When the lock on ``username`` ends, or None if it may try now."""
    until = (
        LoginThrottle.objects.filter(username=throttle_key(username))
        .values_list("locked_until", flat=True)
        .first()
    )
    return until if until is not None and until > clock.now() else None


@transaction.atomic
def login_failed(*, username: str) -> datetime | None:
    """Count one failure; lock after FENGQIAO_LOGIN_MAX_FAILURES. Returns the lock's end, if any."""
    throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(
        username=throttle_key(username)
    )
    now = clock.now()
    if throttle.locked_until is not None and throttle.locked_until <= now:
        throttle.failures = 0  # an expired lock starts a fresh count
    throttle.failures += 1
    throttle.last_failure_at = now
    locked = throttle.failures >= settings.FENGQIAO_LOGIN_MAX_FAILURES
    if locked:
        throttle.locked_until = now + timedelta(minutes=settings.FENGQIAO_LOGIN_LOCK_MINUTES)
    throttle.save(update_fields=["failures", "last_failure_at", "locked_until"])
    actor = User.objects.filter(username=username).first()
    record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        target=throttle,
        extra={
            "username": username[:150],
            "failures": throttle.failures,
            "user_exists": actor is not None,
        },
    )
    if locked:
        record(
            actor=None,
            action=AuditAction.LOGIN_LOCKED,
            target=throttle,
            extra={"username": username[:150], "until": throttle.locked_until},
        )
        return throttle.locked_until
    return None


@transaction.atomic
def login_succeeded(*, user: User) -> None:
    LoginThrottle.objects.filter(username=throttle_key(user.get_username())).delete()
    record(actor=user, action=AuditAction.LOGIN_SUCCEEDED, target=user)


class IdleTimeoutMiddleware:
    """Sign a person out after FENGQIAO_IDLE_MINUTES without a request."""

    SESSION_KEY = "fengqiao_last_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(clock.now().timestamp())
            last_seen = request.session.get(self.SESSION_KEY)
            if last_seen is not None and now - int(last_seen) > settings.FENGQIAO_IDLE_MINUTES * 60:
                logout(request)
                if not request.path_info.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
            elif last_seen is None or now - int(last_seen) >= 60:  # one session write a minute
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)
