"""The NinjaAPI factory: Chinese kept unescaped, one error shape for every failure."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_noop
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from fengqiao.core.exceptions import ApplicationError, InvalidInput, TransitionBlocked


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON without \\u escapes: smaller, and readable in logs and by people."""

    json_dumps_params = {"ensure_ascii": False}


class ErrorOut(Schema):
    """Every error the API returns: 401, 403, 404, 409 and 422 alike."""

    code: str
    message: str
    errors: dict[str, list[str]] = {}
    reasons: list[str] = []


ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}

_PYDANTIC_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "extra_forbidden": gettext_noop("This field is not allowed."),
    "string_too_long": gettext_noop("The text is too long."),
    "greater_than_equal": gettext_noop("The value is too small."),
    "less_than_equal": gettext_noop("The value is too large."),
}
_FORMAT_MESSAGE = gettext_noop("Enter a value of the right format.")


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Pydantic's error list → {"field.path": [message]} with messages in the user's language."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        name = (
            ".".join(location[1:] if location and location[0] in ("query",) else location)
            or "__all__"
        )
        message = _PYDANTIC_MESSAGES.get(
            str(error.get("type")), "Enter a value of the right format."
        )
        fields.setdefault(name, []).append(gettext(message))
    return fields


def error_body(
    code: str,
    message: str,
    *,
    errors: dict[str, list[str]] | None = None,
    reasons: list[str] | None = None,
) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or {}, "reasons": reasons or []}


def build_api(*, auth: list[Any]) -> NinjaAPI:
    """The API with its renderer, error handlers and ``auth``; routers: ``fengqiao.api``."""
    api = NinjaAPI(
        auth=auth,
        title="枫桥 矛盾纠纷多元化解平台 API",
        version="1",
        description="案件登记、查询与流转。所有错误均为统一结构 ErrorOut。",
        urls_namespace="api",
        docs_url="/docs",
        openapi_url="/openapi.json",
        renderer=ChineseJSONRenderer(),
    )

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        errors = exc.errors if isinstance(exc, InvalidInput) else {}
        reasons = exc.reasons if isinstance(exc, TransitionBlocked) else []
        body = error_body(exc.code, exc.message, errors=errors, reasons=reasons)
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        body = error_body(
            InvalidInput.code,
            gettext("Please correct the errors below."),
            errors=_field_errors(exc.errors),
        )
        return api.create_response(request, body, status=422)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, error_body("not_found", gettext("Not found.")), status=404
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = error_body("unauthenticated", gettext("Sign in or send a valid API token."))
        return api.create_response(request, body, status=401)

    return api
