"""Channel intake API: the 110, 12345, petition and court systems send disputes here, each with
its own channel token. Idempotent on the source's own number: a resend answers 200 with the case
it already became, never a second case."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.core.api import ERRORS
from fengqiao.core.exceptions import NotFound, PermissionDeniedError
from fengqiao.intake.channels import court, hotline_12345, petition, police_110
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.pipeline import Registered
from fengqiao.intake.services import channel_endpoint_for_token


class ChannelTokenAuth(HttpBearer):
    """A channel endpoint's token; the request then acts as the endpoint's service account."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        endpoint = channel_endpoint_for_token(token)
        if endpoint is None:
            return None
        request.user = endpoint.service_user
        return endpoint


router = Router(tags=["intake"], auth=ChannelTokenAuth())


class ReceivedOut(Schema):
    case_number: str = Field(description="本系统案件编号")
    source_ref: str = Field(description="来源编号（警情编号、工单编号、信访件编号、法院案号）")
    created: bool = Field(description="true：新登记；false：此前已收到，返回原案件")
    status: str
    status_label: str
    handling_org: str = Field(description="承办单位")
    due_date: date | None = Field(description="办理期限")
    routing_rule: str = Field("", description="分流规则")


class StatusOut(ReceivedOut):
    outcome: str = Field(description="办理结果代码（未办结为空）")
    outcome_label: str


def _endpoint(request: HttpRequest, channel: str) -> ChannelEndpoint:
    endpoint = request.auth  # type: ignore[attr-defined]
    assert isinstance(endpoint, ChannelEndpoint)  # noqa: S101  the router's auth sets it
    if endpoint.channel != channel:
        raise PermissionDeniedError(gettext("This token is not for this channel."))
    return endpoint


def _out(case: Case, *, created: bool) -> dict[str, Any]:
    return {
        "case_number": case.number,
        "source_ref": case.source_ref,
        "created": created,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "handling_org": case.handling_org.name,
        "due_date": case.due_date,
        "routing_rule": case.routing.get("rule_name", ""),
        "outcome": case.outcome,
        "outcome_label": str(case.get_outcome_display()) if case.outcome else "",
    }


def _answer(received: Registered) -> Any:
    case = Case.objects.select_related("handling_org").get(pk=received.case.pk)
    body = _out(case, created=received.created)
    return Status(201, body) if received.created else body


RESPONSES: dict[int, Any] = {200: ReceivedOut, 201: ReceivedOut, **ERRORS}


@router.post(
    "/police-110",
    response=RESPONSES,
    operation_id="intake_police_110",
    summary="接收110警情转办（警调对接）",
)
def police_transfer(request: HttpRequest, payload: police_110.PoliceTransferIn) -> Any:
    endpoint = _endpoint(request, Channel.POLICE_110)
    return _answer(police_110.receive_transfer(endpoint, payload))


@router.post(
    "/hotline-12345",
    response=RESPONSES,
    operation_id="intake_hotline_12345",
    summary="接收12345热线工单（办理结果回传至配置的回调地址）",
)
def hotline_work_order(request: HttpRequest, payload: hotline_12345.WorkOrderIn) -> Any:
    endpoint = _endpoint(request, Channel.HOTLINE_12345)
    return _answer(hotline_12345.receive_work_order(endpoint, payload))


@router.post(
    "/petitions",
    response=RESPONSES,
    operation_id="intake_petition",
    summary="接收信访件（访调对接）",
)
def petition_case(request: HttpRequest, payload: petition.PetitionIn) -> Any:
    endpoint = _endpoint(request, Channel.PETITION)
    return _answer(petition.receive_petition(endpoint, payload))


@router.post(
    "/court-delegations",
    response=RESPONSES,
    operation_id="intake_court_delegation",
    summary="接收法院委派/委托调解（诉调对接；调解结果回传法院）",
)
def court_delegation(request: HttpRequest, payload: court.DelegationIn) -> Any:
    endpoint = _endpoint(request, Channel.COURT)
    return _answer(court.receive_delegation(endpoint, payload))


@router.get(
    "/cases/{source_ref}",
    response={200: StatusOut, **ERRORS},
    operation_id="intake_case_status",
    summary="按来源编号查询办理进度（仅限本渠道送来的案件）",
)
def case_status(request: HttpRequest, source_ref: str) -> dict[str, Any]:
    endpoint = request.auth  # type: ignore[attr-defined]
    assert isinstance(endpoint, ChannelEndpoint)  # noqa: S101  the router's auth sets it
    case = (
        Case.objects.select_related("handling_org")
        .filter(channel=endpoint.channel, source_ref=source_ref, submissions__endpoint=endpoint)
        .distinct()
        .first()
    )
    if case is None:
        raise NotFound(gettext("No case with this source reference came from this channel."))
    return _out(case, created=False)
