"""Signing pages: the case panel, the signing page (a pad per signer), the code request, the
seal, and the verification page. Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.accounts.actor import request_actor
from fengqiao.cases.responses import case_not_found
from fengqiao.core.exceptions import (
    ConflictError,
    InvalidInput,
    NotFound,
    PermissionDeniedError,
)
from fengqiao.esign import selectors, services

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@require_GET
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        state = selectors.signing_state_for(actor=request_actor(request), case_id=case_id)
    except NotFound:
        return case_not_found(request)
    return render(request, "esign/_panel.html", {"s": state})


def _page(
    request: HttpRequest,
    case_id: int,
    agreement_id: int,
    *,
    errors: dict[str, list[str]] | None = None,
    active: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        state = selectors.signing_state_for(
            actor=request_actor(request), case_id=case_id, agreement_id=agreement_id
        )
    except NotFound:
        return case_not_found(request)
    party = _int(active.removeprefix("party-")) if active.startswith("party-") else 0
    context = {"s": state, "errors": errors or {}, "active": active, "active_party": party}
    return render(request, "esign/sign.html", context, status=status)


@require_GET
def sign_page(request: HttpRequest, case_id: int, agreement_id: int) -> HttpResponse:
    return _page(request, case_id, agreement_id)


@require_POST
def send_code(request: HttpRequest, case_id: int, agreement_id: int, party_id: int) -> HttpResponse:
    """Send the party's code; answers the status line under the button (htmx)."""
    try:
        services.signing_code_send(
            actor=request_actor(request),
            case_id=case_id,
            agreement_id=agreement_id,
            party_id=party_id,
        )
    except NotFound:
        return case_not_found(request)
    except (InvalidInput, PermissionDeniedError) as exc:
        return render(request, "esign/_code_status.html", {"error": exc.message}, status=422)
    return render(request, "esign/_code_status.html", {"sent": True})


def _after(request: HttpRequest, case_id: int, agreement_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("esign:sign", args=[case_id, agreement_id]))


@require_POST
def party_sign(
    request: HttpRequest, case_id: int, agreement_id: int, party_id: int
) -> HttpResponse:
    """A party's signature after the identity check: back to the page (303) or the page with
    the reasons on the party's form (422), nothing stored."""
    try:
        signature = services.party_sign(
            actor=request_actor(request),
            case_id=case_id,
            agreement_id=agreement_id,
            party_id=party_id,
            id_number=request.POST.get("id_number", ""),
            code=request.POST.get("code", ""),
            signature=request.POST.get("signature", ""),
        )
    except NotFound:
        return case_not_found(request)
    except (InvalidInput, PermissionDeniedError) as exc:
        errors = getattr(exc, "errors", None) or {"signature": [exc.message]}
        return _page(
            request, case_id, agreement_id, errors=errors, active=f"party-{party_id}", status=422
        )
    done = gettext("Signed: {name}.").format(name=signature.signer_name)
    return _after(request, case_id, agreement_id, done)


@require_POST
def mediator_sign(request: HttpRequest, case_id: int, agreement_id: int) -> HttpResponse:
    try:
        services.mediator_sign(
            actor=request_actor(request),
            case_id=case_id,
            agreement_id=agreement_id,
            signature=request.POST.get("signature", ""),
        )
    except NotFound:
        return case_not_found(request)
    except (InvalidInput, PermissionDeniedError) as exc:
        errors = getattr(exc, "errors", None) or {"signature": [exc.message]}
        return _page(request, case_id, agreement_id, errors=errors, active="mediator", status=422)
    return _after(request, case_id, agreement_id, gettext("The mediator has signed."))


@require_POST
def seal(request: HttpRequest, case_id: int, agreement_id: int) -> HttpResponse:
    try:
        signed = services.agreement_seal(
            actor=request_actor(request), case_id=case_id, agreement_id=agreement_id
        )
    except NotFound:
        return case_not_found(request)
    except (InvalidInput, PermissionDeniedError, ConflictError) as exc:
        errors = getattr(exc, "errors", None) or {"seal": [exc.message]}
        return _page(request, case_id, agreement_id, errors=errors, active="seal", status=422)
    messages.success(request, gettext("The agreement is signed by the committee's key."))
    return redirect(reverse("esign:stored", args=[case_id, signed.pk]))


def _verdict_page(
    request: HttpRequest, result: selectors.Verification | None, *, stored: bool, status: int = 200
) -> HttpResponse:
    return render(request, "esign/verify.html", {"v": result, "stored": stored}, status=status)


@require_GET
def verify_stored(request: HttpRequest, case_id: int, signed_id: int) -> HttpResponse:
    try:
        result = selectors.stored_file_verify(
            actor=request_actor(request), case_id=case_id, signed_id=signed_id
        )
    except NotFound:
        return case_not_found(request)
    except ConflictError as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    return _verdict_page(request, result, stored=True)


@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Upload any PDF: who signed it, when, and whether a byte changed since."""
    if request.method == "GET":
        return _verdict_page(request, None, stored=False)
    upload = request.FILES.get("file")
    if upload is None or upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        return _verdict_page(request, None, stored=False, status=422)
    result = selectors.file_verify(actor=request_actor(request), content=upload.read())
    return _verdict_page(request, result, stored=False)
