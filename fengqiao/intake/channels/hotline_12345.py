"""12345 work order (政务服务便民热线): the hotline hands a dispute over with its 工单编号 and
its own time limit (办理时限); the handling result goes back to the hotline's callback URL."""

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from fengqiao.accounts.models import User
from fengqiao.cases import workflow
from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, CaseDraft
from fengqiao.intake.channels.base import PersonIn, parties, receive
from fengqiao.intake.channels.results import report_result
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.pipeline import Registered, category_for

CHANNEL = Channel.HOTLINE_12345


class WorkOrderIn(Schema):
    work_order_no: str = Field(min_length=1, max_length=64, description="工单编号")
    citizen: PersonIn = Field(description="诉求人")
    respondents: list[PersonIn] = Field(
        default_factory=list, max_length=20, description="被反映对象"
    )
    content: str = Field(min_length=1, max_length=8000, description="诉求内容")
    classification: str = Field("", max_length=100, description="热线分类（原文保存）")
    category: str = Field("", max_length=64, description="纠纷类别代码（可不填）")
    handling_unit: str = Field("", max_length=20, description="承办单位代码（本系统的单位代码）")
    deadline: date | None = Field(None, description="办理时限（截止日期）")
    place_code: str = Field(max_length=12, description="诉求发生地乡镇或村的12位区划代码")
    address: str = Field("", max_length=200)
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    people_count: int = Field(2, ge=1, le=100000)


FIELD_MAP = {
    "region": "place_code",
    "description": "content",
    "title": "content",
    "category": "category",
    "subcategory": "category",
    "due_date": "deadline",
    "source_ref": "work_order_no",
}


def receive_work_order(endpoint: ChannelEndpoint, data: WorkOrderIn) -> Registered:
    category, subcategory = category_for(data.category, f"{data.classification}\n{data.content}")
    draft = CaseDraft(
        org_id=endpoint.org_id,
        title=f"12345工单：{data.content[:40]}",
        description=data.content,
        claims=data.content,
        channel=CHANNEL,
        category=category,
        subcategory=subcategory,
        region=data.place_code,
        address=data.address,
        amount=data.amount,
        people_count=data.people_count,
        due_date=data.deadline,
        route_extra={"handling_unit": data.handling_unit} if data.handling_unit else {},
        parties=parties([data.citizen], data.respondents),
    )
    return receive(
        endpoint=endpoint,
        source_ref=data.work_order_no,
        payload=data.model_dump(mode="json"),
        draft=draft,
        field_map=FIELD_MAP,
        party_lists=[(0, "citizen", False), (1, "respondents", True)],
    )


def report_on_outcome(case: Case, transition: str, action: Any, actor: User) -> None:
    """After-transition hook: a 12345 case that reaches an outcome reports it to the hotline."""
    if case.channel != CHANNEL or workflow.get(transition).outcome is None:
        return
    note = action.note.strip() if isinstance(action, ActionInput) else ""
    report_result(
        case,
        {
            "outcome": case.outcome,
            "outcome_label": str(case.get_outcome_display()),
            "result": note,
            "merged_into": case.merged_into.number if case.merged_into else "",
        },
    )
