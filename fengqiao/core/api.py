"""The NinjaAPI factory: Chinese kept unescaped, one error shape for every failure.

Generic on purpose (core imports no domain app): the bearer-token class lives in
``accounts.api_auth`` and ``fengqiao.api`` passes it in and mounts the routers.
"""

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import SessionAuth as NinjaSessionAuth

from fengqiao.core.exceptions import ApplicationError, InvalidInput, TransitionBlocked


class BeijingTimeEncoder(NinjaJSONEncoder):
    """Ninja's encoder, writing every aware timestamp in the local time zone with its offset
    (``2026-12-03T14:05:00+08:00``) instead of UTC's ``Z``, which readers took for local time
    (issue #20)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON without \\u escapes: smaller, and readable in logs and by people.

    Ninja's encoder (a ``DjangoJSONEncoder``) already writes dates, datetimes, ``Decimal`` and
    ``UUID`` values as strings; timestamps carry +08:00 (``BeijingTimeEncoder``).
    """

    encoder_class = BeijingTimeEncoder
    json_dumps_params = {"ensure_ascii": False}


TOO_MANY_REQUESTS: dict[str, Any] = {
    "description": (
        "请求过于频繁（按令牌每分钟计数，FENGQIAO_RATE_LIMITS）：等待 Retry-After 秒后重试"
    ),
    "headers": {
        "Retry-After": {
            "description": "距本计数窗口结束的秒数",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    "content": {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorOut"},
            "example": {
                "code": "rate_limited",
                "message": "请求过于频繁，请 42 秒后再试。",
                "errors": {},
                "reasons": [],
            },
        }
    },
}


def _openapi_json(request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
    """Ninja's schema view, through the API's renderer so the Chinese is not escaped."""
    return api.create_response(request, api.get_openapi_schema(path_params=kwargs), status=200)


class FengqiaoAPI(NinjaAPI):
    """NinjaAPI whose openapi.json is rendered like every other answer, and documents the 429
    that the rate-limit middleware answers before any operation runs."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("429", TOO_MANY_REQUESTS)
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        if not self.openapi_url:
            return urls
        view: Any = partial(_openapi_json, api=self)
        if self.docs_decorator:
            view = self.docs_decorator(view)
        schema = path(self.openapi_url.lstrip("/"), view, name="openapi-json")
        return [schema if getattr(url, "name", None) == "openapi-json" else url for url in urls]


class SessionAuth(NinjaSessionAuth):
    """The browser session, with Django's CSRF check (ninja's ``django_auth``).

    Ninja checks CSRF before it looks at the session, so a request with no session at all (an
    integration with a wrong token) would get a CSRF 403; here it falls through to 401.
    """

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


class ErrorOut(Schema):
    """Every error the API returns (400, 401, 403, 404, 409, 422) has this one shape."""

    code: str = Field(description="稳定的错误代码，如 invalid_input、not_found、transition_blocked")
    message: str = Field(description="面向用户的中文说明")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="字段路径 → 错误信息（422），如 parties.0.id_number"
    )
    reasons: list[str] = Field(default_factory=list, description="操作被阻止的原因（409）")


ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
"""Spread into every operation's ``response=`` so the schema documents every error code."""

REQUEST_INVALID = gettext_noop("The request has errors.")  # 请求参数有误
REQUIRED = gettext_noop("This field is required.")
BAD_FORMAT = gettext_noop("Enter a value of the right format.")
_PYDANTIC_MESSAGES = {
    "missing": REQUIRED,
    "extra_forbidden": gettext_noop("This field is not allowed."),
    "string_too_long": gettext_noop("The text is too long."),
    "too_long": gettext_noop("The text is too long."),
    "greater_than": gettext_noop("The value is too small."),
    "greater_than_equal": gettext_noop("The value is too small."),
    "less_than": gettext_noop("The value is too large."),
    "less_than_equal": gettext_noop("The value is too large."),
    # issue #21: each of these answered "格式不正确。", which names neither the field's rule nor
    # the fix
    "string_too_short": REQUIRED,  # an empty text where one is needed
    "too_short": gettext_noop("Give at least one item."),
    "string_type": gettext_noop("Enter text."),
    "int_type": gettext_noop("Enter a whole number."),
    "int_parsing": gettext_noop("Enter a whole number."),
    "int_from_float": gettext_noop("Enter a whole number."),
    "float_type": gettext_noop("Enter a number."),
    "float_parsing": gettext_noop("Enter a number."),
    "decimal_parsing": gettext_noop("Enter a number."),
    "decimal_type": gettext_noop("Enter a number."),
    "bool_parsing": gettext_noop("Enter true or false."),
    "bool_type": gettext_noop("Enter true or false."),
    "date_parsing": gettext_noop("Enter a date as YYYY-MM-DD."),
    "date_type": gettext_noop("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_noop("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": gettext_noop("Enter a date and time as YYYY-MM-DDTHH:MM:SS."),
    "datetime_type": gettext_noop("Enter a date and time as YYYY-MM-DDTHH:MM:SS."),
    "datetime_from_date_parsing": gettext_noop("Enter a date and time as YYYY-MM-DDTHH:MM:SS."),
    "enum": gettext_noop("Choose one of: {expected}."),
    "literal_error": gettext_noop("Choose one of: {expected}."),
    "string_pattern_mismatch": gettext_noop("The value does not have the expected form."),
    "list_type": gettext_noop("Give a list."),
    "dict_type": gettext_noop("Give an object."),
    "model_type": gettext_noop("Give an object."),
}
_HTTP_ERRORS = {  # ninja's own HttpError uses: unparsable body, CSRF, throttling
    400: ("bad_request", gettext_noop("The request body is not valid JSON.")),
    403: ("csrf_failed", gettext_noop("CSRF check failed: reload the page and try again.")),
    429: ("throttled", gettext_noop("Too many requests: try again later.")),
}
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


def _field_name(loc: Sequence[Any]) -> str:
    """("body", "payload", "parties", 0, "id_number") → "parties.0.id_number"."""
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        kind = parts.pop(0)
        if kind == "body" and parts:  # the body parameter's own name
            parts.pop(0)
    return ".".join(str(part) for part in parts) or "__all__"


def field_errors(errors: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Pydantic's error list → {"field.path": [message]}, messages in the active language."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        message = gettext(_PYDANTIC_MESSAGES.get(str(error.get("type")), BAD_FORMAT))
        if "{expected}" in message:
            expected = str((error.get("ctx") or {}).get("expected", ""))
            message = message.format(expected=expected.replace("'", "").replace(" or ", "、"))
        messages = fields.setdefault(_field_name(error.get("loc", ())), [])
        if message not in messages:
            messages.append(message)
    return fields


def error_body(
    code: str,
    message: str,
    *,
    errors: dict[str, list[str]] | None = None,
    reasons: list[str] | None = None,
) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or {}, "reasons": reasons or []}


def build_api(*, auth: Sequence[Any]) -> NinjaAPI:
    """The API with its renderer, error handlers and ``auth``; routers: ``fengqiao.api``."""
    api = FengqiaoAPI(
        auth=list(auth),
        title="枫桥 矛盾纠纷多元化解平台 API",
        version="1",
        description=(
            "案件登记、查询与流转。认证：Bearer 令牌（manage.py create_api_token）或浏览器会话"
            "（需 CSRF）。所有错误均为统一结构 ErrorOut：code、message、errors（字段 → 信息）、"
            "reasons（被阻止的原因）。超过频率限制时返回 429 和 Retry-After 头。时间均带时区"
            "（北京时间 +08:00）。"
        ),
        urls_namespace="api",
        docs_url="/docs",
        openapi_url="/openapi.json",
        renderer=ChineseJSONRenderer(),
    )

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApplicationError)  # handlers are looked up along the MRO
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        errors = exc.errors if isinstance(exc, InvalidInput) else {}
        reasons = exc.reasons if isinstance(exc, TransitionBlocked) else []
        body = error_body(exc.code, exc.message, errors=errors, reasons=reasons)
        return respond(request, exc.status_code, body)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        body = error_body(
            InvalidInput.code, gettext(REQUEST_INVALID), errors=field_errors(exc.errors)
        )
        return respond(request, 422, body)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", gettext("Not found.")))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = error_body("unauthenticated", gettext("Sign in or send a valid API token."))
        return respond(request, 401, body)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code, message = _HTTP_ERRORS.get(exc.status_code, ("error", exc.message))
        return respond(request, exc.status_code, error_body(code, gettext(message)))

    return api
