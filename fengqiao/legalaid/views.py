"""Thin views of legal aid: the citizen's check on the portal, the case panel that refers, and
the centre's inbox where it answers."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.accounts.actor import request_actor
from fengqiao.cases import selectors as case_selectors
from fengqiao.core.exceptions import ApplicationError, InvalidInput, NotFound
from fengqiao.core.form_errors import form_error_status
from fengqiao.legalaid import forms, selectors, services
from fengqiao.legalaid.eligibility import assess
from fengqiao.privacy import selectors as privacy_selectors
from fengqiao.privacy.services import ConsentInput
from fengqiao.regions.models import Region


def _form_with(error: InvalidInput, data: Any) -> forms.EligibilityForm:
    form = forms.EligibilityForm(data)
    form.is_valid()
    form_error_status(form, error)
    return form


@login_not_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    region_code = (data or request.GET).get("region", "")
    region = Region.objects.filter(code=region_code).first() if region_code else None
    context: dict[str, Any] = {
        "form": forms.EligibilityForm(data),
        "centres": selectors.centres_for(region),
        "region": region,
        "values": data or {},
        "notice": privacy_selectors.notice_current(),
        "ticked": frozenset(data.getlist("consent")) if data is not None else frozenset(),
    }
    if data is None:
        return render(request, "legalaid/check.html", context)
    try:
        answers = services.answers_parse(data.dict())
    except InvalidInput as error:
        context["form"] = _form_with(error, data)
        return render(request, "legalaid/check.html", context, status=422)
    context["assessment"] = assess(answers, standard=selectors.standard_for(region))
    if "send" in data:
        try:
            centre_id = int(data.get("centre") or 0)
            context["sent"] = services.referral_from_portal(
                centre_id=centre_id,
                answers=answers,
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                region=region,
                consent=ConsentInput.from_form(
                    data.get("notice_version", ""), data.getlist("consent")
                ),
            )
        except InvalidInput as error:
            context["errors"] = error.errors
            return render(request, "legalaid/check.html", context, status=422)
    return render(request, "legalaid/check.html", context)


@require_http_methods(["GET", "POST"])
def case_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None
    form = forms.EligibilityForm(request.POST or None)
    error_message, status = "", 200
    if request.method == "POST":
        try:
            services.referral_from_case(
                actor=actor,
                case_id=case.pk,
                centre_id=int(request.POST.get("centre") or 0),
                answers=services.answers_parse(request.POST.dict()),
            )
            form = forms.EligibilityForm()
        except InvalidInput as error:
            form = _form_with(error, request.POST)
            error_message = "；".join(m for ms in error.errors.values() for m in ms)
            status = 422
        except ApplicationError as error:
            error_message, status = error.message, error.status_code
    return render(
        request,
        "legalaid/_case_panel.html",
        {
            "case": case,
            "referrals": selectors.referrals_of(case=case),
            "centres": selectors.centres_for(case.region),
            "form": form,
            "error": error_message,
        },
        status=status,
    )


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    referrals = selectors.inbox_for(actor=request_actor(request))[:200]
    return render(request, "legalaid/inbox.html", {"referrals": referrals})


@require_http_methods(["GET", "POST"])
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        found = selectors.referral_get_for_centre(actor=actor, referral_id=referral_id)
    except NotFound as error:
        raise Http404(error.message) from None
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            services.referral_answer(
                actor=actor,
                referral_id=found.pk,
                granted=request.POST.get("decision") == "grant",
                note=request.POST.get("note", ""),
            )
        except InvalidInput as error:
            errors, status = error.errors, 422
        except ApplicationError as error:
            errors, status = {"form": [error.message]}, error.status_code
        else:
            return redirect("legalaid:referral", referral_id=found.pk)
    return render(
        request, "legalaid/referral.html", {"referral": found, "errors": errors}, status=status
    )


@require_POST
def phone(request: HttpRequest, referral_id: int) -> HttpResponse:
    try:
        number = services.referral_phone(actor=request_actor(request), referral_id=referral_id)
    except NotFound as error:
        raise Http404(error.message) from None
    return HttpResponse(number)
