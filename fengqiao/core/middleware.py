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


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in _trusted_proxies())


def _trusted_proxies() -> list[str]:
    return list(getattr(settings, "FENGQIAO_TRUSTED_PROXIES", []))


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The person's address, for the audit log and every per-address limit.

    The forwarding header (FENGQIAO_CLIENT_IP_HEADER: X-Real-IP, or X-Forwarded-For read from
    the right past the trusted hops) is believed only when the request itself came from a
    proxy listed in FENGQIAO_TRUSTED_PROXIES; anyone else could write any address into it.
    Behind nginx REMOTE_ADDR is nginx: without this every citizen counted as 127.0.0.1 and the
    portal shut for all after a few code requests (issue #17)."""
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not _is_trusted_proxy(remote):
        return remote
    header = str(getattr(settings, "FENGQIAO_CLIENT_IP_HEADER", "X-Real-IP"))
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    hops = [hop.strip() for hop in raw.split(",") if hop.strip()]
    for hop in reversed(hops):  # the rightmost hops were added by our own proxies
        address = _valid_ip(hop)
        if address is None:
            break
        if not _is_trusted_proxy(address):
            return address
    return remote


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
