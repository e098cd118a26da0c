"""Ledger pages: the filtered ledger as a table (paged) and as a streamed, audited Excel export."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from fengqiao.accounts.actor import request_actor
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock, spreadsheet
from fengqiao.core.paging import CappedPaginator
from fengqiao.core.replica import reads_from_replica
from fengqiao.dataio import sources
from fengqiao.dataio.ledgers import write_xlsx


def _source(code: str) -> sources.LedgerSource:
    source = sources.SOURCES.get(code)
    if source is None:
        raise Http404
    return source


def _filtered(
    request: HttpRequest, source: sources.LedgerSource
) -> tuple[forms.Form, QuerySet[Any] | None]:
    return source.select(request.GET or None, request_actor(request))


def index(request: HttpRequest) -> HttpResponse:
    ledgers = [source.ledger for source in sources.SOURCES.values()]
    return render(request, "dataio/index.html", {"ledgers": ledgers})


@reads_from_replica
def ledger_page(request: HttpRequest, code: str) -> HttpResponse:
    source = _source(code)
    ledger = source.ledger
    form, cases = _filtered(request, source)
    if cases is None:
        return render(request, "dataio/ledger.html", {"ledger": ledger, "form": form}, status=400)
    size = settings.FENGQIAO_CASES_PER_PAGE
    page = CappedPaginator(source.rows(cases), size).get_page(request.GET.get("page"))
    first = page.start_index() if page.paginator.count else 0
    rows = source.enrich(list(page.object_list))
    table = [ledger.text_row(first + i, row) for i, row in enumerate(rows)]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "ledger": ledger,
        "form": form,
        "page": page,
        "table": table,
        "headers": ledger.headers(),
        "query": query.urlencode(),
    }
    return render(request, "dataio/ledger.html", context)


@reads_from_replica
def ledger_export(request: HttpRequest, code: str) -> HttpResponseBase:
    """The whole filtered ledger as .xlsx, streamed; every export is audited."""
    source = _source(code)
    ledger = source.ledger
    form, cases = _filtered(request, source)
    if cases is None:
        return render(request, "dataio/ledger.html", {"ledger": ledger, "form": form}, status=400)
    actor = request_actor(request)
    data = form.cleaned_data if form.is_bound else {}
    start, end = data.get("created_from"), data.get("created_to")
    period = f"{start or '—'} 至 {end or clock.today()}"
    units = sorted({m.org.name for m in actor.memberships.select_related("org")})
    counted = {"rows": 0}

    def rows() -> Iterator[sources.Row]:  # counts what was written, for the audit entry
        for row in sources.stream(source, cases):
            counted["rows"] += 1
            yield row

    handle = write_xlsx(
        ledger, rows(), unit="、".join(units) or "—", period=period, exported_by=str(actor)
    )
    record(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=actor,
        extra={"ledger": ledger.code, "rows": counted["rows"], "query": request.GET.urlencode()},
    )
    name = f"{ledger.title}-{clock.today():%Y%m%d}.xlsx"
    return spreadsheet.response(handle, name)
