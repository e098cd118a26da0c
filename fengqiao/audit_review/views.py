"""The audit administrator's search and export. Reading the log is itself recorded, so the
auditors are audited too."""

import json
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts.actor import request_actor
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.audit.services import record
from fengqiao.audit_review.forms import AuditSearchForm
from fengqiao.audit_review.selectors import AuditQuery, audit_entries, audit_page
from fengqiao.core import clock, spreadsheet
from fengqiao.core.db import planned_for_every_row
from fengqiao.core.exceptions import PermissionDeniedError
from fengqiao.core.replica import reads_from_replica
from fengqiao.dataio.ledgers import Column, Ledger, write_xlsx

AUDIT_LEDGER = Ledger(
    code="audit",
    title=_("Audit log"),
    columns=(
        Column(_("Time"), lambda e: e.occurred_at, 20),
        Column(_("Who"), lambda e: e.actor_name, 16),
        Column(_("Organisation"), lambda e: e.org.name if e.org else "", 20),
        Column(_("Action"), lambda e: e.get_action_display(), 20),
        Column(_("What"), lambda e: e.target_repr, 30),
        Column(_("Details"), lambda e: json.dumps(e.extra, ensure_ascii=False)[:2000], 40),
        Column(_("IP address"), lambda e: e.ip_address or "", 16),
        Column(_("Request"), lambda e: str(e.request_id or ""), 38),
    ),
)


@reads_from_replica
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    actor = request_actor(request)
    rows: list[AuditEntry] = []
    next_before = None
    if not form.is_bound or form.is_valid():
        query = form.query() if form.is_bound else AuditQuery()
        before = request.GET.get("before", "")
        try:
            rows, next_before = audit_page(
                actor=actor, query=query, before=int(before) if before.isdigit() else None
            )
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        record(
            actor=actor,
            action=AuditAction.AUDIT_SEARCHED,
            target=actor,
            extra={"query": request.GET.urlencode()[:500]},
        )
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "rows": rows,
            "next_before": next_before,
            "query_string": params.urlencode(),
        },
    )


@reads_from_replica
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """Every matching entry as .xlsx, streamed, stamped with who exported it and when."""
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/log.html", {"form": form, "rows": []}, status=400)
    actor = request_actor(request)
    query = form.query() if form.is_bound else AuditQuery()
    try:
        entries = audit_entries(actor=actor, query=query)
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    counted = {"rows": 0}

    def rows() -> Iterator[AuditEntry]:
        with planned_for_every_row(using=entries.db):
            for entry in entries.iterator(chunk_size=2000):
                counted["rows"] += 1
                yield entry

    units = sorted({m.org.name for m in actor.memberships.select_related("org")})
    handle = write_xlsx(
        AUDIT_LEDGER,
        rows(),
        unit="、".join(units) or "—",
        period=f"{query.date_from or '—'} 至 {query.date_to or clock.today()}",
        exported_by=str(actor),
    )
    record(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=actor,
        extra={"ledger": "audit", "rows": counted["rows"], "query": request.GET.urlencode()},
    )
    name = f"{AUDIT_LEDGER.title}-{clock.today():%Y%m%d}.xlsx"
    return spreadsheet.response(handle, name)
