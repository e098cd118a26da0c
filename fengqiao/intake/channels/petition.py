"""Petition (访调对接): a 信访件 the petition office routes to mediation. 信访工作条例 art.34:
handled within 60 days of acceptance (the deadline policy of the petition channel)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from fengqiao.cases.choices import Channel
from fengqiao.cases.services import CaseDraft
from fengqiao.intake.channels.base import PersonIn, parties, receive
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.pipeline import Registered, category_for

CHANNEL = Channel.PETITION


class PetitionIn(Schema):
    petition_no: str = Field(min_length=1, max_length=64, description="信访件编号")
    registered_on: date = Field(description="信访部门登记日期")
    petitioners: list[PersonIn] = Field(min_length=1, max_length=200, description="信访人")
    respondents: list[PersonIn] = Field(
        default_factory=list, max_length=20, description="被反映人或单位"
    )
    content: str = Field(min_length=1, max_length=8000, description="信访事项")
    claims: str = Field(min_length=1, max_length=4000, description="信访诉求")
    place_code: str = Field(max_length=12, description="事发地乡镇或村的12位区划代码")
    address: str = Field("", max_length=200)
    category: str = Field("", max_length=64, description="纠纷类别代码（可不填）")
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    people_count: int | None = Field(
        None, ge=1, le=100000, description="涉及人数（默认按信访人数）"
    )


FIELD_MAP = {
    "region": "place_code",
    "description": "content",
    "title": "content",
    "claims": "claims",
    "category": "category",
    "subcategory": "category",
    "occurred_on": "registered_on",
    "source_ref": "petition_no",
}


def receive_petition(endpoint: ChannelEndpoint, data: PetitionIn) -> Registered:
    category, subcategory = category_for(data.category, f"{data.content}\n{data.claims}")
    draft = CaseDraft(
        org_id=endpoint.org_id,
        title=f"信访转办：{data.content[:40]}",
        description=data.content,
        claims=data.claims,
        channel=CHANNEL,
        category=category,
        subcategory=subcategory,
        region=data.place_code,
        address=data.address,
        occurred_on=data.registered_on,
        amount=data.amount,
        people_count=data.people_count or max(len(data.petitioners), 2),
        is_mass=len(data.petitioners) >= 5,  # 多人联名信访
        parties=parties(data.petitioners, data.respondents),
    )
    return receive(
        endpoint=endpoint,
        source_ref=data.petition_no,
        payload=data.model_dump(mode="json"),
        draft=draft,
        field_map=FIELD_MAP,
        party_lists=[(0, "petitioners", True), (len(data.petitioners), "respondents", True)],
    )
