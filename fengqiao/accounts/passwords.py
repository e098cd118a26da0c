"""Password policy beyond Django's validators (MLPS level 3: 口令复杂度、定期更换): at least three
of the four kinds of character, and a password that expires after a set number of days; the
person is sent to change it before anything else."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

from fengqiao.core import clock

KINDS: tuple[Callable[[str], bool], ...] = (
    str.isupper,
    str.islower,
    str.isdigit,
    lambda c: not c.isalnum(),
)


class CharacterKindsValidator:
    """口令应由大写字母、小写字母、数字、特殊字符中的至少三类组成."""

    def __init__(self, min_kinds: int = 3) -> None:
        self.min_kinds = min_kinds

    def validate(self, password: str, user: Any = None) -> None:
        kinds = sum(any(test(c) for c in password) for test in KINDS)
        if kinds < self.min_kinds:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return gettext(
            "Use at least {n} of: capital letters, small letters, digits, other characters."
        ).format(n=self.min_kinds)


def max_age_days() -> int:
    return int(getattr(settings, "FENGQIAO_PASSWORD_MAX_AGE_DAYS", 90))


def password_expired(user: Any) -> bool:
    if getattr(user, "must_change_password", False) and user.has_usable_password():
        return True
    days = max_age_days()
    if days <= 0 or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return bool(changed < clock.now() - timedelta(days=days))


ALLOWED_WHILE_EXPIRED = ("/accounts/password/", "/accounts/logout/", "/static/", "/api/")


class PasswordExpiryMiddleware:
    """An expired password is changed before any page opens (the API's tokens are not passwords
    and are left alone)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(ALLOWED_WHILE_EXPIRED)
            and password_expired(user)
        ):
            return redirect("password_change")
        return self.get_response(request)
