"""Duplicate candidates (三源合一) on the register page and the case page, and the 关联 / 合并
actions offered next to each candidate."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.roles import Capability
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases import services as case_services
from fengqiao.cases.choices import Action
from fengqiao.cases.services import ActionInput, CaseDraft, PartyDraft
from fengqiao.core.exceptions import (
    InvalidInput,
    NotFound,
    PermissionDeniedError,
    TransitionBlocked,
)
from fengqiao.core.htmx import trigger_client_event
from fengqiao.intake import duplicates

MAX_PARTIES = 50


def _draft_from_post(request: HttpRequest) -> CaseDraft:
    """The register form as typed so far (nothing validated: only what the check compares)."""
    data = request.POST
    parties = []
    try:
        total = min(int(data.get("parties-TOTAL_FORMS", "0")), MAX_PARTIES)
    except ValueError:
        total = 0
    for index in range(total):
        prefix = f"parties-{index}-"
        parties.append(
            PartyDraft(
                role=data.get(prefix + "role", ""),
                name=data.get(prefix + "name", "")[:100],
                id_number=data.get(prefix + "id_number", "")[:18],
                phone=data.get(prefix + "phone", "")[:20],
                region=data.get(prefix + "region", "")[:12],
            )
        )
    return CaseDraft(
        org_id=0,
        title=data.get("title", "")[:200],
        description=data.get("description", "")[:5000],
        channel=data.get("channel", ""),
        category=data.get("category", ""),
        region=data.get("region", "")[:12],
        parties=tuple(parties),
    )


@require_POST
def draft_candidates(request: HttpRequest) -> HttpResponse:
    """The register page's fragment, refreshed while the clerk types."""
    actor = request_actor(request)
    draft = _draft_from_post(request)
    candidates = duplicates.candidates_for_draft(draft, actor=actor)
    return render(request, "intake/_duplicates_draft.html", {"candidates": candidates})


def _panel(
    request: HttpRequest, case_id: int, *, status: int = 200, **extra: object
) -> HttpResponse:
    actor = request_actor(request)
    try:
        case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    except NotFound:
        return render(request, "cases/_not_found.html", status=404)
    can_link = access.can(actor, Capability.CASE_ACCEPT, prefix=case.handling_prefix)
    context = {
        "case": case,
        "candidates": duplicates.candidates_for_case(case, actor=actor),
        "linked": duplicates.links_for_case(case, actor=actor),
        "can_act": can_link and case.is_open and case.merged_into_id is None,
        **extra,
    }
    return render(request, "intake/_duplicates_panel.html", context, status=status)


def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    return _panel(request, case_id)


@require_POST
def link(request: HttpRequest, case_id: int, other_id: int) -> HttpResponse:
    """关联 two cases; the timelines of both show it."""
    try:
        duplicates.case_link_duplicate(
            actor=request_actor(request), case_id=case_id, other_id=other_id
        )
    except NotFound:
        return render(request, "cases/_not_found.html", status=404)
    except PermissionDeniedError as exc:
        return _panel(request, case_id, status=403, error=exc.message)
    except InvalidInput as exc:
        return _panel(request, case_id, status=422, error=exc.message)
    response = _panel(request, case_id, done=gettext("Linked."))
    return trigger_client_event(response, "case-changed")


@require_POST
def merge(request: HttpRequest, case_id: int, other_id: int) -> HttpResponse:
    """合并: this case goes into the other one through the workflow's ``merge`` action."""
    actor = request_actor(request)
    try:
        other = case_selectors.case_get_for(actor=actor, case_id=other_id)
        case_services.case_transition(
            actor=actor,
            case_id=case_id,
            name=Action.MERGE,
            action=ActionInput(
                merge_into=other.number,
                note=request.POST.get("note", "")[:2000]
                or gettext("Same dispute as %(number)s (三源合一).") % {"number": other.number},
            ),
        )
    except NotFound:
        return render(request, "cases/_not_found.html", status=404)
    except TransitionBlocked as exc:
        return _panel(request, case_id, status=409, error="；".join(exc.reasons))
    except InvalidInput as exc:
        messages = [m for ms in exc.errors.values() for m in ms] or [exc.message]
        return _panel(request, case_id, status=422, error="；".join(messages))
    response = _panel(request, case_id, done=gettext("Merged."))
    return trigger_client_event(response, "case-changed")
