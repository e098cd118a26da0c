"""``POST /api/v1/cases``: an account's own systems register a dispute through the one intake
path. The operation sits on the cases router (``fengqiao/api.py`` adds it there), so the case
collection keeps one URL for reading and registering."""

from typing import Any

from django.http import HttpRequest
from ninja import Status

from fengqiao.accounts.actor import request_actor
from fengqiao.cases import selectors
from fengqiao.cases.api import CaseDetailOut, CaseIn, detail_out
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.core.api import ERRORS
from fengqiao.intake.pipeline import register_dispute

OPERATION: dict[str, Any] = {
    "response": {201: CaseDetailOut, **ERRORS},
    "operation_id": "cases_create",
    "summary": "登记纠纷",
    "description": (
        "与登记页面同一受理流程：分类（未填类别时）、登记规则校验、分流、风险研判、"
        "三源合一关联。校验失败时返回 422 及逐字段的中文错误，不写入任何内容。"
    ),
}


def cases_create(request: HttpRequest, payload: CaseIn) -> Status:
    data = payload.model_dump()
    parties = tuple(PartyDraft(**party) for party in data.pop("parties"))
    actor = request_actor(request)
    case = register_dispute(actor=actor, draft=CaseDraft(parties=parties, **data)).case
    case = selectors.case_get_for(actor=actor, case_id=case.pk)
    return Status(201, detail_out(case, actor))
