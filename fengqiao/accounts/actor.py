"""The signed-in user of a request, typed.

Every view and API endpoint runs behind ``LoginRequiredMiddleware`` or an API auth class, so
``request.user`` is always a real ``User`` there; this one helper says so once instead of in
each app.
"""

from __future__ import annotations

from django.http import HttpRequest

from fengqiao.accounts.models import User


def request_actor(request: HttpRequest) -> User:
    """The acting user; a request without one is a wiring error, not a user error."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  the middleware and auth classes guarantee it
    return user
