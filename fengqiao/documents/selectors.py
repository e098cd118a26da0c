"""Reads of a case's documents, scoped to the actor through ``cases.selectors`` (outside the
actor's jurisdiction a case and its documents are not found)."""

from dataclasses import dataclass

from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import NotFound
from fengqiao.documents import kinds
from fengqiao.documents.casefile import case_file_load
from fengqiao.documents.choices import DocumentFormat, DocumentKind
from fengqiao.documents.models import GeneratedDocument

# Drawing up the papers of a case belongs to those who accept or mediate it (受理登记 is the
# intake clerk's, the records and agreement the mediator's).
GENERATE_CAPABILITIES = (Capability.CASE_MEDIATE, Capability.CASE_ACCEPT)
# Documents that may carry ID numbers and phones in full (the parties' particulars a court or the
# committee needs: 民诉法解释 art.354); everything else, the 卷宗 included, prints them masked.
REVEALABLE = frozenset(
    {DocumentKind.APPLICATION, DocumentKind.REGISTRATION, DocumentKind.CONFIRMATION}
)
# Documents that print the parties' particulars (性别, 民族, 出生日期, 职业, 法定代表人…) in
# full: the 申请书 and 司法确认申请书 (民诉法解释 art.354) and the 调解协议书 (人民调解法 art.29),
# and the 卷宗 that binds them. Each party printed is audited like a reveal (issue #14).
PARTICULARS_KINDS = frozenset(
    {
        DocumentKind.APPLICATION,
        DocumentKind.AGREEMENT,
        DocumentKind.CONFIRMATION,
        DocumentKind.DOSSIER,
    }
)


def may_generate(actor: User, case: Case) -> bool:
    """True if the actor may draw up documents for ``case`` (one of GENERATE_CAPABILITIES over
    its handling organisation)."""
    return any(
        access.can(actor, capability, prefix=case.handling_prefix)
        for capability in GENERATE_CAPABILITIES
    )


@dataclass(frozen=True, slots=True)
class Option:
    """A document the panel offers, with the reason it cannot be made yet (or "")."""

    code: str
    title: str
    label: str
    formats: tuple[DocumentFormat, ...]
    reason: str
    revealable: bool = False


@dataclass(frozen=True, slots=True)
class DocumentsPanel:
    case: Case
    can_generate: bool
    can_reveal: bool
    options: list[Option]
    dossier: Option
    documents: list[GeneratedDocument]


def documents_panel_for(*, actor: User, case_id: int) -> DocumentsPanel:
    """What the case page's documents panel shows: every document with whether it can be made
    now, the 卷宗, and the documents already generated (newest first).

    Raises:
        NotFound: the case is missing or outside the actor's jurisdiction.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    data = case_file_load(case)
    labels = dict(DocumentKind.choices)
    options = [
        Option(
            code=kind.code,
            title=kind.title,
            label=str(labels[kind.code]),
            formats=kind.formats,
            reason=kinds.unavailable(kind.code, data) or "",
            revealable=kind.code in REVEALABLE,
        )
        for kind in kinds.KINDS.values()
    ]
    dossier = Option(
        code=DocumentKind.DOSSIER,
        title=kinds.DOSSIER_TITLE,
        label=str(labels[DocumentKind.DOSSIER]),
        formats=(DocumentFormat.PDF,),
        reason=kinds.unavailable(DocumentKind.DOSSIER, data) or "",
    )
    return DocumentsPanel(
        case=case,
        can_generate=may_generate(actor, case),
        can_reveal=access.can(actor, Capability.PII_UNMASK, prefix=case.handling_prefix),
        options=options,
        dossier=dossier,
        documents=list(
            GeneratedDocument.objects.filter(case=case)
            .select_related("generated_by")
            .order_by("-generated_at", "-pk")
        ),
    )


def document_title(document: GeneratedDocument) -> str:
    """The Chinese title a file is named after (人民调解协议书, 人民调解卷宗…)."""
    if document.kind == DocumentKind.DOSSIER:
        return kinds.DOSSIER_TITLE
    kind = kinds.get(document.kind)
    return kind.title if kind else document.kind


def document_get_for(*, actor: User, case_id: int, document_id: int) -> GeneratedDocument:
    """One generated document of a case the actor may view (no audit: see
    ``services.document_download``).

    Raises:
        NotFound: missing, of another case, or the case is outside the actor's jurisdiction.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    found = GeneratedDocument.objects.filter(case=case, pk=document_id).first()
    if found is None:
        raise NotFound(gettext("Document not found."))
    return found
