"""ID numbers and phones: masked on every document by default; in full only where the document
needs them, for a user allowed to unmask, with each party shown audited as a reveal."""

import pytest

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.core.exceptions import InvalidInput, PermissionDeniedError
from fengqiao.documents import services
from fengqiao.documents.models import GeneratedDocument
from fengqiao.documents.tests.helpers import docx_text

pytestmark = pytest.mark.django_db

FULL_ID, FULL_PHONE = "430624199001011233", "13800138000"


def test_documents_print_identifiers_masked_by_default(resolved_case, director):
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="confirmation", file_format="docx"
    )
    text = docx_text(document.file.read())
    applicant = resolved_case.parties.get(name="张三")
    assert applicant.id_number_masked in text
    assert applicant.phone_masked in text
    assert FULL_ID not in text
    assert FULL_PHONE not in text
    assert not AuditEntry.objects.filter(action=AuditAction.PARTY_PII_VIEWED).exists()


def test_full_identifiers_for_the_court_are_audited_per_party(resolved_case, director):
    document = services.document_generate(
        actor=director,
        case_id=resolved_case.pk,
        kind="confirmation",
        file_format="docx",
        full_identifiers=True,
    )
    text = docx_text(document.file.read())
    assert FULL_ID in text
    assert FULL_PHONE in text
    reveals = AuditEntry.objects.filter(action=AuditAction.PARTY_PII_VIEWED)
    assert sorted(e.extra["party"] for e in reveals) == sorted(
        resolved_case.parties.values_list("pk", flat=True)
    )
    assert {e.extra["document"] for e in reveals} == {document.pk}
    generated = AuditEntry.objects.get(action=AuditAction.DOCUMENT_GENERATED)
    assert generated.extra["full_identifiers"] is True


def test_full_identifiers_need_the_right_to_unmask(resolved_case, make_actor, tree):
    mediator = make_actor(Role.MEDIATOR, tree.township_centre, username="plain_mediator")
    before = (GeneratedDocument.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PermissionDeniedError):
        services.document_generate(
            actor=mediator,
            case_id=resolved_case.pk,
            kind="confirmation",
            file_format="pdf",
            full_identifiers=True,
        )
    assert (GeneratedDocument.objects.count(), AuditEntry.objects.count()) == before


def test_full_identifiers_only_on_documents_that_carry_them(resolved_case, director):
    with pytest.raises(InvalidInput):
        services.document_generate(
            actor=director,
            case_id=resolved_case.pk,
            kind="dossier",
            file_format="pdf",
            full_identifiers=True,
        )
    assert not GeneratedDocument.objects.exists()
