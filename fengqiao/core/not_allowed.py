"""A page for a method the address does not take. Django answers 405 with an empty body, so a
person who opens a form's address (a bookmark, a link copied from the bar, the back button after
a POST) saw the browser's own English error page; they now see why, in Chinese, and the way back.
The API and Open311 keep their bare answers: their clients read the status and the Allow header."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

MACHINE_PREFIXES = ("/api/", "/open311/")


class NotAllowedPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.content
            or request.path_info.startswith(MACHINE_PREFIXES)
        ):
            return response
        response.content = render_to_string("405.html", request=request)
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
