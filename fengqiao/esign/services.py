"""Every write of electronic signing (电子签名法 art.13): the one-time code, a party's signature
after the identity check, the mediator's signature, and the committee's PAdES signature of the
final agreement PDF. Each is a timeline event and an audit entry; a refused identity check
writes neither, stores no signature and schedules nothing (only the code's try counter moves,
so the code locks after a few wrong tries).

The signatures also count as the agreement's ordinary signatures (``mediation.agreement_sign``),
so the art.29 checklist and ``agreement_make_effective`` see them unchanged.
"""

import base64
import binascii
import hashlib
import hmac
import io
import json
import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import AgreementForm, EventKind
from fengqiao.cases.models import Case, Party
from fengqiao.cases.services import case_record_event
from fengqiao.core import clock, crypto
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound
from fengqiao.documents.casefile import case_file_load
from fengqiao.documents.choices import DocumentFormat, DocumentKind
from fengqiao.documents.models import GeneratedDocument
from fengqiao.esign import keys, pades, pdf
from fengqiao.esign.models import CommitteeKey, ElectronicSignature, SignedAgreement, SigningCode
from fengqiao.mediation import seals
from fengqiao.mediation import services as mediation
from fengqiao.mediation.choices import SignatureRole
from fengqiao.mediation.models import Agreement
from fengqiao.notifications import sms
from fengqiao.orgs.models import Organisation

logger = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=10)
MAX_TRIES = 5
MAX_IMAGE_BYTES = 300_000
MIN_INK_PIXELS = 60  # fewer dark pixels than this is an empty pad or a dot, not a signature


def _refused(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def text_digest(agreement: Agreement) -> str:
    """sha256 of what the parties sign (the fields and terms ``mediation.agreement_save``
    compares): a signature is bound to this text, an edited agreement needs new ones."""
    fields = ("parties_particulars", "facts", "issues", "responsibilities", "oral_record")
    payload = {
        "agreement": agreement.pk,
        "form": agreement.form,
        "reached_on": agreement.reached_on.isoformat() if agreement.reached_on else "",
        "fields": [getattr(agreement, name) for name in fields],
        "terms": [
            [t.content, t.obligor, t.manner, t.place, t.due_on.isoformat() if t.due_on else ""]
            for t in agreement.terms.order_by("order", "pk")
        ],
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def sealing_committee(case: Case) -> Organisation | None:
    """The 人民调解委员会 whose key signs the agreement (人民调解法 art.29): the case's
    mediating body as ``mediation.seals`` chooses it, the one the committee seal names too; a
    case handled by a centre or a 司法所 has none (issue #14), not a guess at a committee nearby."""
    return seals.sealing_body(case)


def _open(actor: User, case_id: int, agreement_id: int, *, lock: bool) -> tuple[Case, Agreement]:
    """The case and its written draft agreement, if the actor may mediate the case (a case
    outside the actor's view is not found)."""
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=lock)
    access.require(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix)
    agreements = Agreement.objects.filter(case=case, pk=agreement_id)
    agreement = (agreements.select_for_update() if lock else agreements).first()
    if agreement is None:
        raise NotFound(gettext("Agreement not found."))
    if agreement.form != AgreementForm.WRITTEN:
        raise _refused("agreement", gettext("Only a written agreement is signed."))
    if agreement.effective_on is not None:
        raise _refused("agreement", gettext("This agreement is already in force."))
    return case, agreement


def _party(case: Case, party_id: int) -> Party:
    party = Party.objects.filter(case=case, pk=party_id, anonymised_at__isnull=True).first()
    if party is None:
        raise NotFound(gettext("Party not found."))
    return party


def _code_hash(row_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"esign.code|{row_id}|{code}".encode(), hashlib.sha256).hexdigest()


def _send_sms(phone: str, text: str, code: str) -> None:
    """The platform's SMS gateway (the portal's verification codes use the same), after the
    commit; a gateway failure is logged, and the code can be asked again after a minute."""
    try:
        sms.send_sms(phone, text, template="code", params={"code": code})
    except sms.SmsError:
        logger.exception("esign: SMS to %s could not be sent", crypto.mask_phone(phone))


@transaction.atomic
def signing_code_send(
    *, actor: User, case_id: int, agreement_id: int, party_id: int
) -> SigningCode:
    """Send a 6-digit code to the party's registered phone, for them to sign this agreement.

    Raises:
        NotFound: the case, agreement or party is missing or outside the actor's jurisdiction.
        PermissionDeniedError: the actor may not mediate the case.
        InvalidInput: no phone registered, the agreement is not a draft written agreement, or a
            code went to this party in the last minute.
    """
    case, agreement = _open(actor, case_id, agreement_id, lock=True)
    party = _party(case, party_id)
    phone = party.reveal()["phone"] if party.phone_encrypted else ""
    if not (len(phone) == 11 and phone.startswith("1")):
        raise _refused(
            "code",
            gettext("No mobile phone is registered for this party: add it to the case first."),
        )
    now = clock.now()
    recent = SigningCode.objects.filter(
        agreement=agreement, party=party, created_at__gt=now - timedelta(minutes=1)
    )
    if recent.exists():
        raise _refused("code", gettext("A code was just sent. Please wait a minute and try again."))
    row = SigningCode.objects.create(
        agreement=agreement, party=party, code_hash="", created_at=now, expires_at=now + CODE_TTL
    )
    code = f"{secrets.randbelow(10**6):06d}"
    row.code_hash = _code_hash(row.pk, code)
    row.save(update_fields=["code_hash"])
    data = {"step": "esign_code_sent", "agreement": agreement.pk, "party": party.pk}
    case_record_event(actor=actor, case_id=case.pk, kind=EventKind.MEDIATION_RECORDED, data=data)
    record(
        actor=actor,
        action=AuditAction.CASE_RECORDED,
        target=case,
        org=case.handling_org,
        extra={**data, "phone": party.phone_masked},
    )
    text = gettext(
        "[Fengqiao] You are signing mediation agreement {number}. Your code is {code}, valid "
        "for 10 minutes. Do not tell anyone."
    ).format(number=case.number, code=code)
    transaction.on_commit(lambda: _send_sms(phone, text, code))
    return row


def signature_image(data_url: str) -> bytes:
    """The drawn signature as a clean PNG (re-encoded: no metadata, white background).

    Raises:
        InvalidInput: not a PNG data URL, too large, or (almost) nothing drawn.
    """
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise _refused("signature", gettext("Please sign in the box."))
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except binascii.Error:
        raise _refused("signature", gettext("Please sign in the box.")) from None
    if len(raw) > MAX_IMAGE_BYTES:
        raise _refused("signature", gettext("The signature image is too large."))
    try:
        opened = Image.open(io.BytesIO(raw))
        if opened.format != "PNG" or opened.width > 3000 or opened.height > 1500:
            raise _refused("signature", gettext("Please sign in the box."))
        image = opened.convert("RGBA")
    except (UnidentifiedImageError, OSError):
        raise _refused("signature", gettext("Please sign in the box.")) from None
    flat = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat.alpha_composite(image)
    grey = flat.convert("L")
    ink = sum(grey.histogram()[:128])
    if ink < MIN_INK_PIXELS:
        raise _refused("signature", gettext("The signature is empty: please sign in the box."))
    out = io.BytesIO()
    grey.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _check_code(row: SigningCode | None, code: str, *, identity_ok: bool) -> None:
    """Check the code (and the ID result) in a transaction of its own, so a wrong try counts
    even though the signature is refused."""
    if row is None:
        raise _refused("code", gettext("Get a verification code first."))
    with transaction.atomic():
        row = SigningCode.objects.select_for_update().get(pk=row.pk)
        if row.used_at is not None:
            raise _refused("code", gettext("This code has been used. Get a new one."))
        if row.attempts >= MAX_TRIES:
            raise _refused(
                "code", gettext("Too many wrong tries: this code is locked. Get a new one.")
            )
        if row.expires_at <= clock.now():
            raise _refused("code", gettext("The code has expired. Get a new one."))
        code_ok = (
            len(code) == 6
            and code.isdigit()
            and hmac.compare_digest(row.code_hash, _code_hash(row.pk, code))
        )
        if code_ok and identity_ok:
            row.used_at = clock.now()
            row.save(update_fields=["used_at"])
            return
        row.attempts += 1
        row.save(update_fields=["attempts"])
    if not identity_ok:
        raise _refused(
            "id_number", gettext("The ID number does not match the one registered for this party.")
        )
    raise _refused("code", gettext("Wrong code."))


def _record_signature(
    *,
    actor: User,
    case: Case,
    agreement: Agreement,
    role: str,
    party: Party | None,
    signer_name: str,
    png: bytes,
    identity_checks: list[str],
) -> ElectronicSignature:
    digest = text_digest(agreement)
    mediation.agreement_sign(
        actor=actor,
        agreement_id=agreement.pk,
        role=role,
        party_id=party.pk if party else None,
        signer_name=signer_name,
        signed_on=clock.today(),
    )
    signature = ElectronicSignature.objects.create(
        agreement=agreement,
        role=role,
        party=party,
        signer_user=actor if role == SignatureRole.MEDIATOR else None,
        signer_name=signer_name,
        image_png=png,
        image_sha256=hashlib.sha256(png).hexdigest(),
        text_sha256=digest,
        identity_checks=identity_checks,
        recorded_by=actor,
    )
    data = {
        "step": "esign_signed",
        "agreement": agreement.pk,
        "role": role,
        "party": party.pk if party else None,
        "identity": identity_checks,
        "image_sha256": signature.image_sha256,
        "text_sha256": digest,
    }
    case_record_event(actor=actor, case_id=case.pk, kind=EventKind.MEDIATION_RECORDED, data=data)
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=signature,
        org=case.handling_org,
        extra={"case": case.number, **data},
    )
    return signature


def party_sign(
    *,
    actor: User,
    case_id: int,
    agreement_id: int,
    party_id: int,
    id_number: str,
    code: str,
    signature: str,
) -> ElectronicSignature:
    """A party's signature drawn on screen, after the identity check: the ID number typed must
    match the party's blind index and the code sent to the party's registered phone must be right.

    Raises:
        NotFound: the case, agreement or party is missing or outside the actor's jurisdiction.
        PermissionDeniedError: the actor may not mediate the case.
        InvalidInput: empty pad, no ID number registered, wrong ID number, missing, wrong,
            expired, used or locked code, or the party already signed this text.
    """
    case, agreement = _open(actor, case_id, agreement_id, lock=False)
    party = _party(case, party_id)
    png = signature_image(signature)
    if not party.id_number_index:
        raise _refused(
            "id_number",
            gettext("No ID number is registered for this party: add it to the case first."),
        )
    typed = crypto.normalise_id_number(id_number)
    identity_ok = bool(typed) and hmac.compare_digest(
        crypto.blind_index(typed, context="id_number"), party.id_number_index
    )
    latest = SigningCode.objects.filter(agreement=agreement, party=party).first()
    _check_code(latest, code.strip(), identity_ok=identity_ok)
    with transaction.atomic():
        case, agreement = _open(actor, case_id, agreement_id, lock=True)
        if ElectronicSignature.objects.filter(
            agreement=agreement, party=party, text_sha256=text_digest(agreement)
        ).exists():
            raise _refused("signature", gettext("Already signed."))
        return _record_signature(
            actor=actor,
            case=case,
            agreement=agreement,
            role=SignatureRole.PARTY,
            party=party,
            signer_name=party.name,
            png=png,
            identity_checks=["id_number", "sms_code"],
        )


@transaction.atomic
def mediator_sign(
    *, actor: User, case_id: int, agreement_id: int, signature: str
) -> ElectronicSignature:
    """The mediator's own signature drawn on screen, under the mediator's signed-in account.

    Raises:
        NotFound / PermissionDeniedError: as for the parties.
        InvalidInput: empty pad, or the mediator already signed this text.
    """
    case, agreement = _open(actor, case_id, agreement_id, lock=True)
    png = signature_image(signature)
    if ElectronicSignature.objects.filter(
        agreement=agreement, role=SignatureRole.MEDIATOR, text_sha256=text_digest(agreement)
    ).exists():
        raise _refused("signature", gettext("Already signed."))
    return _record_signature(
        actor=actor,
        case=case,
        agreement=agreement,
        role=SignatureRole.MEDIATOR,
        party=None,
        signer_name=actor.full_name or actor.username,
        png=png,
        identity_checks=["staff_session"],
    )


def current_signatures(agreement: Agreement) -> list[ElectronicSignature]:
    """The drawn signatures given to the agreement's present text, parties first."""
    digest = text_digest(agreement)
    rows = ElectronicSignature.objects.filter(agreement=agreement, text_sha256=digest)
    return sorted(rows.select_related("party"), key=lambda s: (s.role != "party", s.pk))


def missing_signers(case: Case, agreement: Agreement) -> list[str]:
    """Names of who still has to sign the present text electronically (parties, then 调解员)."""
    signed = current_signatures(agreement)
    parties = {s.party_id for s in signed if s.role == SignatureRole.PARTY}
    names = [
        p.name
        for p in Party.objects.filter(case=case, anonymised_at__isnull=True).order_by("pk")
        if p.pk not in parties
    ]
    if not any(s.role == SignatureRole.MEDIATOR for s in signed):
        names.append(gettext("the mediator"))
    return names


def agreement_seal(*, actor: User, case_id: int, agreement_id: int) -> SignedAgreement:
    """Make the final agreement PDF with every drawn signature and sign it with the committee's
    key (PAdES); store it with its sha256, record the committee seal on the agreement.

    Raises:
        NotFound / PermissionDeniedError: as for the parties.
        InvalidInput: someone has not signed, or the case has no 人民调解委员会 to seal it.
        ConflictError: the text or the signatures changed while the file was being made.
    """
    case, agreement = _open(actor, case_id, agreement_id, lock=False)
    committee = sealing_committee(case)
    if committee is None:
        raise _refused("seal", gettext("No people's mediation committee can seal this agreement."))
    missing = missing_signers(case, agreement)
    if missing:
        raise _refused(
            "seal",
            gettext("Not yet signed by: %(names)s.") % {"names": "、".join(missing)},
        )
    digest = text_digest(agreement)
    signatures = current_signatures(agreement)
    data = case_file_load(case)
    if data.written is None or data.written.pk != agreement.pk:
        raise ConflictError(gettext("A newer agreement has been drawn up for this case."))
    page = pdf.signed_agreement_pdf(
        data, signatures=signatures, committee=committee, text_sha256=digest
    )
    with transaction.atomic():
        case, agreement = _open(actor, case_id, agreement_id, lock=True)
        if text_digest(agreement) != digest or [s.pk for s in current_signatures(agreement)] != [
            s.pk for s in signatures
        ]:
            raise ConflictError(gettext("The agreement changed meanwhile: please seal again."))
        key_row, created = _committee_key(committee)
        loaded = keys.key_load(key_row)
        location = committee.region.name if committee.region_id else committee.name
        signed = pades.sign(
            page.content, loaded, reason=f"{case.number} 人民调解协议书", location=location
        )
        checked = pades.check(signed, trust_roots=keys.trust_roots())
        signed_digest = checked.signatures[0].signed_digest if checked.signatures else ""
        if created:
            record(
                actor=actor,
                action=AuditAction.RECORD_CREATED,
                target=key_row,
                org=committee,
                extra={"step": "esign_key_created", "fingerprint": key_row.fingerprint},
            )
        return _store(
            actor=actor,
            case=case,
            agreement=agreement,
            content=signed,
            template_version=page.template_version,
            key_row=key_row,
            committee=committee,
            signatures=signatures,
            text_sha256=digest,
            signed_digest=signed_digest,
        )


def _committee_key(committee: Organisation) -> tuple[CommitteeKey, bool]:
    before = CommitteeKey.objects.filter(org=committee, retired_at__isnull=True).first()
    row = keys.key_current(committee)
    return row, before is None or before.pk != row.pk


def _store(
    *,
    actor: User,
    case: Case,
    agreement: Agreement,
    content: bytes,
    template_version: str,
    key_row: CommitteeKey,
    committee: Organisation,
    signatures: list[ElectronicSignature],
    text_sha256: str,
    signed_digest: str,
) -> SignedAgreement:
    sha256 = hashlib.sha256(content).hexdigest()
    document = GeneratedDocument(
        case=case,
        kind=DocumentKind.AGREEMENT,
        format=DocumentFormat.PDF,
        template_version=template_version[:100],
        sha256=sha256,
        size=len(content),
        generated_by=actor,
    )
    document.file.save("agreement-signed.pdf", ContentFile(content), save=False)
    stored = document.file.name
    try:
        document.save()
        signed = SignedAgreement.objects.create(
            agreement=agreement,
            document=document,
            key=key_row,
            sha256=sha256,
            signed_digest=signed_digest,
            text_sha256=text_sha256,
            signed_by=actor,
        )
        signed.signatures.set(signatures)
        mediation.agreement_sign(
            actor=actor,
            agreement_id=agreement.pk,
            role=SignatureRole.SEAL,
            signer_name=committee.name,
            signed_on=clock.today(),
        )
        details: dict[str, Any] = {
            "document": document.pk,
            "kind": DocumentKind.AGREEMENT.value,
            "format": DocumentFormat.PDF.value,
            "sha256": sha256,
            "template_version": document.template_version,
            "signed": "pades",
            "signed_agreement": signed.pk,
            "committee": committee.pk,
            "certificate": key_row.fingerprint,
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
    except BaseException:
        document.file.storage.delete(stored)  # no row, no file: nothing half-written stays
        raise
    return signed
