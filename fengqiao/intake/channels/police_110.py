"""110 transfer (警调对接): a police dispatch the station hands to mediation, with its 警情编号."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema

from fengqiao.cases.choices import Channel
from fengqiao.cases.services import CaseDraft
from fengqiao.intake.channels.base import PersonIn, parties, receive
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.pipeline import Registered, category_for

CHANNEL = Channel.POLICE_110


class PoliceTransferIn(Schema):
    incident_no: str = Field(min_length=1, max_length=64, description="警情编号")
    reported_at: datetime = Field(description="报警时间")
    place_code: str = Field(max_length=12, description="发生地乡镇或村的12位区划代码")
    address: str = Field("", max_length=200, description="详细地点")
    callers: list[PersonIn] = Field(min_length=1, max_length=20, description="报警人（申请人）")
    other_parties: list[PersonIn] = Field(
        default_factory=list, max_length=20, description="对方当事人"
    )
    summary: str = Field(min_length=1, max_length=4000, description="简要警情")
    dispatch_result: str = Field("", max_length=2000, description="处警结果")
    category: str = Field("", max_length=64, description="纠纷类别代码（可不填，由系统建议）")
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    people_count: int = Field(2, ge=1, le=100000, description="涉及人数")


FIELD_MAP = {
    "region": "place_code",
    "description": "summary",
    "title": "summary",
    "category": "category",
    "subcategory": "category",
    "occurred_on": "reported_at",
    "source_ref": "incident_no",
}


def receive_transfer(endpoint: ChannelEndpoint, data: PoliceTransferIn) -> Registered:
    text = f"{data.summary}\n{data.dispatch_result}"
    category, subcategory = category_for(data.category, text)
    description = data.summary
    if data.dispatch_result:
        description += f"\n处警结果：{data.dispatch_result}"
    draft = CaseDraft(
        org_id=endpoint.org_id,
        title=f"110警情转办：{data.summary[:40]}",
        description=description,
        channel=CHANNEL,
        category=category,
        subcategory=subcategory,
        region=data.place_code,
        address=data.address,
        occurred_on=timezone.localdate(data.reported_at)
        if timezone.is_aware(data.reported_at)
        else data.reported_at.date(),
        amount=data.amount,
        people_count=data.people_count,
        parties=parties(data.callers, data.other_parties),
    )
    return receive(
        endpoint=endpoint,
        source_ref=data.incident_no,
        payload=data.model_dump(mode="json"),
        draft=draft,
        field_map=FIELD_MAP,
        party_lists=[(0, "callers", True), (len(data.callers), "other_parties", True)],
    )
