"""Electronic signing end to end through the services: the identity check (ID number against the
blind index, code to the registered phone), every signature drawn, the committee's PAdES
signature validated by pyHanko's own validator, and refusals that leave no trace."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.choices import AgreementForm, CaseStatus, EventKind
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.esign import keys, services
from fengqiao.esign.models import CommitteeKey, ElectronicSignature, SigningCode
from fengqiao.esign.tests.conftest import BLANK, LI_ID, ZHANG_ID, ZHANG_PHONE, drawing, trace
from fengqiao.mediation import services as mediation
from fengqiao.mediation.choices import SignatureRole
from fengqiao.mediation.models import Signature
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def _party(agreement, name):
    return agreement.case.parties.get(name=name)


def test_the_code_goes_to_the_registered_phone_and_only_its_hash_is_kept(
    agreement, send_code, sms_outbox
):
    zhang = _party(agreement, "张三")
    code = send_code(agreement, zhang.pk)
    assert sms_outbox[-1]["phone"] == ZHANG_PHONE
    assert agreement.case.number in sms_outbox[-1]["text"]
    row = SigningCode.objects.get()
    assert code not in row.code_hash
    event = agreement.case.events.order_by("-seq").first()
    assert event.kind == EventKind.MEDIATION_RECORDED
    assert event.data == {"step": "esign_code_sent", "agreement": agreement.pk, "party": zhang.pk}
    entry = AuditEntry.objects.filter(action=AuditAction.CASE_RECORDED).latest("occurred_at")
    assert entry.extra["phone"] == "138****8000"
    assert code not in str(entry.extra)


def test_a_second_code_within_a_minute_is_refused(agreement, send_code, director):
    zhang = _party(agreement, "张三")
    send_code(agreement, zhang.pk)
    with pytest.raises(InvalidInput):
        services.signing_code_send(
            actor=director, case_id=agreement.case_id, agreement_id=agreement.pk, party_id=zhang.pk
        )
    assert SigningCode.objects.count() == 1


def test_every_party_and_the_mediator_sign_then_the_committee_key_signs_a_valid_pades_file(
    agreement, sign_everyone, director, committee
):
    # given every party identified and signed, and the mediator signed
    sign_everyone(agreement)
    signed = ElectronicSignature.objects.filter(agreement=agreement)
    assert sorted(signed.values_list("role", "signer_name")) == [
        ("mediator", director.full_name or director.username),
        ("party", "张三"),
        ("party", "李四"),
    ]
    assert all(s.identity_checks == ["id_number", "sms_code"] for s in signed.filter(role="party"))
    # the drawn signatures count as the agreement's signatures (art.29)
    assert Signature.objects.filter(agreement=agreement, role=SignatureRole.PARTY).count() == 2

    # when the committee's key signs the final PDF
    result = services.agreement_seal(
        actor=director, case_id=agreement.case_id, agreement_id=agreement.pk
    )

    # then the file is kept with its sha256 …
    with result.document.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == result.sha256 == result.document.sha256
    assert result.key.org == committee
    assert set(result.signatures.all()) == set(signed)
    # … and pyHanko's validator finds one intact, valid, trusted PAdES signature over it all
    reader = PdfFileReader(io.BytesIO(content))
    (embedded,) = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    status = validate_pdf_signature(
        embedded,
        signer_validation_context=ValidationContext(
            trust_roots=[keys.certificate_of(result.key)], allow_fetching=False
        ),
    )
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.native["common_name"] == "静河村人民调解委员会"
    # the seal is recorded, so the agreement can take effect and the case is resolved
    assert Signature.objects.filter(
        agreement=agreement, role=SignatureRole.SEAL
    ).get().signer_name == ("静河村人民调解委员会")
    mediation.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    agreement.case.refresh_from_db()
    assert agreement.case.status == CaseStatus.RESOLVED
    # every step is on the timeline
    steps = [
        e.data.get("step")
        for e in agreement.case.events.filter(kind=EventKind.MEDIATION_RECORDED).order_by("seq")
    ]
    assert steps.count("esign_code_sent") == 2
    assert steps.count("esign_signed") == 3
    generated = agreement.case.events.filter(kind=EventKind.DOCUMENT_GENERATED).get()
    assert generated.data["sha256"] == result.sha256
    assert generated.data["signed"] == "pades"
    assert AuditEntry.objects.filter(
        action=AuditAction.DOCUMENT_GENERATED, extra__sha256=result.sha256
    ).exists()
    # the committee's private key is stored only encrypted by the key provider
    assert "PRIVATE KEY" not in result.key.private_key_encrypted


@pytest.mark.parametrize(
    ("_case", "id_number", "use_code", "pad", "field"),
    [
        ("wrong ID number", LI_ID, True, "drawn", "id_number"),
        ("ID number left empty", "", True, "drawn", "id_number"),
        ("wrong code", ZHANG_ID, False, "drawn", "code"),
        ("empty pad", ZHANG_ID, True, "blank", "signature"),
        ("no image at all", ZHANG_ID, True, "none", "signature"),
    ],
)
def test_a_failed_identity_check_is_refused_and_leaves_no_trace(
    _case,
    id_number,
    use_code,
    pad,
    field,
    agreement,
    send_code,
    director,
    django_capture_on_commit_callbacks,
):
    zhang = _party(agreement, "张三")
    code = send_code(agreement, zhang.pk)
    before = trace(agreement.case)
    image = {"drawn": drawing(), "blank": BLANK, "none": ""}[pad]
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(InvalidInput) as caught:
        services.party_sign(
            actor=director,
            case_id=agreement.case_id,
            agreement_id=agreement.pk,
            party_id=zhang.pk,
            id_number=id_number,
            code=code if use_code else ("000000" if code != "000000" else "111111"),
            signature=image,
        )
    assert field in caught.value.errors
    assert trace(agreement.case) == before  # no signature, no event, no audit entry
    assert callbacks == []  # nothing scheduled


def test_without_a_code_sent_nobody_signs(agreement, director):
    zhang = _party(agreement, "张三")
    before = trace(agreement.case)
    with pytest.raises(InvalidInput) as caught:
        services.party_sign(
            actor=director,
            case_id=agreement.case_id,
            agreement_id=agreement.pk,
            party_id=zhang.pk,
            id_number=ZHANG_ID,
            code="123456",
            signature=drawing(),
        )
    assert "code" in caught.value.errors
    assert trace(agreement.case) == before


def test_an_expired_code_is_refused(agreement, send_code, director):
    zhang = _party(agreement, "张三")
    code = send_code(agreement, zhang.pk)
    SigningCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidInput, match=r"expired|过期"):
        services.party_sign(
            actor=director,
            case_id=agreement.case_id,
            agreement_id=agreement.pk,
            party_id=zhang.pk,
            id_number=ZHANG_ID,
            code=code,
            signature=drawing(),
        )
    assert not ElectronicSignature.objects.exists()


def test_wrong_tries_lock_the_code_even_the_right_one_after(agreement, send_code, director):
    # Five tries, wrong ID number or wrong code alike: guessing an ID number costs the code.
    zhang = _party(agreement, "张三")
    code = send_code(agreement, zhang.pk)
    for _ in range(services.MAX_TRIES):
        with pytest.raises(InvalidInput):
            services.party_sign(
                actor=director,
                case_id=agreement.case_id,
                agreement_id=agreement.pk,
                party_id=zhang.pk,
                id_number=LI_ID,
                code=code,
                signature=drawing(),
            )
    with pytest.raises(InvalidInput, match=r"locked|锁定"):
        services.party_sign(
            actor=director,
            case_id=agreement.case_id,
            agreement_id=agreement.pk,
            party_id=zhang.pk,
            id_number=ZHANG_ID,
            code=code,
            signature=drawing(),
        )
    assert not ElectronicSignature.objects.exists()


def test_a_used_code_cannot_sign_twice(agreement, send_code, director):
    zhang = _party(agreement, "张三")
    code = send_code(agreement, zhang.pk)
    arguments = {
        "actor": director,
        "case_id": agreement.case_id,
        "agreement_id": agreement.pk,
        "party_id": zhang.pk,
        "id_number": ZHANG_ID,
        "code": code,
        "signature": drawing(),
    }
    services.party_sign(**arguments)
    with pytest.raises(InvalidInput):
        services.party_sign(**arguments)
    assert ElectronicSignature.objects.count() == 1


def test_outside_the_jurisdiction_the_agreement_is_not_found(agreement, outsider, send_code):
    zhang = _party(agreement, "张三")
    before = trace(agreement.case)
    with pytest.raises(NotFound):
        services.signing_code_send(
            actor=outsider, case_id=agreement.case_id, agreement_id=agreement.pk, party_id=zhang.pk
        )
    with pytest.raises(NotFound):
        services.mediator_sign(
            actor=outsider,
            case_id=agreement.case_id,
            agreement_id=agreement.pk,
            signature=drawing(),
        )
    assert trace(agreement.case) == before


def test_sealing_waits_for_every_signature(agreement, director, send_code):
    zhang = _party(agreement, "张三")
    code = send_code(agreement, zhang.pk)
    services.party_sign(
        actor=director,
        case_id=agreement.case_id,
        agreement_id=agreement.pk,
        party_id=zhang.pk,
        id_number=ZHANG_ID,
        code=code,
        signature=drawing(),
    )
    before = trace(agreement.case)
    with pytest.raises(InvalidInput, match="李四"):
        services.agreement_seal(
            actor=director, case_id=agreement.case_id, agreement_id=agreement.pk
        )
    assert trace(agreement.case) == before


def test_editing_the_text_after_signing_asks_for_new_signatures(agreement, director, send_code):
    zhang = _party(agreement, "张三")
    code = send_code(agreement, zhang.pk)
    services.party_sign(
        actor=director,
        case_id=agreement.case_id,
        agreement_id=agreement.pk,
        party_id=zhang.pk,
        id_number=ZHANG_ID,
        code=code,
        signature=drawing(),
    )
    assert len(services.current_signatures(agreement)) == 1
    mediation.agreement_save(
        actor=director,
        case_id=agreement.case_id,
        form=agreement.form,
        facts="双方因宅基地边界发生争执（修改）",
        terms=[mediation.TermDraft(content="李四拆除越界围墙")],
    )
    agreement.refresh_from_db()
    assert services.current_signatures(agreement) == []
    assert "张三" in services.missing_signers(agreement.case, agreement)


def test_a_case_handled_by_a_centre_is_not_sealed_by_anyone(register_case, township_clerk, tree):
    # 人民调解法 art.29: the committee's seal; a 综治中心 seals nothing, and no other committee
    # of the place seals for it (issue #14).
    Organisation.objects.create(
        name="静河镇人民调解委员会",
        kind=OrgKind.TOWNSHIP_COMMITTEE,
        region=tree.township,
        code="430624122TW",
    )
    case = register_case()  # at the township centre
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.MEDIATING, assignee=township_clerk)
    draft = mediation.agreement_save(
        actor=township_clerk,
        case_id=case.pk,
        form=AgreementForm.WRITTEN,
        facts="双方因宅基地边界发生争执",
        terms=[mediation.TermDraft(content="李四拆除越界围墙")],
    )
    before = trace(case)
    with pytest.raises(InvalidInput) as caught:
        services.agreement_seal(actor=township_clerk, case_id=case.pk, agreement_id=draft.pk)
    assert caught.value.errors == {"seal": ["没有可为本协议签章的人民调解委员会。"]}
    assert trace(case) == before
    assert not CommitteeKey.objects.exists()
