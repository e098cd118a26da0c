"""Text with a NUL character (U+0000) is refused at the door: PostgreSQL cannot store it, and no
Chinese form or channel has a reason to send one. Found by fuzzing the API (schemathesis);
Django's form fields already refuse it, but the API, query strings and the few views that read
``request.POST`` directly did not. The answer is 422 (API) or 400, in Chinese; nothing runs."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext

JSON_NUL = b"\\u0000"


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.META.get("QUERY_STRING", "") or any(
        "\x00" in value for values in request.GET.lists() for value in values[1]
    ):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("application/json"):
        return JSON_NUL in request.body or b"\x00" in request.body
    if request.method == "POST" and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    return False


class NulGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = gettext("The request contains a null character, which is not allowed.")
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"code": "invalid_input", "message": message, "errors": {}, "reasons": []},
                    status=422,
                    json_dumps_params={"ensure_ascii": False},
                )
            return HttpResponse(
                f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><p>{escape(message)}'
                "</p></html>",
                status=400,
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)
