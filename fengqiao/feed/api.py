"""The event feed API: ``GET /api/v1/events?after=<cursor>`` pages through every timeline event
of the cases the token may see, in an order that resumes exactly where the last page ended."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from fengqiao.accounts.actor import request_actor
from fengqiao.cases.choices import EventKind
from fengqiao.core.api import ERRORS
from fengqiao.feed import selectors
from fengqiao.feed.entries import event_entry

router = Router(tags=["events"])

EXAMPLE_CURSOR = "MS4wLjQy"


class CaseRef(Schema):
    id: int
    number: str = Field(description="案件编号", examples=["430624122ZZ-2026-00001"])


class OrgRef(Schema):
    id: int
    code: str
    name: str


class FeedEventOut(Schema):
    id: int = Field(description="事件标识，全局唯一且不变：镜像方据此去重（webhook 的幂等键同此）")
    cursor: str = Field(description="本事件之后的位置：作为 after 传回即从下一个事件继续")
    case: CaseRef
    seq: int = Field(description="该事件在本案时间线中的序号，从 1 起连续")
    kind: EventKind = Field(description="事件类型代码")
    kind_label: str = Field(description="事件类型中文名", examples=["已登记"])
    occurred_at: datetime = Field(
        description="发生时间，带时区（北京时间 +08:00）", examples=["2026-12-03T14:05:00+08:00"]
    )
    actor_name: str = Field(description="操作人姓名")
    org: OrgRef = Field(description="操作所在单位")
    data: dict[str, Any] = Field(description="事件内容（代码，不含译名），随 kind 不同")
    prev_hash: str = Field(description="本案上一事件的哈希（首个事件为创世值）")
    hash: str = Field(description="本事件的哈希，覆盖内容与 prev_hash，构成哈希链")


class FeedPageOut(Schema):
    items: list[FeedEventOut]
    next_cursor: str = Field(
        description="下一页的 after；没有新事件时与请求的 after 相同，稍后用它再取"
    )
    has_more: bool = Field(description="为 true 时立即再取下一页；为 false 时已取到当前末尾")


class FeedQuery(Schema):
    after: str = Field(
        "",
        description="上一页的 next_cursor（或某事件的 cursor）；留空从头开始。游标不随重启变化",
        examples=[EXAMPLE_CURSOR],
    )
    limit: int = Field(100, ge=1, le=500, description="每页最多事件数")


@router.get(
    "",
    response={200: FeedPageOut, **ERRORS},
    operation_id="events_list",
    summary="事件流（案件时间线）",
    description=(
        "按稳定顺序返回令牌辖区内所有案件的时间线事件（登记、状态变化、调解记录、督办……），"
        "范围与案件列表完全相同。首次调用不带 after；之后每次把上一页的 next_cursor 作为 after "
        "传回。游标是不透明字符串，服务重启、换进程、换客户端后仍然有效：从游标继续既不漏也不"
        "重复。仍在进行中的事务所写的事件要等事务结束后才出现，且排在游标之后，不会被跳过。"
        "has_more 为 false 时已到当前末尾，间隔数秒再用 next_cursor 轮询。"
    ),
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    "application/json": {
                        "example": {
                            "items": [
                                {
                                    "id": 42,
                                    "cursor": EXAMPLE_CURSOR,
                                    "case": {"id": 7, "number": "430624122ZZ-2026-00001"},
                                    "seq": 1,
                                    "kind": "registered",
                                    "kind_label": "已登记",
                                    "occurred_at": "2026-12-03T14:05:00+08:00",
                                    "actor_name": "王芳",
                                    "org": {
                                        "id": 3,
                                        "code": "430624122ZZ",
                                        "name": "静河镇矛调中心",
                                    },
                                    "data": {"status": "registered", "channel": "walk_in"},
                                    "prev_hash": "0" * 64,
                                    "hash": "5f2c…",
                                }
                            ],
                            "next_cursor": EXAMPLE_CURSOR,
                            "has_more": False,
                        }
                    }
                }
            }
        }
    },
)
def events_list(request: HttpRequest, query: Query[FeedQuery]) -> dict[str, Any]:
    after = selectors.position_decode(query.after)
    page = selectors.event_feed_for(actor=request_actor(request), after=after, limit=query.limit)
    items = [event_entry(event, position) for event, position in page.entries]
    return {
        "items": items,
        "next_cursor": page.next_position.encode() if items else query.after,
        "has_more": page.has_more,
    }
