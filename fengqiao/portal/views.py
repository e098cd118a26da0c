"""The citizen portal (no account: ``login_not_required``) and the staff side of evidence: a
case panel listing the files with the grid report's location, and the audited download.

Every form that sends personal information shows the privacy notice in force and its consent
boxes; the citizen's own consents are listed, and withdrawn, after an SMS code."""

import time
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.accounts.actor import request_actor
from fengqiao.cases import attachments
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.models import Attachment
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.core.middleware import client_address
from fengqiao.intake.models import IntakeSubmission
from fengqiao.portal import selectors, services
from fengqiao.portal.models import CodePurpose, PortalApplication, SatisfactionChoice
from fengqiao.privacy import selectors as privacy_selectors
from fengqiao.privacy import services as privacy
from fengqiao.privacy.services import ConsentInput
from fengqiao.selfhelp import selectors as selfhelp_selectors
from fengqiao.selfhelp.choices import RunStatus

SESSION_KEY = "portal_tracking"
CONSENTS_SESSION_KEY = "portal_consents"
TRACKING_SESSION_SECONDS = 30 * 60
APPLY_FIELDS = (
    "token",
    "township",
    "village",
    "what_happened",
    "request",
    "other_party_name",
    "other_party_phone",
    "name",
    "phone",
    "id_number",
    "code",
)


def _ip(request: HttpRequest) -> str | None:
    return client_address(request)


def _consent(request: HttpRequest) -> ConsentInput:
    """The notice version the form showed and the consent boxes ticked."""
    return ConsentInput.from_form(
        request.POST.get("notice_version", ""), request.POST.getlist("consent")
    )


def _apply_context(
    values: dict[str, str], errors: dict[str, list[str]], ticked: frozenset[str] = frozenset()
) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "notice": privacy_selectors.notice_current(),
        "ticked": ticked,
        "form_token": services.tracking_code_sign(values.get("token", "")),
        "townships": selectors.townships_open(),
        "villages": selectors.villages_of(values.get("township", "")),
    }


def _selfhelp_prefill(token: str) -> dict[str, str]:
    """The answers of a self-help run that ended at the application (and only such a run)."""
    if not token:
        return {}
    try:
        run = selfhelp_selectors.run_get(token=token)
    except NotFound:
        return {}
    if run.status != RunStatus.APPLIED:
        return {}
    return selfhelp_selectors.application_prefill(run)


@login_not_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # The tracking code is made when the form is shown and travels in a hidden field, so a
        # submit retried after a network error registers nothing twice.
        values = {"token": services.tracking_code_new()}
        values.update(_selfhelp_prefill(request.GET.get("selfhelp", "")))
        return render(request, "portal/apply.html", _apply_context(values, {}))
    values = {name: request.POST.get(name, "").strip() for name in APPLY_FIELDS}
    values["token"] = services.tracking_code_from_form(values["token"])
    consent = _consent(request)
    data = services.Application(**values, consent=consent)
    try:
        submitted = services.application_submit(
            data=data, uploads=request.FILES.getlist("files"), ip_address=_ip(request)
        )
    except InvalidInput as error:
        values["code"] = ""
        context = _apply_context(values, error.errors, consent.purposes)
        return render(request, "portal/apply.html", context, status=422)
    _grant(request, submitted.application)
    return render(
        request,
        "portal/submitted.html",
        {"application": submitted.application, "created": submitted.created},
    )


@login_not_required
@require_POST
def send_code(request: HttpRequest) -> HttpResponse:
    purpose = request.POST.get("purpose", CodePurpose.APPLY)
    if purpose not in CodePurpose.values:
        purpose = CodePurpose.APPLY
    try:
        services.code_send(
            phone=request.POST.get("phone", ""),
            purpose=purpose,
            ip_address=_ip(request),
            consent=_consent(request),
        )
    except InvalidInput as error:
        messages = [m for field in error.errors.values() for m in field]
        message = "；".join(messages or [error.message])
        return render(request, "portal/_code_sent.html", {"error": message}, status=422)
    except services.TooManyRequests as error:
        return render(request, "portal/_code_sent.html", {"error": error.message}, status=429)
    return render(request, "portal/_code_sent.html", {"sent": True})


@login_not_required
@require_GET
def villages(request: HttpRequest) -> HttpResponse:
    found = selectors.villages_of(request.GET.get("township", ""))
    return render(request, "portal/_villages.html", {"villages": found})


def _grant(request: HttpRequest, application: PortalApplication) -> None:
    granted = dict(request.session.get(SESSION_KEY, {}))
    granted[application.tracking_code] = time.time() + TRACKING_SESSION_SECONDS
    request.session[SESSION_KEY] = granted


def _granted(request: HttpRequest, tracking_code: str) -> PortalApplication:
    until = request.session.get(SESSION_KEY, {}).get(tracking_code)
    if until is None or until < time.time():
        raise NotFound(gettext("No application matches this tracking code and phone number."))
    application = (
        PortalApplication.objects.select_related("case", "case__handling_org")
        .filter(tracking_code=tracking_code)
        .first()
    )
    if application is None:
        raise NotFound(gettext("No application matches this tracking code and phone number."))
    return application


@login_not_required
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    values = {name: request.POST.get(name, "").strip() for name in ("tracking_code", "phone")}
    if request.method == "GET":
        values["tracking_code"] = request.GET.get("code", "")
        return render(request, "portal/track.html", {"values": values, "errors": {}})
    errors: dict[str, list[str]] = {}
    try:
        # The code first: without the phone in hand nobody learns whether a tracking code and
        # a phone number belong together.
        services.code_verify(
            phone=values["phone"], purpose=CodePurpose.TRACK, code=request.POST.get("code", "")
        )
        application = services.application_for_tracking(
            tracking_code=values["tracking_code"], phone=values["phone"]
        )
    except NotFound as error:
        errors = {"tracking_code": [error.message]}
    except InvalidInput as error:
        errors = error.errors
    if errors:
        return render(
            request, "portal/track.html", {"values": values, "errors": errors}, status=422
        )
    _grant(request, application)
    return redirect("portal:progress", tracking_code=application.tracking_code)


def _progress_context(application: PortalApplication, **extra: Any) -> dict[str, Any]:
    rating = getattr(application, "rating", None) if hasattr(application, "rating") else None
    index = application.phone_index
    return {
        "application": application,
        "progress": selectors.progress_for(application.case),
        "rating": rating,
        "choices": SatisfactionChoice.choices,
        "errors": {},
        "notice": privacy_selectors.notice_current(),
        "ticked": frozenset(),
        # the consent boxes each form shows: only those without a current consent
        "evidence_consents": selectors.consents_missing(index, services.EVIDENCE_CONSENTS),
        "rating_consents": selectors.consents_missing(index, services.RATING_CONSENTS),
        **extra,
    }


@login_not_required
@require_GET
def progress(request: HttpRequest, tracking_code: str) -> HttpResponse:
    try:
        application = _granted(request, tracking_code)
    except NotFound:
        return redirect(reverse("portal:track") + f"?code={quote(tracking_code)}")
    return render(request, "portal/progress.html", _progress_context(application))


@login_not_required
@require_POST
def add_evidence(request: HttpRequest, tracking_code: str) -> HttpResponse:
    try:
        application = _granted(request, tracking_code)
    except NotFound:
        return redirect(reverse("portal:track") + f"?code={quote(tracking_code)}")
    consent = _consent(request)
    try:
        count = services.evidence_add(
            application=application, uploads=request.FILES.getlist("files"), consent=consent
        )
    except InvalidInput as error:
        context = _progress_context(application, errors=error.errors, ticked=consent.purposes)
        return render(request, "portal/progress.html", context, status=422)
    context = _progress_context(application, notice=gettext("{n} file(s) added.").format(n=count))
    return render(request, "portal/progress.html", context)


@login_not_required
@require_POST
def rate(request: HttpRequest, tracking_code: str) -> HttpResponse:
    try:
        application = _granted(request, tracking_code)
    except NotFound:
        return redirect(reverse("portal:track") + f"?code={quote(tracking_code)}")
    consent = _consent(request)
    try:
        services.rating_submit(
            application=application,
            rating=request.POST.get("rating", ""),
            comment=request.POST.get("comment", ""),
            consent=consent,
        )
    except InvalidInput as error:
        context = _progress_context(application, errors=error.errors, ticked=consent.purposes)
        return render(request, "portal/progress.html", context, status=422)
    application.refresh_from_db()
    context = _progress_context(application, notice=gettext("Thank you for your rating."))
    return render(request, "portal/progress.html", context)


# The privacy notice and the citizen's consents ---------------------------------------------


@login_not_required
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html", {"notice": privacy_selectors.notice_current()})


def _consents_phone(request: HttpRequest) -> str:
    """The blind index of the phone verified for the consents page, while the grant lasts."""
    grant = request.session.get(CONSENTS_SESSION_KEY) or {}
    if not grant or grant.get("until", 0) < time.time():
        return ""
    return str(grant.get("index", ""))


@login_not_required
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest) -> HttpResponse:
    """Sign in to one's consents with the phone and an SMS code."""
    values = {"phone": request.POST.get("phone", "").strip()}
    if request.method == "GET":
        return render(request, "portal/consents_sign_in.html", {"values": values, "errors": {}})
    try:
        index = services.consents_sign_in(phone=values["phone"], code=request.POST.get("code", ""))
    except InvalidInput as error:
        context = {"values": values, "errors": error.errors}
        return render(request, "portal/consents_sign_in.html", context, status=422)
    request.session[CONSENTS_SESSION_KEY] = {
        "index": index,
        "until": time.time() + TRACKING_SESSION_SECONDS,
    }
    return redirect("portal:consents_mine")


def _consents_page(request: HttpRequest, index: str, **extra: Any) -> HttpResponse:
    status = extra.pop("status", 200)
    context = {"rows": privacy_selectors.consents_of(phone_idx=index), **extra}
    return render(request, "portal/consents.html", context, status=status)


@login_not_required
@require_GET
def consents_mine(request: HttpRequest) -> HttpResponse:
    index = _consents_phone(request)
    if not index:
        return redirect("portal:consents")
    return _consents_page(request, index)


@login_not_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    index = _consents_phone(request)
    if not index:
        return redirect("portal:consents")
    try:
        row = privacy.consent_withdraw(phone_idx=index, consent_id=consent_id)
    except NotFound as error:
        return _consents_page(request, index, error=error.message, status=404)
    return _consents_page(request, index, withdrawn=row)


# Staff side ---------------------------------------------------------------------------------


@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    try:
        attachment = attachments.attachment_get_for_download(
            actor=request_actor(request), attachment_id=attachment_id
        )
    except NotFound as error:
        raise Http404(error.message) from None
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def evidence_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = case_selectors.case_get_for(actor=request_actor(request), case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None
    files = Attachment.objects.filter(case=case).order_by("uploaded_at", "id")
    location = None
    submission = IntakeSubmission.objects.filter(case=case, channel="grid").order_by("id").first()
    if submission is not None:
        payload = submission.payload()
        if payload.get("latitude") not in (None, "") and payload.get("longitude") not in (None, ""):
            location = {"latitude": payload["latitude"], "longitude": payload["longitude"]}
    rating = (
        getattr(case.portal_application, "rating", None)
        if hasattr(case, "portal_application")
        else None
    )
    withdrawn = (
        selectors.consent_withdrawn(case.portal_application.phone_index)
        if hasattr(case, "portal_application")
        else None
    )
    return render(
        request,
        "portal/_evidence_panel.html",
        {
            "case": case,
            "files": files,
            "location": location,
            "rating": rating,
            "consent_withdrawn": withdrawn,
        },
    )
