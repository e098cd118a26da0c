"""Every write of documents: generating one (docx or PDF) or the 卷宗, and the audited download.

Generation checks the actor's reach first (a case outside the jurisdiction is not found, a case
the actor may only view is forbidden), then whether the case has what the document needs; only
then is anything rendered and written. The file is stored under a fresh name and never
overwritten; its row, the timeline event and the audit entry are written in one transaction.
"""

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import EventKind
from fengqiao.cases.services import case_record_event
from fengqiao.core import clock
from fengqiao.core.exceptions import ConflictError, InvalidInput, PermissionDeniedError
from fengqiao.documents import kinds, render
from fengqiao.documents.casefile import CaseFile, case_file_load
from fengqiao.documents.choices import DocumentFormat, DocumentKind
from fengqiao.documents.models import GeneratedDocument
from fengqiao.documents.selectors import (
    PARTICULARS_KINDS,
    REVEALABLE,
    document_get_for,
    document_title,
    may_generate,
)
from fengqiao.mediation import numbers

DOCUMENT_LANGUAGE = "zh-hans"  # the MoJ forms are Chinese whatever language the user reads


def _invalid(message: str, field: str = "kind") -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def _render(kind: str, file_format: str, data: CaseFile, actor: User) -> render.Rendered:
    if kind == DocumentKind.DOSSIER:
        context = kinds.dossier_context(data, filed_by=actor.full_name or actor.username)
        sections = [
            (section.code.value, {**section.build(data), "document_title": section.title})
            for section in kinds.dossier_sections(data)
        ]
        return render.render_dossier(context, sections)
    spec = kinds.KINDS[kind]
    context = {**spec.build(data), "document_title": spec.title}
    if file_format == DocumentFormat.DOCX:
        return render.render_docx(kind, context)
    return render.render_pdf(kind, context)


def document_generate(
    *, actor: User, case_id: int, kind: str, file_format: str, full_identifiers: bool = False
) -> GeneratedDocument:
    """Generate document ``kind`` of a case as ``file_format`` (docx or pdf; the 卷宗 is PDF),
    store it, note it on the timeline and audit it.

    ID numbers and phones are printed masked; ``full_identifiers`` prints them in full on the
    documents that need them (``REVEALABLE``), for a user allowed to unmask, and audits each
    party shown as a PII reveal. The documents that carry the parties' particulars
    (``PARTICULARS_KINDS``) print 性别, 民族, 出生日期, 职业… in full, audited the same way.

    Raises:
        NotFound: the case is missing or outside the actor's jurisdiction.
        PermissionDeniedError: the actor may view the case but not draw up its documents, or
            asked for full identifiers without the right to unmask them.
        InvalidInput: unknown document or format, full identifiers on a document that does not
            carry them, or the case lacks what the document needs (the message says what, in
            Chinese for a Chinese user).
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    if not may_generate(actor, case):
        raise PermissionDeniedError(gettext("You may not draw up documents for this case."))
    if kind not in DocumentKind.values:
        raise _invalid(gettext("Unknown document."))
    if file_format not in DocumentFormat.values or (
        kind == DocumentKind.DOSSIER and file_format != DocumentFormat.PDF
    ):
        raise _invalid(gettext("This document is not made in that format."), "format")
    if full_identifiers:
        if kind not in REVEALABLE:
            raise _invalid(
                gettext("Full ID numbers and phones are printed only where the law asks for them."),
                "full_identifiers",
            )
        access.require(actor, Capability.PII_UNMASK, prefix=case.handling_prefix)
    data = case_file_load(case)
    reason = kinds.unavailable(kind, data)
    if reason:
        raise _invalid(reason)
    if kind == DocumentKind.DOSSIER and not data.file_number:
        # a file bound before any number was issued takes its body's next one now
        issued = numbers.file_number_issue(case=case, on=clock.today())
        data.file_number = issued.text if issued else ""
    if full_identifiers:
        data.revealed = {p.pk: p.reveal() for p in data.parties if not p.anonymised_at}
    if kind in PARTICULARS_KINDS:
        data.particulars = {
            p.pk: p.particulars()
            for p in data.parties
            if p.particulars_encrypted and not p.anonymised_at
        }
    with translation.override(DOCUMENT_LANGUAGE):
        rendered = _render(kind, file_format, data, actor)
    return _store(
        actor=actor,
        case_id=case.pk,
        kind=kind,
        file_format=file_format,
        rendered=rendered,
        revealed=sorted(data.revealed),
        printed=sorted(data.particulars),
    )


@transaction.atomic
def _store(
    *,
    actor: User,
    case_id: int,
    kind: str,
    file_format: str,
    rendered: render.Rendered,
    revealed: list[int],
    printed: list[int],
) -> GeneratedDocument:
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    digest = hashlib.sha256(rendered.content).hexdigest()
    document = GeneratedDocument(
        case=case,
        kind=kind,
        format=file_format,
        template_version=rendered.template_version,
        sha256=digest,
        size=len(rendered.content),
        generated_by=actor,
    )
    document.file.save(f"{kind}.{file_format}", ContentFile(rendered.content), save=False)
    stored = document.file.name
    try:
        document.save()
        details: dict[str, Any] = {
            "document": document.pk,
            "kind": kind,
            "format": file_format,
            "sha256": digest,
            "template_version": rendered.template_version,
            "full_identifiers": bool(revealed),
        }
        case_record_event(
            actor=actor, case_id=case.pk, kind=EventKind.DOCUMENT_GENERATED, data=details
        )
        record(
            actor=actor,
            action=AuditAction.DOCUMENT_GENERATED,
            target=document,
            org=case.handling_org,
            extra={"case": case.number, **details},
        )
        for party_id in sorted({*revealed, *printed}):  # the trail of a reveal on the case page
            record(
                actor=actor,
                action=AuditAction.PARTY_PII_VIEWED,
                target=case,
                org=case.handling_org,
                extra={
                    "party": party_id,
                    "reason": f"document:{kind}",
                    "document": document.pk,
                    "identifiers": party_id in revealed,
                    "particulars": party_id in printed,
                },
            )
    except BaseException:
        document.file.storage.delete(stored)  # no row, no file: nothing half-written stays
        raise
    return document


@transaction.atomic
def document_download(
    *, actor: User, case_id: int, document_id: int
) -> tuple[GeneratedDocument, bytes, str]:
    """The bytes of a generated document and its file name (Chinese title and case number),
    audited as downloaded. The bytes are checked against the stored sha256 first.

    Raises:
        NotFound: missing, of another case, or the case is outside the actor's jurisdiction.
        ConflictError: the stored file no longer matches its checksum (it is not served).
    """
    document = document_get_for(actor=actor, case_id=case_id, document_id=document_id)
    with document.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise ConflictError(gettext("The stored file does not match its checksum."))
    case = document.case
    record(
        actor=actor,
        action=AuditAction.DOCUMENT_DOWNLOADED,
        target=document,
        org=case.handling_org,
        extra={"case": case.number, "kind": document.kind, "format": document.format},
    )
    name = f"{document_title(document)}-{case.number}.{document.format}"
    return document, content, name
