"""ID numbers and phones: masked on every document by default; in full only where the document
needs them, for a user allowed to unmask, with each party shown audited as a reveal."""

from datetime import date

import pytest
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases import particulars
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
    # the particulars this document prints in full are audited; the identifiers were not shown
    reveals = AuditEntry.objects.filter(action=AuditAction.PARTY_PII_VIEWED)
    assert {(e.extra["identifiers"], e.extra["particulars"]) for e in reveals} == {(False, True)}


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


def test_agreement_prints_every_particular_of_each_party_and_audits_it(resolved_case, director):
    # the finding: 性别/民族/年龄/职业 printed as blanks and an empty 住址 as "住址：，"
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="docx"
    )
    text = docx_text(document.file.read())
    li = resolved_case.parties.get(name="李四")
    age = particulars.age_on(date(1975, 6, 18), timezone.localdate())
    assert (
        f"被申请人：李四，男，土家族，1975年6月18日出生（{age}岁），个体工商户，"
        "住湖南省湘阴县静河镇静河村三组15号，"
        f"居民身份证号码{li.id_number_masked}，联系方式{li.phone_masked}"
    ) in text
    assert "申请人：张三，男，汉族，1990年1月1日出生" in text
    assert "＿＿＿＿" not in text.split("纠纷主要事实")[0]
    reveals = AuditEntry.objects.filter(action=AuditAction.PARTY_PII_VIEWED)
    assert sorted(e.extra["party"] for e in reveals) == sorted(
        resolved_case.parties.values_list("pk", flat=True)
    )
    assert {e.extra["reason"] for e in reveals} == {"document:agreement"}


def test_an_unknown_particular_leaves_no_stray_comma(resolved_case, director):
    resolved_case.parties.filter(name="张三").update(address_encrypted="", address_masked="")
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="application", file_format="docx"
    )
    text = docx_text(document.file.read())
    assert "住址：，" not in text
    assert "，，" not in text
    assert "申请人：张三，男，汉族，1990年1月1日出生（" in text
    assert "农民，居民身份证号码" in text


def test_documents_that_carry_no_particulars_decrypt_none(resolved_case, director):
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="session_record", file_format="docx"
    )
    assert "土家族" not in docx_text(document.file.read())
    assert not AuditEntry.objects.filter(action=AuditAction.PARTY_PII_VIEWED).exists()
