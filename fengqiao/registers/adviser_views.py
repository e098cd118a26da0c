"""Thin views of 一村一法律顾问: the advisers with their 考核, duty logs, the case panel that
invites them, and the invited adviser's own view of a case."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.accounts.actor import request_actor
from fengqiao.cases import selectors as case_selectors
from fengqiao.core import clock
from fengqiao.core.collation import pinyin_key
from fengqiao.core.exceptions import ApplicationError, InvalidInput, NotFound
from fengqiao.registers import advisers
from fengqiao.registers.models import CaseAdviser, DutyKind
from fengqiao.registers.selectors import regions_for_subsidies


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    year = clock.today().year
    regions = list(regions_for_subsidies(actor=actor))
    region = next((r for r in regions if r.code == request.GET.get("region")), None) or (
        regions[0] if regions else None
    )
    return render(
        request,
        "registers/advisers.html",
        {
            "advisers": advisers.advisers_for(actor=actor),
            "assessments": advisers.adviser_assessments(actor=actor, region=region, year=year)
            if region
            else [],
            "region": region,
            "year": year,
            "kinds": DutyKind.choices,
            "today": clock.today(),
        },
    )


@require_POST
def log(request: HttpRequest, adviser_id: int) -> HttpResponse:
    try:
        advisers.duty_log_add(
            actor=request_actor(request),
            adviser_id=adviser_id,
            village_code=request.POST.get("village", ""),
            day=date.fromisoformat(request.POST.get("day") or clock.today().isoformat()),
            kind=request.POST.get("kind", ""),
            count=int(request.POST.get("count") or 1),
            note=request.POST.get("note", ""),
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except InvalidInput as error:
        messages.error(request, "；".join(m for ms in error.errors.values() for m in ms))
    except ValueError:
        messages.error(request, gettext("Please correct the errors below."))
    else:
        messages.success(request, gettext("Duty recorded."))
    return redirect("registers:advisers")


@require_http_methods(["GET", "POST"])
def case_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None
    error_message, status = "", 200
    if request.method == "POST":
        try:
            advisers.adviser_invite(
                actor=actor, case_id=case.pk, adviser_id=int(request.POST.get("adviser") or 0)
            )
        except InvalidInput as error:
            error_message = "；".join(m for ms in error.errors.values() for m in ms)
            status = 422
        except ApplicationError as error:
            error_message, status = error.message, error.status_code
    village = case.place_prefix[:12]
    return render(
        request,
        "registers/_case_advisers.html",
        {
            "case": case,
            "invited": CaseAdviser.objects.filter(case=case).select_related("adviser"),
            "candidates": sorted(
                advisers.advisers_for(actor=actor).filter(villages__prefix=village),
                key=lambda a: pinyin_key(a.name),
            ),
            "error": error_message,
        },
        status=status,
    )


@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registers/my_cases.html",
        {"invitations": advisers.invitations_for(user=request_actor(request))},
    )


@require_http_methods(["GET", "POST"])
def my_case(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_actor(request)
    try:
        invitation = advisers.invitation_get(user=user, case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            advisers.adviser_opinion(
                user=user, case_id=case_id, opinion=request.POST.get("opinion", "")
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            messages.success(request, gettext("Opinion recorded."))
            return redirect("registers:my_case", case_id=case_id)
    return render(
        request,
        "registers/my_case.html",
        {"invitation": invitation, "case": invitation.case, "errors": errors},
        status=422 if errors else 200,
    )
