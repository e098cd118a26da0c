"""Reference data for integrators: the value lists (codes with their Chinese labels) that the
other operations take and return, and the regions and organisations of the token's
jurisdiction, exactly the case list's scope."""

from typing import Any

from django.db.models import TextChoices
from django.http import HttpRequest
from ninja import Field, Router, Schema

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.roles import Capability, Role
from fengqiao.cases import workflow
from fengqiao.cases.choices import CaseStatus, Channel, EventKind
from fengqiao.cases.models import DisputeCategory
from fengqiao.core.api import ERRORS
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Region, within_q

router = Router(tags=["reference"])


class CodedOut(Schema):
    code: str = Field(description="代码（请求和存储都用它）", examples=["petition"])
    label: str = Field(description="中文名称", examples=["信访"])


class CategoryOut(CodedOut):
    parent: str = Field(description="所属大类代码；大类本身为空")


class RegionOut(Schema):
    code: str = Field(description="12 位统计用区划代码", examples=["430624122000"])
    name: str = Field(examples=["静河镇"])
    level: int = Field(description="层级：1 省、2 市、3 县、4 乡镇、5 村/社区")
    parent: str = Field(description="上级区划代码")


class OrganisationOut(Schema):
    id: int
    code: str = Field(examples=["430624122ZZ"])
    name: str = Field(examples=["静河镇矛调中心"])
    kind: CodedOut
    region: str = Field(description="所在区划代码")


def _coded(choices: type[TextChoices]) -> list[dict[str, str]]:
    return [{"code": value, "label": str(label)} for value, label in choices.choices]


def _list(path: str, operation_id: str, summary: str, description: str) -> Any:
    return router.get(
        path,
        response={200: list[CodedOut], **ERRORS},
        operation_id=operation_id,
        summary=summary,
        description=description,
    )


@_list("/channels", "reference_channels", "来源渠道", "案件的来源渠道（Case.channel 的取值）。")
def reference_channels(request: HttpRequest) -> list[dict[str, str]]:
    return _coded(Channel)


@_list("/statuses", "reference_statuses", "案件状态", "案件状态（Case.status 的取值）。")
def reference_statuses(request: HttpRequest) -> list[dict[str, str]]:
    return _coded(CaseStatus)


@_list("/event-kinds", "reference_event_kinds", "时间线事件类型", "事件流和时间线的 kind 取值。")
def reference_event_kinds(request: HttpRequest) -> list[dict[str, str]]:
    return _coded(EventKind)


@_list("/roles", "reference_roles", "角色", "账号在单位中的角色。")
def reference_roles(request: HttpRequest) -> list[dict[str, str]]:
    return _coded(Role)


@_list(
    "/actions",
    "reference_actions",
    "案件操作",
    "工作流操作（POST /cases/{id}/actions/{name} 的 name）；某案件此刻能做哪些见其 "
    "available_actions。",
)
def reference_actions(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": t.name, "label": str(t.label)} for t in workflow.TRANSITIONS.values()]


@router.get(
    "/categories",
    response={200: list[CategoryOut], **ERRORS},
    operation_id="reference_categories",
    summary="纠纷类别",
    description="启用的纠纷类别及子类（登记时的 category / subcategory）。",
)
def reference_categories(request: HttpRequest) -> list[dict[str, str]]:
    rows = DisputeCategory.objects.filter(is_active=True).select_related("parent")
    return [
        {"code": c.code, "label": c.name, "parent": c.parent.code if c.parent else ""}
        for c in rows.order_by("parent__order", "order", "code")
    ]


@router.get(
    "/regions",
    response={200: list[RegionOut], **ERRORS},
    operation_id="reference_regions",
    summary="辖区内的行政区划",
    description="令牌可查看案件的区划及其全部下级（与案件列表的范围相同）。",
)
def reference_regions(request: HttpRequest) -> list[dict[str, Any]]:
    prefixes = access.scope_prefixes(request_actor(request), Capability.CASE_VIEW)
    if not prefixes:
        return []
    rows = Region.objects.filter(within_q("prefix", prefixes)).select_related("parent")
    return [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "parent": r.parent.code if r.parent else "",
        }
        for r in rows.order_by("code")
    ]


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **ERRORS},
    operation_id="reference_organisations",
    summary="辖区内的单位",
    description="令牌辖区内各区划的单位（矛调中心、调委会、司法所……）。",
)
def reference_organisations(request: HttpRequest) -> list[dict[str, Any]]:
    prefixes = access.scope_prefixes(request_actor(request), Capability.CASE_VIEW)
    if not prefixes:
        return []
    rows = Organisation.objects.filter(within_q("region__prefix", prefixes)).select_related(
        "region"
    )
    return [
        {
            "id": o.pk,
            "code": o.code,
            "name": o.name,
            "kind": {"code": o.kind, "label": o.get_kind_display()},
            "region": o.region.code,
        }
        for o in rows.order_by("region__code", "code")
    ]
