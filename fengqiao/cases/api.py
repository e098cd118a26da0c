"""The cases API: thin handlers that parse, call one selector or service, and shape the answer.

Registering (``POST /api/v1/cases``) is the intake path's: ``intake.case_api.cases_create``, which
``fengqiao/api.py`` adds to this router."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.models import User
from fengqiao.cases import selectors, services, workflow
from fengqiao.cases.choices import CaseStatus, Channel
from fengqiao.cases.filters import CaseFilterForm
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.api import ERRORS, REQUEST_INVALID
from fengqiao.core.exceptions import InvalidInput
from fengqiao.core.paging import MAX_PAGE, capped_count

router = Router(tags=["cases"])


class PartyIn(Schema):
    role: str = Field(description="applicant / respondent / third_party")
    kind: str = Field("person", description="person / organisation")
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    region: str = Field("", description="居住地（乡镇或村的12位区划代码）")


class CaseIn(Schema):
    org_id: int = Field(description="登记单位（须为本人所在、有登记权限的单位）")
    title: str
    description: str
    channel: str = Field(description="来源渠道代码，如 walk_in、police_110、hotline_12345")
    category: str = Field(description="纠纷类别代码，如 housing_homestead")
    region: str = Field(description="发生地（乡镇或村/社区）12 位区划代码")
    parties: list[PartyIn]
    claims: str = ""
    subcategory: str = ""
    source_ref: str = ""
    occurred_on: date | None = None
    grid: str = ""
    address: str = ""
    amount: Decimal | None = None
    people_count: int = 2
    risk_level: str = "low"
    is_criminal_risk: bool = False
    is_mass: bool = False
    is_extreme: bool = False


class ActionIn(Schema):
    """Input of a workflow action; which fields an action takes is in ``available_actions``."""

    note: str = ""
    referred_to: str = ""
    org_id: int | None = None
    assignee_id: int | None = None
    lead_id: int | None = None
    due_date: date | None = None
    agreement_form: str = ""
    termination_reason: str = ""
    merge_into: str = Field("", description="并案：主案件编号")
    approval_ref: str = Field(
        "", max_length=200, description="信访延期：信访机关的批准（批准人或批准文号）"
    )
    consent_document: int | None = Field(
        None, description="法院委派/委托延期：当事人同意延期的书面材料（本案附件ID）"
    )
    parties_consent: str = Field(
        "", description="受理：consented 各方当事人同意调解 / refused 一方明确拒绝调解"
    )


class Coded(Schema):
    code: str
    label: str


class OrgRef(Schema):
    id: int
    code: str
    name: str


class PersonRef(Schema):
    id: int
    username: str
    name: str


class CaseOut(Schema):
    id: int
    number: str
    title: str
    status: Coded
    channel: Coded
    category: Coded
    region: Coded
    handling_org: OrgRef
    assignee: PersonRef | None
    due_date: date | None
    is_overdue: bool
    risk_level: Coded
    outcome: str
    created_at: datetime


class PartyOut(Schema):
    id: int
    role: Coded
    kind: Coded
    name: str
    id_number: str = Field(description="masked")
    phone: str = Field(description="masked")
    address: str


class EventOut(Schema):
    seq: int
    kind: str
    at: datetime
    actor_name: str
    org: str
    data: dict[str, Any]
    hash: str


class ActionOut(Schema):
    name: str
    label: str
    allowed: bool
    reasons: list[str]
    inputs: list[str]
    required: list[str]


class CaseDetailOut(CaseOut):
    description: str
    claims: str
    subcategory: Coded | None
    address: str
    amount: Decimal | None
    people_count: int
    risk_flags: list[str]
    lead: PersonRef | None
    parties: list[PartyOut]
    events: list[EventOut]
    available_actions: list[ActionOut]


class CasePage(Schema):
    count: int = Field(description="匹配的案件数，最多计到 10000")
    count_capped: bool = Field(description="为 true 时实际数量多于 count")
    page: int
    page_size: int
    items: list[CaseOut]


class CaseListQuery(Schema):
    """Documents the list filters. ``cases.filters.CaseFilterForm`` parses them, as it does for the
    list page, so the API accepts exactly the query strings the page sends (empty values too) and
    its field errors are the 422 ``errors``. Only the paging is parsed here."""

    status: list[str] = Field(
        default_factory=list,
        description="案件状态代码，可重复：" + "、".join(CaseStatus.values),
    )
    channel: list[str] = Field(
        default_factory=list, description="来源渠道代码，可重复：" + "、".join(Channel.values)
    )
    category: str = Field("", description="纠纷类别或子类代码，如 housing_homestead")
    level: str = Field("", description="承办单位层级：3 县、4 乡镇、5 村（RegionLevel）")
    region: str = Field("", description="发生地区划代码（2–12 位），含其下级")
    created_from: str = Field("", description="登记日期起（含），YYYY-MM-DD")
    created_to: str = Field("", description="登记日期止（含），YYYY-MM-DD")
    overdue: str = Field("", description="true 只看超期，false 只看未超期")
    q: str = Field(
        "",
        description="检索：当事人姓名、手机号或尾号4位、身份证号、案件或来源编号开头、标题、描述",
    )
    mine: str = Field("", description="true 只看分配给我的")
    order: str = Field(
        "",
        description=(
            "排序：空为登记时间倒序；unit 承办单位、place 发生地、party 第一当事人，均按拼音"
        ),
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=100)


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "username": user.username, "name": str(user)}


def _summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "status": {"code": case.status, "label": case.get_status_display()},
        "channel": {"code": case.channel, "label": case.get_channel_display()},
        "category": {"code": case.category.code, "label": case.category.name},
        "region": {"code": case.region.code, "label": case.region.name},
        "handling_org": {
            "id": case.handling_org.pk,
            "code": case.handling_org.code,
            "name": case.handling_org.name,
        },
        "assignee": _person(case.assignee),
        "due_date": case.due_date,
        "is_overdue": case.is_overdue,
        "risk_level": {"code": case.risk_level, "label": case.get_risk_level_display()},
        "outcome": case.outcome,
        "created_at": case.created_at,
    }


def _event(event: CaseEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "kind": event.kind,
        "at": event.occurred_at,
        "actor_name": event.actor_name,
        "org": event.org.name,
        "data": event.data,
        "hash": event.hash,
    }


def detail_out(case: Case, actor: User) -> dict[str, Any]:
    parties = [
        {
            "id": p.pk,
            "role": {"code": p.role, "label": p.get_role_display()},
            "kind": {"code": p.kind, "label": p.get_kind_display()},
            "name": p.name,
            "id_number": p.id_number_masked,
            "phone": p.phone_masked,
            "address": p.address_masked,
        }
        for p in case.parties.all()
    ]
    actions = [
        {
            "name": t.name,
            "label": str(t.label),
            "allowed": not reasons,
            "reasons": reasons,
            "inputs": list(t.inputs),
            "required": list(t.required),
        }
        for t, reasons in workflow.available(case, actor=actor)
    ]
    subcategory = case.subcategory
    return {
        **_summary(case),
        "description": case.description,
        "claims": case.claims,
        "subcategory": {"code": subcategory.code, "label": subcategory.name}
        if subcategory
        else None,
        "address": case.address,
        "amount": case.amount,
        "people_count": case.people_count,
        "risk_flags": case.risk_flags,
        "lead": _person(case.lead),
        "parties": parties,
        "events": [_event(e) for e in selectors.case_events_for(actor=actor, case=case)],
        "available_actions": actions,
    }


@router.get("", response={200: CasePage, **ERRORS}, operation_id="cases_list", summary="案件列表")
def cases_list(request: HttpRequest, query: Query[CaseListQuery]) -> dict[str, Any]:
    form = CaseFilterForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise InvalidInput(gettext(REQUEST_INVALID), errors=errors)
    cases = selectors.case_list_for(actor=request_actor(request), filters=form.to_filters())
    start = (query.page - 1) * query.page_size
    items = [_summary(case) for case in cases[start : start + query.page_size]]
    count, capped = capped_count(cases)
    return {
        "count": count,
        "count_capped": capped,
        "page": query.page,
        "page_size": query.page_size,
        "items": items,
    }


class QueueCount(Schema):
    count: int = Field(description="最多计到 10000")
    count_capped: bool


class TodoPage(Schema):
    queue: str
    counts: dict[str, QueueCount] = Field(description="每个待办队列的数量")
    count: int
    count_capped: bool
    page: int
    page_size: int
    items: list[CaseOut]


class TodoQuery(Schema):
    queue: selectors.TodoQueue = Field(
        selectors.TodoQueue.MINE,
        description="transfers 待我接收、led 我包案、mine 我承办、overdue 已超期、"
        "due_soon 即将到期、unit 本单位（非我承办）",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=100)


@router.get(
    "/todo", response={200: TodoPage, **ERRORS}, operation_id="cases_todo", summary="我的待办"
)
def cases_todo(request: HttpRequest, query: Query[TodoQuery]) -> dict[str, Any]:
    actor = request_actor(request)
    counts = {}
    for queue in selectors.TodoQueue:
        count, capped = capped_count(selectors.todo_queue_for(actor=actor, queue=queue))
        counts[queue.value] = {"count": count, "count_capped": capped}
    cases = selectors.todo_queue_for(actor=actor, queue=query.queue)
    start = (query.page - 1) * query.page_size
    return {
        "queue": query.queue.value,
        "counts": counts,
        **counts[query.queue.value],
        "page": query.page,
        "page_size": query.page_size,
        "items": [_summary(case) for case in cases[start : start + query.page_size]],
    }


@router.get(
    "/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    operation_id="cases_get",
    summary="案件详情",
)
def cases_get(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = selectors.case_get_for(actor=request_actor(request), case_id=case_id)
    return detail_out(case, request_actor(request))


@router.post(
    "/{case_id}/actions/{action}",
    response={200: CaseDetailOut, **ERRORS},
    operation_id="cases_act",
    summary="执行流转操作",
)
def cases_act(request: HttpRequest, case_id: int, action: str, payload: ActionIn) -> dict[str, Any]:
    services.case_transition(
        actor=request_actor(request),
        case_id=case_id,
        name=action,
        action=services.ActionInput(**payload.model_dump()),
    )
    case = selectors.case_get_for(actor=request_actor(request), case_id=case_id)
    return detail_out(case, request_actor(request))
