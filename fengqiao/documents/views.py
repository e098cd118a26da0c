"""The documents panel of the case page and the download of a generated file. Thin: parse, call
one selector or service, render."""

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from fengqiao.accounts.actor import request_actor
from fengqiao.cases.responses import case_not_found
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound, PermissionDeniedError
from fengqiao.core.htmx import trigger_client_event
from fengqiao.documents import selectors, services
from fengqiao.documents.choices import CONTENT_TYPES


def _panel(
    request: HttpRequest, case_id: int, *, error: str = "", status: int = 200
) -> HttpResponse:
    try:
        data = selectors.documents_panel_for(actor=request_actor(request), case_id=case_id)
    except NotFound:
        return case_not_found(request)
    return render(request, "documents/_panel.html", {"p": data, "error": error}, status=status)


@require_GET
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    return _panel(request, case_id)


@require_POST
def generate(request: HttpRequest, case_id: int, kind: str, file_format: str) -> HttpResponse:
    """Generate one document: 200 and ``case-changed`` (the panel, the header and the timeline
    reload themselves, so this answer swaps nothing), or the panel with the reason it could not
    be made (403/422); outside the jurisdiction 404, and nothing is written."""
    try:
        services.document_generate(
            actor=request_actor(request),
            case_id=case_id,
            kind=kind,
            file_format=file_format,
            full_identifiers=request.POST.get("full_identifiers") == "1",
        )
    except NotFound:
        return case_not_found(request)
    except PermissionDeniedError as exc:
        return _panel(request, case_id, error=exc.message, status=403)
    except InvalidInput as exc:
        return _panel(request, case_id, error=exc.message, status=422)
    response = HttpResponse(status=200)
    response["HX-Reswap"] = "none"  # one fresh render (the reload), not two racing each other
    return trigger_client_event(response, "case-changed")


@require_GET
def download(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """The stored file, audited, with its content type and a Chinese file name (RFC 6266)."""
    try:
        document, content, name = services.document_download(
            actor=request_actor(request), case_id=case_id, document_id=document_id
        )
    except NotFound:
        return case_not_found(request)
    except ConflictError as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[document.format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
