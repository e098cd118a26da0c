"""Court delegation (诉调对接): a court hands a dispute to mediation before filing (委派, 30 days)
or after filing (委托: ordinary procedure 15 days, simple procedure 7 days) — 特邀调解规定
(法释〔2016〕14号) art.27; the result goes back: an agreement, or the termination with the record
of undisputed facts (DOMAIN §3.5). The mediation app builds that result and calls
``report_result``."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.cases.services import CaseDraft
from fengqiao.core import clock
from fengqiao.core.calendar import period_end
from fengqiao.intake.channels import results
from fengqiao.intake.channels.base import PersonIn, parties, receive
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.pipeline import Registered, category_for

CHANNEL = Channel.COURT


class DelegationMode(models.TextChoices):
    DELEGATED = "delegated", _("Delegated before filing (30 days)")  # 委派调解
    ENTRUSTED_ORDINARY = "entrusted_ordinary", _("Entrusted, ordinary procedure (15 days)")
    ENTRUSTED_SIMPLE = "entrusted_simple", _("Entrusted, simple procedure (7 days)")


# 特邀调解规定 art.27: 委派 30 days; 委托 15 days (普通程序) or 7 days (简易程序).
LIMIT_DAYS = {
    DelegationMode.DELEGATED: 30,
    DelegationMode.ENTRUSTED_ORDINARY: 15,
    DelegationMode.ENTRUSTED_SIMPLE: 7,
}


class DelegationIn(Schema):
    court_case_no: str = Field(
        min_length=1, max_length=64, description="法院案号（诉前调解号或立案号）"
    )
    court_code: str = Field(
        "", max_length=20, description="法院在本系统的单位代码（用于特邀名册分流）"
    )
    mode: DelegationMode = Field(
        description="delegated 委派 / entrusted_ordinary 委托普通程序 / "
        "entrusted_simple 委托简易程序"
    )
    delegated_on: date = Field(description="委派或委托日期")
    plaintiffs: list[PersonIn] = Field(min_length=1, max_length=50, description="原告（申请人）")
    defendants: list[PersonIn] = Field(min_length=1, max_length=50, description="被告（被申请人）")
    claims: str = Field(min_length=1, max_length=4000, description="诉讼请求")
    facts: str = Field(min_length=1, max_length=8000, description="事实与理由")
    category: str = Field("", max_length=64, description="纠纷类别代码（可不填）")
    place_code: str = Field(
        max_length=12, description="纠纷发生地或被告住所地乡镇或村的12位区划代码"
    )
    address: str = Field("", max_length=200)
    amount: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="标的额"
    )


FIELD_MAP = {
    "region": "place_code",
    "description": "facts",
    "title": "claims",
    "claims": "claims",
    "category": "category",
    "subcategory": "category",
    "occurred_on": "delegated_on",
    "due_date": "delegated_on",
    "source_ref": "court_case_no",
}


def due_date_for(mode: str, *, received_on: date) -> date:
    """The time limit runs from the day the mediation side takes the materials (art.27), here
    the day the delegation is received; a last day on a holiday moves on (民法典 art.203). The
    case itself takes it from the statutory deadline policy of the procedure."""
    return period_end(received_on, LIMIT_DAYS[DelegationMode(mode)], working=False)


def receive_delegation(endpoint: ChannelEndpoint, data: DelegationIn) -> Registered:
    category, subcategory = category_for(data.category, f"{data.claims}\n{data.facts}")
    draft = CaseDraft(
        org_id=endpoint.org_id,
        title=f"法院{DelegationMode(data.mode).label[:2]}调解：{data.claims[:40]}",
        description=data.facts,
        claims=data.claims,
        channel=CHANNEL,
        category=category,
        subcategory=subcategory,
        region=data.place_code,
        address=data.address,
        occurred_on=min(data.delegated_on, clock.today()),
        amount=data.amount,
        people_count=max(len(data.plaintiffs) + len(data.defendants), 2),
        procedure=data.mode,  # the statutory policy of the procedure sets and caps the limit
        route_extra={"court": data.court_code, "mode": data.mode},
        parties=parties(data.plaintiffs, data.defendants),
    )
    return receive(
        endpoint=endpoint,
        source_ref=data.court_case_no,
        payload=data.model_dump(mode="json"),
        draft=draft,
        field_map=FIELD_MAP,
        party_lists=[(0, "plaintiffs", True), (len(data.plaintiffs), "defendants", True)],
    )


def report_result(case: Case, result: dict[str, Any]) -> bool:
    """Send the mediation result of a delegated case back to the court: ``result`` holds the
    outcome and either the agreement's terms or the termination reason with the record of
    undisputed facts."""
    if case.channel != CHANNEL:
        return False
    return results.report_result(case, result)
