"""The two case ledgers the plans name (DOMAIN A4): 矛盾纠纷登记台账 and 调处台账, read from the
cases themselves (ARCHITECTURE rule 3: never kept by hand).

Rows are plain dicts read with ``values()``, parties added once per chunk: building model
instances costs more than writing the sheet, and a county exports 10⁵ rows at a time."""

from collections import defaultdict
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fengqiao.cases import conclusion
from fengqiao.cases.choices import (
    CaseOutcome,
    CaseStatus,
    Channel,
    PartyRole,
    RiskLevel,
    TerminationReason,
)
from fengqiao.cases.models import Case, Party
from fengqiao.core import clock, spreadsheet
from fengqiao.dataio.ledgers import Column, Ledger

Row = dict[str, Any]
LEVEL_NAMES = {2: "省级", 4: "市级", 6: "县级", 9: "乡镇级", 12: "村级"}  # by prefix length
FIELDS = (
    "id",
    "number",
    "title",
    "description",
    "created_at",
    "channel",
    "source_ref",
    "category__name",
    "region__name",
    "amount",
    "people_count",
    "risk_level",
    "handling_org__name",
    "handling_prefix",
    "assignee__full_name",
    "assignee__username",
    "roster_mediator__name",
    "lead__full_name",
    "due_date",
    "status",
    "status_changed_at",
    "outcome",
    "overdue_since",
    "deadline_paused_at",
)


@lru_cache(maxsize=64)
def _labels(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def label(choices: type[models.TextChoices], value: str) -> str:
    """A choice's label in the active language, without ``get_FOO_display``'s per-call cost
    (it hashes the lazy choices every time; a 10⁵-row export calls it millions of times)."""
    return _labels(choices, get_language()).get(value, value)


def _date(value: Any) -> date | None:
    return timezone.localtime(value).date() if value else None


def _on_time(row: Row) -> str:
    """按期 by the one definition the KPI and the case page use (cases.conclusion): the final
    conclusion's day against the due date in force then, never the closing date (issue #13)."""
    due: date | None = row["due_date"]
    verdict = conclusion.ledger_on_time(
        row["outcome"], row["concluded_event_at"], row["concluded_was_due"]
    )
    if verdict is None:
        late = due is not None and row["deadline_paused_at"] is None and due < clock.today()
        return "逾期未结" if late else "办理中"
    return "是" if verdict else "否"


def _concluded_on(row: Row) -> date | None:
    return _date(row["concluded_event_at"]) if row["outcome"] else None


def _termination_reason(row: Row) -> str:
    """Why mediation ended, for a terminated case (a suspected 虚假调解 reads as such, never as a
    plain failure or a success)."""
    if row["outcome"] != CaseOutcome.TERMINATED or not row["concluded_termination_reason"]:
        return ""
    return label(TerminationReason, str(row["concluded_termination_reason"]))


def _person(row: Row, prefix: str) -> str:
    return row.get(f"{prefix}__full_name") or row.get(f"{prefix}__username") or ""


def _mediator(row: Row) -> str:
    """The assignee, or the roster mediator without a login a history import recorded."""
    return _person(row, "assignee") or row.get("roster_mediator__name") or ""


REGISTRATION = Ledger(
    code="registration",
    title=_("Dispute registration ledger (矛盾纠纷登记台账)"),
    description=_("Every dispute registered, from whichever channel."),
    columns=(
        Column(_("Case number"), lambda r: r["number"], 22),
        Column(_("Registered on"), lambda r: _date(r["created_at"]), 12),
        Column(_("Channel"), lambda r: label(Channel, r["channel"]), 14),
        Column(_("Source reference"), lambda r: r["source_ref"], 18),
        Column(_("Category"), lambda r: r["category__name"], 14),
        Column(_("Place"), lambda r: r["region__name"], 12),
        Column(_("Applicants"), lambda r: r["applicants"], 14),
        Column(_("Respondents"), lambda r: r["respondents"], 14),
        Column(_("What happened"), lambda r: r["description"][:300], 40),
        Column(_("Amount (yuan)"), lambda r: r["amount"], 12, spreadsheet.AMOUNT),
        Column(_("People"), lambda r: r["people_count"], 8),
        Column(_("Risk"), lambda r: label(RiskLevel, r["risk_level"]), 8),
        Column(_("Handling organisation"), lambda r: r["handling_org__name"], 20),
        Column(_("Status"), lambda r: label(CaseStatus, r["status"]), 10),
    ),
)

HANDLING = Ledger(
    code="handling",
    title=_("Dispute handling ledger (矛盾纠纷调处台账)"),
    description=_("Who handles each dispute, by when, and how it ended."),
    columns=(
        Column(_("Case number"), lambda r: r["number"], 22),
        Column(_("Title"), lambda r: r["title"], 24),
        Column(_("Category"), lambda r: r["category__name"], 14),
        Column(_("Handling organisation"), lambda r: r["handling_org__name"], 20),
        Column(
            pgettext_lazy("the tier that handled a case", "Level"),
            lambda r: LEVEL_NAMES.get(len(r["handling_prefix"]), ""),
            8,
        ),
        Column(_("Mediator"), _mediator, 10),
        Column(_("Responsible leader"), lambda r: r["lead__full_name"] or "", 10),
        Column(_("Due date"), lambda r: r["due_date"], 12),
        Column(
            pgettext_lazy("the outcome of a case", "Result"),
            lambda r: label(CaseOutcome, r["outcome"]) if r["outcome"] else "",
            12,
        ),
        Column(_("Termination reason"), _termination_reason, 20),
        Column(_("Concluded on"), _concluded_on, 12),
        Column(_("On time"), _on_time, 10),
    ),
)

LEDGERS = {ledger.code: ledger for ledger in (REGISTRATION, HANDLING)}


def with_parties(rows: list[Row]) -> list[Row]:
    if not rows:
        return rows
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    parties = Party.objects.filter(case_id__in=[r["id"] for r in rows]).order_by("id")
    for case_id, role, name in parties.values_list("case_id", "role", "name"):
        names[(case_id, role)].append(name)
    for row in rows:
        row["applicants"] = "、".join(names[(row["id"], PartyRole.APPLICANT)])
        row["respondents"] = "、".join(names[(row["id"], PartyRole.RESPONDENT)])
    return rows


def values(cases: QuerySet[Case]) -> QuerySet[Any]:
    """The case ledgers' rows in ledger order (registration time)."""
    return (
        conclusion.with_conclusion(cases)
        .order_by("created_at", "id")
        .values(*FIELDS, "concluded_event_at", "concluded_was_due", "concluded_termination_reason")
    )
