"""Open311 GeoReport v2 (the compatibility subset in docs/open311.md): list services, file a
request, read requests back, in JSON or XML. ``api_key`` is a channel endpoint's key; every
request answer is limited to what that endpoint filed."""

import json
from datetime import datetime, time
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from pydantic import ValidationError

from fengqiao.cases.choices import OPEN_STATUSES
from fengqiao.cases.models import Case, DisputeCategory
from fengqiao.core.api import field_errors
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.channels import open311
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.services import channel_endpoint_for_token
from fengqiao.open311 import selectors
from fengqiao.open311.formats import error, respond


def _service(category: DisputeCategory) -> dict[str, Any]:
    parent = category.parent
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{parent.name}：{category.name}" if parent else category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": parent.name if parent else category.name,
    }


def _request(case: Case) -> dict[str, Any]:
    service = case.subcategory or case.category
    notes = case.get_status_display()
    if case.outcome:
        notes = f"{notes}（{case.get_outcome_display()}）"
    expected = None
    if case.due_date is not None:
        expected = datetime.combine(
            case.due_date, time(23, 59, 59), timezone.get_current_timezone()
        )
    return {
        "service_request_id": case.number,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": str(notes),
        "service_name": service.name,
        "service_code": service.code,
        "description": case.description,
        "agency_responsible": case.handling_org.name,
        "service_notice": "",
        "requested_datetime": case.created_at,
        "updated_datetime": case.status_changed_at or case.created_at,
        "expected_datetime": expected,
        "address": case.address,
        "address_id": case.region.code,
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _params(request: HttpRequest) -> QueryDict | dict[str, Any]:
    if request.method == "POST":
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                return {}
            return body if isinstance(body, dict) else {}
        return request.POST
    return request.GET


def _endpoint(params: QueryDict | dict[str, Any]) -> ChannelEndpoint | None:
    key = params.get("api_key") or ""
    return channel_endpoint_for_token(str(key)) if key else None


def _forbidden(fmt: str) -> HttpResponse:
    return error(fmt, 403, gettext("Send a valid api_key (the channel key of this system)."))


def _invalid(fmt: str, errors: dict[str, list[str]]) -> HttpResponse:
    text = "；".join(f"{name}：{'、'.join(messages)}" for name, messages in errors.items())
    return error(fmt, 400, text or gettext("The request has errors."))


@login_not_required
@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET services.json: every dispute category and subcategory as an Open311 service."""
    jurisdiction = request.GET.get("jurisdiction_id", "")
    if jurisdiction and selectors.jurisdiction_get(jurisdiction) is None:
        return error(fmt, 404, gettext("No division has this jurisdiction_id."))
    rows = [_service(category) for category in selectors.services_list()]
    return respond(fmt, rows, root="services", item="service")


def _filters(params: QueryDict | dict[str, Any]) -> selectors.RequestFilters | dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    bounds: dict[str, datetime | None] = {}
    for name in ("start_date", "end_date"):
        value = str(params.get(name) or "")
        parsed = parse_datetime(value) if value else None
        if value and parsed is None:
            errors[name] = [gettext("Enter a date and time as YYYY-MM-DDTHH:MM:SS.")]
        elif parsed is not None and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        bounds[name] = parsed
    status = str(params.get("status") or "")
    if status not in ("", "open", "closed"):
        errors["status"] = [gettext("Choose one of: {expected}.").format(expected="open、closed")]
    numbers = tuple(
        n.strip() for n in str(params.get("service_request_id") or "").split(",") if n.strip()
    )
    if errors:
        return errors
    return selectors.RequestFilters(
        numbers=numbers,
        service_code=str(params.get("service_code") or ""),
        start=bounds["start_date"],
        end=bounds["end_date"],
        is_open=None if not status else status == "open",
    )


@csrf_exempt  # a machine client with a key, never a browser session
@login_not_required
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET requests.json: the requests this key filed; POST: file one as a case."""
    params = _params(request)
    endpoint = _endpoint(params)
    if endpoint is None:
        return _forbidden(fmt)
    jurisdiction_id = str(params.get("jurisdiction_id") or "")
    within = selectors.jurisdiction_get(jurisdiction_id)
    if jurisdiction_id and within is None:
        return error(fmt, 404, gettext("No division has this jurisdiction_id."))
    if request.method == "POST":
        return _create(fmt, endpoint, params, jurisdiction_id)
    filters = _filters(params)
    if isinstance(filters, dict):
        return _invalid(fmt, filters)
    if within is not None:
        filters = selectors.RequestFilters(**{**_as_kwargs(filters), "within": within})
    rows = [
        _request(case)
        for case in selectors.service_requests_for(endpoint=endpoint, filters=filters)
    ]
    return respond(fmt, rows, root="service_requests", item="request")


def _as_kwargs(filters: selectors.RequestFilters) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in filters.__slots__}


def _create(
    fmt: str, endpoint: ChannelEndpoint, params: QueryDict | dict[str, Any], jurisdiction_id: str
) -> HttpResponse:
    fields: dict[str, Any] = {
        name: params.get(name)
        for name in open311.ServiceRequestIn.model_fields
        if params.get(name) not in (None, "")
    }
    try:
        data = open311.ServiceRequestIn.model_validate(fields)
    except ValidationError as exc:
        return _invalid(fmt, field_errors([dict(error) for error in exc.errors()]))
    try:
        received = open311.receive_request(endpoint, data, jurisdiction_id=jurisdiction_id)
    except InvalidInput as exc:
        return _invalid(fmt, exc.errors)
    case = Case.objects.select_related("handling_org").get(pk=received.case.pk)
    notice = gettext("Registered; handled by {org}.").format(org=case.handling_org.name)
    row = {
        "service_request_id": case.number,
        "service_notice": notice,
        "account_id": data.account_id,
    }
    return respond(fmt, [row], root="service_requests", item="request", status=201)


@login_not_required
@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    """GET requests/{id}.json: one request this key filed (out of reach looks like missing)."""
    endpoint = _endpoint(request.GET)
    if endpoint is None:
        return _forbidden(fmt)
    filters = selectors.RequestFilters(numbers=(request_id,))
    case = selectors.service_requests_for(endpoint=endpoint, filters=filters).first()
    if case is None:
        return error(fmt, 404, gettext("No request with this id was filed with this key."))
    return respond(fmt, [_request(case)], root="service_requests", item="request")
