"""Thin views of 心理服务: the case panel (shown in full only to those who need it) and the
register of counselling rooms and counsellors."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from fengqiao.accounts.actor import request_actor
from fengqiao.core.collation import pinyin_key
from fengqiao.core.exceptions import ApplicationError, InvalidInput, NotFound
from fengqiao.wellbeing import selectors, services
from fengqiao.wellbeing.models import CrisisLevel


@require_http_methods(["GET", "POST"])
def case_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        case = selectors.case_for(actor=actor, case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "crisis":
                services.crisis_raise(
                    actor=actor,
                    case_id=case.pk,
                    level=request.POST.get("level", ""),
                    description=request.POST.get("description", ""),
                )
            else:
                services.referral_make(
                    actor=actor,
                    case_id=case.pk,
                    counsellor_id=int(request.POST.get("counsellor") or 0),
                    person_name=request.POST.get("person_name", ""),
                    reason=request.POST.get("reason", ""),
                    consent_how=request.POST.get("consent_how", ""),
                )
        except NotFound as error:
            raise Http404(error.message) from None
        except InvalidInput as error:
            errors, status = error.errors, 422
        except ApplicationError as error:
            errors, status = {"form": [error.message]}, error.status_code
    may_see = selectors.may_see(actor, case)
    context = {
        "case": case,
        "may_see": may_see,
        "referrals": selectors.referrals_of(case) if may_see else [],
        "alerts": selectors.alerts_of(case) if may_see else [],
        "counsellors": sorted(selectors.counsellors_for(case), key=lambda c: pinyin_key(c.name)),
        "levels": CrisisLevel.choices,
        "errors": errors,
    }
    return render(request, "wellbeing/_case_panel.html", context, status=status)


@require_GET
def rooms(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "wellbeing/rooms.html",
        {"rooms": selectors.rooms_for(actor=request_actor(request))},
    )
