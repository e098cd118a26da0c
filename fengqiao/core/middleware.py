"""Middleware that sets the request context for audit rows and resets it afterwards."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fengqiao.core.context import RequestContext, current_request


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(
            request_id=uuid.uuid4(), ip_address=request.META.get("REMOTE_ADDR")
        )
        token = current_request.set(context)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = str(context.request_id)
        return response
