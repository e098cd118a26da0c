"""Which documents exist, when each can be made, and where it goes in the 卷宗.

Each kind names its context builder and an availability check over the ``CaseFile``; a check
returns the reason (in the user's language) the document cannot be made yet, or None.
``DOSSIER_ORDER`` is the 卷内目录 order of DOMAIN §6.2: 申请书/受理登记表 (1), 权利义务告知书
(2), 身份证明 (3), 调查记录 (5), 调解记录 (7), 协议书 (8) with the 主持调解证明 — where mediation
failed, the 终止调解告知书 and the 无争议事实记载表 take the agreement's place — 回访记录 (10),
司法确认材料 (11) and the 结案报告表. Powers of attorney, evidence and receipts (4, 6, 9) are
the parties' own papers: the 备考表 counts the evidence files attached to the case.

Each check is also the paper's precondition: the 卷宗 binds a paper only where what it records
happened (issue #14), and refuses, listing each with its reason, when a paper it must hold
(``dossier_required``) cannot be made.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.cases.choices import AgreementForm, CaseOutcome, CaseStatus, PartyRole
from fengqiao.core import clock
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
    if not contexts.is_application(data):
        # issue #14: a "自愿申请" 申请书 was bound for 主动调解 and referred cases
        return gettext("Nobody applied for this mediation (主动调解 or a referral).")
    if any(p.role == PartyRole.APPLICANT for p in data.parties):
        return None
    return gettext("The case has no applicant.")


def _notified(data: CaseFile) -> str | None:
    # issue #14: a blank 告知书 was bound where no notice had been recorded
    return None if data.rights else gettext("No rights and duties notice has been recorded.")


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


def _in_force(data: CaseFile) -> str | None:
    if data.in_force is None:
        return gettext("No mediation agreement is in force.")
    return None


def _confirmation_applied(data: CaseFile) -> str | None:
    # issue #14: a 司法确认申请书 was bound in every resolved file, applied for or not
    if data.in_force is None:
        return gettext("No mediation agreement is in force.")
    if data.in_force.confirmation_applied_on is None:
        return gettext("No application for judicial confirmation has been made.")
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
            _notified,
        ),
        Kind(DocumentKind.IDENTITY, "当事人身份证明材料", contexts.identity, _has_parties),
        Kind(DocumentKind.INVESTIGATION, "人民调解调查记录", contexts.investigation, _investigated),
        Kind(DocumentKind.SESSION_RECORD, "人民调解记录", contexts.session_record, _sessions),
        Kind(DocumentKind.AGREEMENT, "人民调解协议书", contexts.agreement, _written),
        Kind(DocumentKind.ORAL_AGREEMENT, "人民调解口头协议登记表", contexts.oral_agreement, _oral),
        Kind(DocumentKind.PRESIDED, "主持调解证明", contexts.presided, _in_force),
        Kind(DocumentKind.TERMINATION, "终止调解告知书", contexts.termination, _terminated),
        Kind(
            DocumentKind.UNDISPUTED_FACTS,
            "无争议事实记载表",
            contexts.undisputed_facts,
            _undisputed,
        ),
        Kind(DocumentKind.FOLLOW_UP, "人民调解回访记录", contexts.follow_up, _visited),
        Kind(
            DocumentKind.CONFIRMATION,
            "司法确认申请书",
            contexts.confirmation,
            _confirmation_applied,
        ),
        Kind(
            DocumentKind.CLOSING_REPORT, "人民调解结案报告表", contexts.closing_report, _concluded
        ),
    )
}

DOSSIER_TITLE = "人民调解卷宗"
# KINDS is declared in 卷宗 order.
DOSSIER_ORDER: tuple[DocumentKind, ...] = tuple(kind.code for kind in KINDS.values())


def get(code: str) -> Kind | None:
    return KINDS.get(code)


def dossier_required(data: CaseFile) -> list[DocumentKind]:
    """The papers a concluded case's 卷宗 cannot do without (issue #14): the 受理登记表, the
    parties' identity papers and the 结案报告表 always; once mediation was held (a session, or an
    agreement reached) the 权利义务告知书 (若干规定 art.30) and the 调解记录 (人民调解法 art.27);
    the agreement reached, in its form; the 终止调解告知书 of a terminated mediation."""
    required = [DocumentKind.REGISTRATION, DocumentKind.IDENTITY, DocumentKind.CLOSING_REPORT]
    if data.sessions or data.case.outcome == CaseOutcome.RESOLVED:
        required += [DocumentKind.RIGHTS_NOTICE, DocumentKind.SESSION_RECORD]
    if data.case.outcome == CaseOutcome.RESOLVED:
        oral = data.in_force is not None and data.in_force.form == AgreementForm.ORAL
        required.append(DocumentKind.ORAL_AGREEMENT if oral else DocumentKind.AGREEMENT)
    if data.terminated is not None:
        required.append(DocumentKind.TERMINATION)
    return required


def dossier_missing(data: CaseFile) -> list[str]:
    """Each paper the 卷宗 needs and cannot have, as "title: reason"; empty when it can be bound."""
    missing = []
    for code in dossier_required(data):
        kind = KINDS[code]
        reason = kind.check(data)
        if reason:
            missing.append(
                gettext("%(title)s: %(reason)s") % {"title": kind.title, "reason": reason}
            )
    return missing


def unavailable(code: str, data: CaseFile) -> str | None:
    """Why document ``code`` cannot be made for this case now; None when it can. The 卷宗
    lists every paper it lacks, with the reason."""
    if code == DocumentKind.DOSSIER:
        concluded = _concluded(data)
        if concluded:
            return concluded
        missing = dossier_missing(data)
        if missing:
            return gettext("The case file cannot be bound; missing: %(missing)s") % {
                "missing": "；".join(missing)
            }
        return None
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
        filed_on=contexts.day(clock.today()),
        retention=retention(),
        attachments=data.attachments,
        documents_count=len(sections),
        items=[
            {"no": n, "title": kind.title, "anchor": f"doc-{kind.code}", "note": ""}
            for n, kind in enumerate(sections, start=1)
        ],
    )
    return context
