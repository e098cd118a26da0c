"""Which documents exist, when each can be made, and where it goes in the 卷宗.

Each kind names its context builder and an availability check over the ``CaseFile``; a check
returns the reason (in the user's language) the document cannot be made yet, or None.
``DOSSIER_ORDER`` is the 卷内目录 order of DOMAIN §6.2: 申请书/受理登记表 (1), 权利义务告知书 (2),
调查记录 (5), 调解记录 (7), 协议书 (8) — where mediation failed, the 终止调解告知书 and the
无争议事实记载表 take the agreement's place — 回访记录 (10), 司法确认材料 (11). Identity papers,
powers of attorney, evidence and receipts (3, 4, 6, 9) are the parties' own papers: the 备考表
counts the evidence files attached to the case.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.cases.choices import CaseStatus, PartyRole
from fengqiao.documents import contexts
from fengqiao.documents.casefile import CaseFile
from fengqiao.documents.choices import DocumentFormat, DocumentKind

Check = Callable[[CaseFile], str | None]
Builder = Callable[[CaseFile], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Kind:
    code: DocumentKind
    title: str  # the official Chinese title: printed on the document and used as file name
    build: Builder
    check: Check
    formats: tuple[DocumentFormat, ...] = (DocumentFormat.DOCX, DocumentFormat.PDF)


def _has_applicant(data: CaseFile) -> str | None:
    if any(p.role == PartyRole.APPLICANT for p in data.parties):
        return None
    return gettext("The case has no applicant.")


def _accepted(data: CaseFile) -> str | None:
    if data.case.status in (CaseStatus.REGISTERED, CaseStatus.DECLINED):
        return gettext("The case has not been accepted yet.")
    return None


def _has_parties(data: CaseFile) -> str | None:
    return None if data.parties else gettext("The case has no parties.")


def _investigated(data: CaseFile) -> str | None:
    return None if data.investigations else gettext("No investigation has been recorded.")


def _sessions(data: CaseFile) -> str | None:
    return None if data.sessions else gettext("No mediation session has been recorded.")


def _written(data: CaseFile) -> str | None:
    return None if data.written else gettext("No written mediation agreement has been drawn up.")


def _oral(data: CaseFile) -> str | None:
    return None if data.oral else gettext("No oral agreement has been recorded.")


def _visited(data: CaseFile) -> str | None:
    return None if data.visits else gettext("No follow-up visit has been recorded.")


def _confirmable(data: CaseFile) -> str | None:
    if data.in_force is None:
        return gettext("No mediation agreement is in force.")
    return None


def _undisputed(data: CaseFile) -> str | None:
    if data.failure is None or not data.failure.undisputed_facts.strip():
        return gettext("No undisputed facts have been recorded.")
    return None


def _terminated(data: CaseFile) -> str | None:
    return None if data.terminated else gettext("The mediation has not been terminated.")


def _concluded(data: CaseFile) -> str | None:
    # 人民调解法 art.27: the file is bound once the mediation has ended.
    if data.case.outcome:
        return None
    return gettext("The case file is bound once the mediation has ended.")


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(DocumentKind.APPLICATION, "人民调解申请书", contexts.application, _has_applicant),
        Kind(DocumentKind.REGISTRATION, "人民调解受理登记表", contexts.registration, _accepted),
        Kind(
            DocumentKind.RIGHTS_NOTICE,
            "人民调解当事人权利义务告知书",
            contexts.rights_notice,
            _has_parties,
        ),
        Kind(DocumentKind.INVESTIGATION, "人民调解调查记录", contexts.investigation, _investigated),
        Kind(DocumentKind.SESSION_RECORD, "人民调解记录", contexts.session_record, _sessions),
        Kind(DocumentKind.AGREEMENT, "人民调解协议书", contexts.agreement, _written),
        Kind(DocumentKind.ORAL_AGREEMENT, "人民调解口头协议登记表", contexts.oral_agreement, _oral),
        Kind(DocumentKind.TERMINATION, "终止调解告知书", contexts.termination, _terminated),
        Kind(
            DocumentKind.UNDISPUTED_FACTS,
            "无争议事实记载表",
            contexts.undisputed_facts,
            _undisputed,
        ),
        Kind(DocumentKind.FOLLOW_UP, "人民调解回访记录", contexts.follow_up, _visited),
        Kind(DocumentKind.CONFIRMATION, "司法确认申请书", contexts.confirmation, _confirmable),
    )
}

DOSSIER_TITLE = "人民调解卷宗"
# KINDS is declared in 卷宗 order.
DOSSIER_ORDER: tuple[DocumentKind, ...] = tuple(kind.code for kind in KINDS.values())


def get(code: str) -> Kind | None:
    return KINDS.get(code)


def unavailable(code: str, data: CaseFile) -> str | None:
    """Why document ``code`` cannot be made for this case now; None when it can."""
    if code == DocumentKind.DOSSIER:
        return _concluded(data)
    kind = KINDS.get(code)
    if kind is None:
        return gettext("Unknown document.")
    return kind.check(data)


def dossier_sections(data: CaseFile) -> list[Kind]:
    """The documents the 卷宗 holds, in DOMAIN §6.2 order: every one the case has."""
    return [KINDS[code] for code in DOSSIER_ORDER if KINDS[code].check(data) is None]


def retention() -> str:
    """保管期限 printed on the cover; no national period exists (DOMAIN §6.4), so it is set."""
    return str(getattr(settings, "FENGQIAO_DOSSIER_RETENTION", "长期"))


def dossier_context(data: CaseFile, *, filed_by: str) -> dict[str, Any]:
    """The cover, 卷内目录 and 备考表 of the 卷宗 (DOMAIN §6.2)."""
    context = contexts.common(data)
    sections = dossier_sections(data)
    days = [timezone.localtime(s.held_at).date() for s in data.sessions]
    start = data.accepted_on or (min(days) if days else None)
    end = timezone.localdate(data.case.status_changed_at) if data.case.outcome else None
    if days and (end is None or max(days) > end):
        end = max(days)
    context.update(
        mediators="、".join(data.mediator_names),
        mediation_from=contexts.day(start),
        mediation_to=contexts.day(end),
        filed_by=filed_by,
        filed_on=contexts.day(timezone.localdate()),
        retention=retention(),
        attachments=data.attachments,
        documents_count=len(sections),
        items=[
            {"no": n, "title": kind.title, "anchor": f"doc-{kind.code}", "note": ""}
            for n, kind in enumerate(sections, start=1)
        ],
    )
    return context
