"""Thin views: the village registers, mediators' ratings and the month's subsidy statement."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.models import User
from fengqiao.core import clock, spreadsheet
from fengqiao.core.exceptions import ApplicationError, InvalidInput
from fengqiao.registers import selectors, services
from fengqiao.registers.models import PersonRole
from fengqiao.registers.subsidies import subsidy_statement


@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {
            k: request.POST.get(k, "").strip()
            for k in ("role", "name", "village", "duties", "phone")
        }
        try:
            services.person_add(
                actor=actor,
                draft=services.PersonDraft(
                    role=values["role"],
                    name=values["name"],
                    village_code=values["village"],
                    duties=values["duties"],
                    phone=values["phone"],
                ),
            )
        except InvalidInput as error:
            errors, status = error.errors, 422
        except ApplicationError as error:
            errors, status = {"village": [error.message]}, error.status_code
        else:
            messages.success(request, gettext("Added to the register."))
            return redirect("registers:people")
    role = request.GET.get("role", "")
    context: dict[str, Any] = {
        "people": selectors.people_list_for(actor=actor, role=role)[:500],
        "roles": PersonRole.choices,
        "role": role,
        "errors": errors,
        "values": values,
    }
    return render(request, "registers/people.html", context, status=status)


def _period(request: HttpRequest) -> tuple[int, int]:
    today = clock.today()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET.get("month") or today.month)
    except ValueError:
        raise Http404 from None
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return year, month


@require_GET
def subsidies(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    year, month = _period(request)
    regions = list(selectors.regions_for_subsidies(actor=actor))
    code = request.GET.get("region") or (regions[0].code if regions else "")
    region = next((r for r in regions if r.code == code), None)
    if region is None and code and regions:
        raise Http404
    if region is not None and request.GET.get("format") == "xlsx":
        content = services.subsidy_export(actor=actor, region=region, year=year, month=month)
        return spreadsheet.attachment(content, f"{region.name}{year}年{month}月补贴.xlsx")
    lines = subsidy_statement(actor=actor, region=region, year=year, month=month) if region else []
    return render(
        request,
        "registers/subsidies.html",
        {
            "regions": regions,
            "region": region,
            "year": year,
            "month": month,
            "lines": lines,
            "ratings": selectors.ratings_for(actor=actor, year=year),
        },
    )


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    mediator = User.objects.filter(username=request.POST.get("mediator", "")).first()
    try:
        if mediator is None:
            raise InvalidInput(
                gettext("Please correct the errors below."),
                errors={"mediator": [gettext("Choose a mediator of your jurisdiction.")]},
            )
        services.rating_set(
            actor=actor,
            mediator=mediator,
            year=int(request.POST.get("year") or clock.today().year),
            stars=int(request.POST.get("stars") or 0),
            is_gold=request.POST.get("is_gold") == "on",
        )
    except (InvalidInput, ValueError) as error:
        text = (
            "；".join(m for ms in error.errors.values() for m in ms)
            if isinstance(error, InvalidInput)
            else gettext("Please correct the errors below.")
        )
        messages.error(request, text)
    else:
        messages.success(request, gettext("Rating saved."))
    return redirect("registers:subsidies")
