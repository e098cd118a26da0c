"""Middleware that sets the request context for audit rows and logs (request id, client address)
and resets it afterwards; the deny-by-default login rule."""

import ipaddress
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from fengqiao.core.context import RequestContext, current_request


def _request_id(request: HttpRequest) -> uuid.UUID:
    """nginx's $request_id (sent as X-Request-ID) ties its access log to ours; else a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    try:
        return uuid.UUID(given) if given else uuid.uuid4()
    except ValueError:
        return uuid.uuid4()


def client_address(request: HttpRequest) -> str | None:
    """The person's address for the audit log. Behind the reverse proxy
    (FENGQIAO_BEHIND_PROXY) REMOTE_ADDR is the proxy itself: take the X-Real-IP it sets."""
    if getattr(settings, "FENGQIAO_BEHIND_PROXY", False):
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real:
            try:
                return str(ipaddress.ip_address(real))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(
            request_id=_request_id(request), ip_address=client_address(request)
        )
        token = current_request.set(context)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = str(context.request_id)
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Deny by default (Django 5.1), except under the API, which answers 401 in its own error
    shape instead of redirecting a machine client to a login page."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
