"""Browser-side defences on every HTML page: a Content-Security-Policy that allows only this
server's own scripts (no inline script anywhere in the templates), and a Permissions-Policy that
lets the grid report use the location and the camera and nothing else use anything.

Inline styles stay allowed (htmx and a few templates set them); they cannot run code. The API's
Swagger page (ninja's template initialises it inline) is left without a CSP.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()"
EXEMPT = ("/api/v1/docs",)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(EXEMPT):
            return response
        if response.get("Content-Type", "").startswith("text/html"):
            header = (
                "Content-Security-Policy-Report-Only"
                if getattr(settings, "FENGQIAO_CSP_REPORT_ONLY", False)
                else "Content-Security-Policy"
            )
            response.setdefault(header, CSP)
        response.setdefault("Permissions-Policy", PERMISSIONS)
        return response
