"""Case pages. Thin: parse, call one selector or service, render. Rules live in the services."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.roles import Capability
from fengqiao.cases import (
    ledger,
    panels,
    particulars,
    party_services,
    selectors,
    services,
    workflow,
)
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.filters import CaseFilterForm
from fengqiao.cases.forms import (
    ActionForm,
    ParticularsForm,
    subcategory_choices,
)
from fengqiao.cases.models import Case, Party
from fengqiao.cases.responses import case_not_found
from fengqiao.core.exceptions import (
    InvalidInput,
    NotFound,
    PermissionDeniedError,
    TransitionBlocked,
)
from fengqiao.core.form_errors import form_error_status
from fengqiao.core.htmx import trigger_client_event
from fengqiao.core.paging import CappedPaginator, capped_count

TODO_PREVIEW_ROWS = 10


@dataclass(frozen=True, slots=True)
class QueueView:
    queue: selectors.TodoQueue
    label: str
    count: int
    capped: bool
    cases: list[Case]


def _queue_label(queue: selectors.TodoQueue) -> str:
    return {
        selectors.TodoQueue.TRANSFERS: gettext("Waiting for me to receive"),
        selectors.TodoQueue.LED: gettext("Cases I lead (包案)"),
        selectors.TodoQueue.MINE: gettext("Assigned to me"),
        selectors.TodoQueue.OVERDUE: gettext("Overdue"),
        selectors.TodoQueue.DUE_SOON: gettext("Due soon"),
        selectors.TodoQueue.UNIT: gettext("My unit"),
    }[queue]


def todo(request: HttpRequest) -> HttpResponse:
    """我的待办: every queue with its count and its first rows; ``?queue=`` pages one whole."""
    actor = request_actor(request)
    chosen = request.GET.get("queue", "")
    if chosen in selectors.TodoQueue.__members__.values():
        queue = selectors.TodoQueue(chosen)
        page = CappedPaginator(
            selectors.todo_queue_for(actor=actor, queue=queue), settings.FENGQIAO_CASES_PER_PAGE
        ).get_page(request.GET.get("page"))
        context = {"queue": queue, "label": _queue_label(queue), "page": page}
        return render(request, "cases/todo_queue.html", context)
    queues = []
    for queue in selectors.TodoQueue:
        cases = selectors.todo_queue_for(actor=actor, queue=queue)
        count, capped = capped_count(cases)
        if queue in OPTIONAL_QUEUES and not count:
            continue  # not everyone receives transfers or leads cases
        rows = list(cases[:TODO_PREVIEW_ROWS]) if count else []
        queues.append(QueueView(queue, _queue_label(queue), count, capped, rows))
    return render(request, "cases/todo.html", {"queues": queues})


OPTIONAL_QUEUES = frozenset({selectors.TodoQueue.TRANSFERS, selectors.TodoQueue.LED})


def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, actor=request_actor(request))
    cases = selectors.case_list_for(actor=request_actor(request))
    status = 200
    if form.is_bound:
        if form.is_valid():
            cases = selectors.case_list_for(actor=request_actor(request), filters=form.to_filters())
        else:
            cases, status = Case.objects.none(), 400
    page = CappedPaginator(cases, settings.FENGQIAO_CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    # htmx filtering selects #case-list (the form with its errors, and the table) from the page
    return render(request, "cases/list.html", context, status=status)


def subcategories(request: HttpRequest) -> HttpResponse:
    """The <option>s of the subcategory select for the chosen category (htmx)."""
    choices = subcategory_choices(request.GET.get("category", ""))
    return render(request, "cases/_subcategory_options.html", {"choices": choices})


def _actions_context(
    request: HttpRequest, case: Case, forms: dict[str, ActionForm] | None = None
) -> dict[str, Any]:
    actor = request_actor(request)
    actions, others = [], []
    for transition, reasons in workflow.available(case, actor=actor):
        if not workflow.permitted(transition, case=case, actor=actor):
            # Another post's action: named once under one folded line, never a greyed button.
            others.append(transition)
            continue
        form = (forms or {}).get(transition.name) or ActionForm(
            transition=transition, case=case, actor=actor
        )
        actions.append({"transition": transition, "reasons": reasons, "form": form})
    return {"case": case, "actions": actions, "others": others}


def _timeline_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The timeline; with ``?verify=1`` each event's hash and the chain checked now (the hashes
    are for checking, not for reading the case: issue #21)."""
    verify = request.GET.get("verify") == "1"
    return {
        "case": case,
        "events": list(selectors.case_events_for(actor=request_actor(request), case=case)),
        "verify": verify,
        "broken": list(ledger.verify([case.pk])) if verify else [],
    }


def _case_or_404(request: HttpRequest, case_id: int) -> Case | None:
    try:
        return selectors.case_get_for(actor=request_actor(request), case_id=case_id)
    except NotFound:
        return None


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page: header, masked parties, the action panel and the timeline."""
    case = _case_or_404(request, case_id)
    if case is None:
        return case_not_found(request)
    context = {
        **_actions_context(request, case),
        **_timeline_context(request, case),
        "panels": panels.all_panels(),
        **_parties_context(request, case),
    }
    return render(request, "cases/detail.html", context)


@dataclass(frozen=True, slots=True)
class PartyRow:
    party: Party
    missing: list[str]  # labels of the particulars still lacking
    form: ParticularsForm | None  # None when the actor may not complete particulars


def _parties_context(
    request: HttpRequest, case: Case, bound: ParticularsForm | None = None
) -> dict[str, Any]:
    actor = request_actor(request)
    editable = case.is_open and access.can(
        actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix
    )
    rows = []
    for party in case.parties.all():
        form = None
        if editable and not party.anonymised_at:
            form = bound if bound is not None and bound.party.pk == party.pk else None
            form = form or ParticularsForm(party=party)
        lacking = [particulars.label(code, party.kind) for code in particulars.missing(party)]
        rows.append(PartyRow(party, lacking, form))
    return {
        "case": case,
        "party_rows": rows,
        # 调解开始后须补齐 (not at intake): the lack is pointed out from acceptance on
        "particulars_due": case.status != CaseStatus.REGISTERED,
        "can_reveal": access.can(actor, Capability.PII_UNMASK, prefix=case.handling_prefix),
    }


def case_header(request: HttpRequest, case_id: int) -> HttpResponse:
    """The header panel alone (status, handling organisation, deadline), refreshed on change."""
    case = _case_or_404(request, case_id)
    if case is None:
        return case_not_found(request)
    return render(request, "cases/_header.html", {"case": case})


def case_timeline(request: HttpRequest, case_id: int) -> HttpResponse:
    """The timeline panel alone, refreshed when the case changes."""
    case = _case_or_404(request, case_id)
    if case is None:
        return case_not_found(request)
    return render(request, "cases/_timeline.html", _timeline_context(request, case))


def case_actions(request: HttpRequest, case_id: int) -> HttpResponse:
    """The action panel alone: what the actor may do now, and why not for the rest."""
    case = _case_or_404(request, case_id)
    if case is None:
        return case_not_found(request)
    return render(request, "cases/_actions.html", _actions_context(request, case))


@require_POST
def case_transition(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    """Fire one workflow action and re-render the action panel: 200 and ``case-changed`` (the
    header and timeline refresh themselves), 409 with the reasons, 422 with field errors."""
    actor = request_actor(request)
    try:
        case = selectors.case_get_for(actor=actor, case_id=case_id)
        transition = workflow.get(name)
    except NotFound:
        return case_not_found(request)
    form = ActionForm(request.POST, transition=transition, case=case, actor=actor)
    blocked: list[str] | None = None
    if not form.is_valid():
        status = 422
    else:
        try:
            case = services.case_transition(
                actor=actor, case_id=case_id, name=name, action=form.to_action()
            )
        except NotFound:
            return case_not_found(request)
        except TransitionBlocked as exc:
            status, blocked = 409, exc.reasons
            # The page was stale (someone else acted, or a rule now blocks): show the case as it is.
            case = _case_or_404(request, case_id) or case
        except InvalidInput as exc:
            status = form_error_status(form, exc)
        else:
            context = {**_actions_context(request, case), "done": transition.label}
            response = render(request, "cases/_actions.html", context)
            return trigger_client_event(response, "case-changed")
    context = {
        **_actions_context(request, case, {name: form}),
        "failed": name,
        "blocked": blocked,
    }
    response = render(request, "cases/_actions.html", context, status=status)
    return trigger_client_event(response, "case-changed") if blocked else response


@require_POST
def party_particulars(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    """Record a party's particulars and re-render the parties card (422 with field errors)."""
    case = _case_or_404(request, case_id)
    party = case.parties.filter(pk=party_id).first() if case is not None else None
    if case is None or party is None:
        return case_not_found(request)
    form = ParticularsForm(request.POST, party=party)
    status = 422
    if form.is_valid():
        try:
            party_services.party_particulars_record(
                actor=request_actor(request),
                case_id=case.pk,
                party_id=party.pk,
                draft=form.to_draft(),
            )
        except NotFound:
            return case_not_found(request)
        except (PermissionDeniedError, InvalidInput) as exc:
            status = form_error_status(form, exc)
        else:
            context = {**_parties_context(request, case), "saved": party.pk}
            return render(request, "cases/_parties.html", context)
    context = _parties_context(request, case, bound=form)
    return render(request, "cases/_parties.html", context, status=status)


@require_POST
def party_reveal(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    """Show one party's unmasked ID number and phone, for a stated reason (audited)."""
    reason = request.POST.get("reason", "")
    try:
        shown = services.party_reveal(
            actor=request_actor(request), case_id=case_id, party_id=party_id, reason=reason
        )
    except NotFound:
        return case_not_found(request)
    except PermissionDeniedError as exc:
        return render(
            request, "cases/_reveal.html", {"error": exc.message, "party_id": party_id}, status=403
        )
    except InvalidInput as exc:
        return render(
            request, "cases/_reveal.html", {"error": exc.message, "party_id": party_id}, status=422
        )
    return render(request, "cases/_reveal.html", {"shown": shown, "party_id": party_id})
