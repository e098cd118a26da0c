"""Case pages. Thin: parse, call one selector or service, render. Rules live in the services."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import selectors, services, workflow
from fengqiao.cases.filters import CaseFilterForm
from fengqiao.cases.forms import (
    ActionForm,
    CaseRegisterForm,
    PartyFormSet,
    apply_service_errors,
    party_drafts,
)
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import (
    InvalidInput,
    NotFound,
    PermissionDeniedError,
    TransitionBlocked,
)
from fengqiao.core.htmx import trigger_client_event


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # LoginRequiredMiddleware guarantees it  # noqa: S101
    return user


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/not_found.html", status=404)


def todo(request: HttpRequest) -> HttpResponse:
    """我的待办: open cases assigned to me or handled by my units, overdue first."""
    actor = _actor(request)
    cases = list(selectors.todo_for(actor=actor)[:200])
    mine = [c for c in cases if c.assignee_id == actor.pk]
    unit = [c for c in cases if c.assignee_id != actor.pk]
    return render(request, "cases/todo.html", {"mine": mine, "unit": unit})


def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, actor=_actor(request))
    cases = selectors.case_list_for(actor=_actor(request))
    status = 200
    if form.is_bound:
        if form.is_valid():
            cases = selectors.case_list_for(actor=_actor(request), filters=form.to_filters())
        else:
            cases, status = Case.objects.none(), 400
    page = Paginator(cases, settings.FENGQIAO_CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = (
        "cases/_table.html"
        if getattr(request, "htmx", None) and request.htmx.target == "case-table"  # type: ignore[attr-defined]
        else "cases/list.html"
    )
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def case_register(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = CaseRegisterForm(request.POST or None, actor=actor)
    parties = PartyFormSet(
        request.POST or None,
        prefix="parties",
        initial=None if request.POST else [{"role": "applicant"}, {"role": "respondent"}],
    )
    if request.method == "POST":
        if form.is_valid() and parties.is_valid():
            try:
                case = services.case_register(
                    actor=actor, draft=form.to_draft(party_drafts(parties))
                )
            except InvalidInput as exc:
                apply_service_errors(exc.errors, form, parties)
            else:
                messages.success(
                    request, gettext("Registered as {number}.").format(number=case.number)
                )
                return redirect("cases:detail", case_id=case.pk)
        return render(
            request, "cases/register.html", {"form": form, "parties": parties}, status=422
        )
    return render(request, "cases/register.html", {"form": form, "parties": parties})


def _detail_context(
    request: HttpRequest, case: Case, forms: dict[str, ActionForm] | None = None
) -> dict[str, Any]:
    actor = _actor(request)
    actions = []
    for transition, reasons in workflow.available(case, actor=actor):
        form = (forms or {}).get(transition.name) or ActionForm(
            transition=transition, case=case, actor=actor
        )
        actions.append({"transition": transition, "reasons": reasons, "form": form})
    return {
        "case": case,
        "parties": list(case.parties.all()),
        "can_reveal": access.can(actor, Capability.PII_UNMASK, prefix=case.handling_prefix),
        "events": list(selectors.case_events_for(actor=actor, case=case)),
        "actions": actions,
    }


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = selectors.case_get_for(actor=_actor(request), case_id=case_id)
    except NotFound:
        return _not_found(request)
    return render(request, "cases/detail.html", _detail_context(request, case))


def case_timeline(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = selectors.case_get_for(actor=_actor(request), case_id=case_id)
    except NotFound:
        return _not_found(request)
    return render(request, "cases/_case_body.html", _detail_context(request, case))


@require_POST
def case_transition(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    """Fire one workflow action and re-render the case body (header, actions, timeline)."""
    actor = _actor(request)
    try:
        case = selectors.case_get_for(actor=actor, case_id=case_id)
        transition = workflow.get(name)
    except NotFound:
        return _not_found(request)
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
            return _not_found(request)
        except TransitionBlocked as exc:
            status, blocked = 409, exc.reasons
        except InvalidInput as exc:
            status = 422
            for field, field_messages in exc.errors.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            context = _detail_context(request, case)
            context["done"] = transition.label
            response = render(request, "cases/_case_body.html", context)
            return trigger_client_event(response, "case-changed")
    context = _detail_context(request, case, {name: form})
    context.update({"failed": name, "blocked": blocked})
    return render(request, "cases/_case_body.html", context, status=status)


@require_POST
def party_reveal(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    """Show one party's unmasked ID number and phone, for a stated reason (audited)."""
    reason = request.POST.get("reason", "")
    try:
        shown = services.party_reveal(
            actor=_actor(request), case_id=case_id, party_id=party_id, reason=reason
        )
    except NotFound:
        return _not_found(request)
    except PermissionDeniedError as exc:
        return render(
            request, "cases/_reveal.html", {"error": exc.message, "party_id": party_id}, status=403
        )
    except InvalidInput as exc:
        return render(
            request, "cases/_reveal.html", {"error": exc.message, "party_id": party_id}, status=422
        )
    return render(request, "cases/_reveal.html", {"shown": shown, "party_id": party_id})
