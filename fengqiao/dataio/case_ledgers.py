"""The two case ledgers the plans name (DOMAIN A4): 矛盾纠纷登记台账 and 调处台账, read from the
cases themselves (ARCHITECTURE rule 3: never kept by hand)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import PartyRole
from fengqiao.cases.models import Case, Party
from fengqiao.dataio.ledgers import Column, Ledger

LEVEL_NAMES = {1: "省级", 2: "市级", 3: "县级", 4: "乡镇级", 5: "村级"}


def _parties(case: Case, role: str) -> str:
    return "、".join(p.name for p in case.parties.all() if p.role == role)


def _date(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _on_time(case: Case) -> str:
    if not case.outcome:
        return "逾期未结" if case.is_overdue else "办理中"
    if case.due_date is None:
        return "是"
    return "是" if timezone.localdate(case.status_changed_at) <= case.due_date else "否"


REGISTRATION = Ledger(
    code="registration",
    title=_("Dispute registration ledger (矛盾纠纷登记台账)"),
    description=_("Every dispute registered, from whichever channel."),
    columns=(
        Column(_("Case number"), lambda c: c.number, 22),
        Column(_("Registered on"), lambda c: _date(c.created_at), 12),
        Column(_("Channel"), lambda c: str(c.get_channel_display()), 14),
        Column(_("Source reference"), lambda c: c.source_ref, 18),
        Column(_("Category"), lambda c: c.category.name, 14),
        Column(_("Place"), lambda c: c.region.name, 12),
        Column(_("Applicants"), lambda c: _parties(c, PartyRole.APPLICANT), 14),
        Column(_("Respondents"), lambda c: _parties(c, PartyRole.RESPONDENT), 14),
        Column(_("What happened"), lambda c: c.description[:300], 40),
        Column(_("Amount (yuan)"), lambda c: float(c.amount) if c.amount is not None else "", 12),
        Column(_("People"), lambda c: c.people_count, 8),
        Column(_("Risk"), lambda c: str(c.get_risk_level_display()), 8),
        Column(_("Handling organisation"), lambda c: c.handling_org.name, 20),
        Column(_("Status"), lambda c: str(c.get_status_display()), 10),
    ),
)

HANDLING = Ledger(
    code="handling",
    title=_("Dispute handling ledger (矛盾纠纷调处台账)"),
    description=_("Who handles each dispute, by when, and how it ended."),
    columns=(
        Column(_("Case number"), lambda c: c.number, 22),
        Column(_("Title"), lambda c: c.title, 24),
        Column(_("Category"), lambda c: c.category.name, 14),
        Column(_("Handling organisation"), lambda c: c.handling_org.name, 20),
        Column(_("Level"), lambda c: LEVEL_NAMES.get(_level(c), ""), 8),
        Column(_("Mediator"), lambda c: str(c.assignee or ""), 10),
        Column(_("Responsible leader"), lambda c: str(c.lead or ""), 10),
        Column(_("Due date"), lambda c: c.due_date.isoformat() if c.due_date else "", 12),
        Column(_("Result"), lambda c: str(c.get_outcome_display()) if c.outcome else "", 12),
        Column(_("Concluded on"), lambda c: _date(c.status_changed_at) if c.outcome else "", 12),
        Column(_("On time"), _on_time, 10),
    ),
)

LEDGERS = {ledger.code: ledger for ledger in (REGISTRATION, HANDLING)}


def _level(case: Case) -> int:
    return {2: 1, 4: 2, 6: 3, 9: 4, 12: 5}.get(len(case.handling_prefix), 0)


def with_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the ledgers read, in a fixed number of queries per page or per export chunk."""
    return cases.select_related(
        "category", "region", "handling_org", "assignee", "lead"
    ).prefetch_related(Prefetch("parties", queryset=Party.objects.only("case_id", "name", "role")))


def stream(cases: QuerySet[Case], chunk: int = 2000) -> Iterator[Case]:
    """Every case in ledger order, fetched in chunks (flat memory for any number of rows)."""
    yield from with_rows(cases).order_by("created_at", "id").iterator(chunk_size=chunk)
