"""Reads of electronic signing: the state of a case's written agreement for the case panel and
the signing page, and the verification of a PDF (who signed when, and whether it changed)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import AgreementForm
from fengqiao.cases.models import Case, Party
from fengqiao.core.exceptions import ConflictError, NotFound
from fengqiao.esign import keys, pades
from fengqiao.esign.models import ElectronicSignature, SignedAgreement
from fengqiao.esign.services import current_signatures, sealing_committee, text_digest
from fengqiao.mediation.choices import SignatureRole
from fengqiao.mediation.models import Agreement, Signature
from fengqiao.orgs.models import Organisation


@dataclass(frozen=True, slots=True)
class PartyState:
    party: Party
    signature: ElectronicSignature | None
    signed_on_paper: bool  # a signature recorded by hand (the paper copy), not drawn here
    has_id_number: bool
    has_mobile: bool


@dataclass(frozen=True, slots=True)
class SigningState:
    """Where the electronic signing of one written draft agreement stands."""

    case: Case
    agreement: Agreement | None
    parties: list[PartyState] = field(default_factory=list)
    mediator: ElectronicSignature | None = None
    mediator_on_paper: bool = False
    committee: Organisation | None = None
    signed_files: list[SignedAgreement] = field(default_factory=list)
    can_sign: bool = False
    text_sha256: str = ""

    @property
    def ready_to_seal(self) -> bool:
        return (
            self.agreement is not None
            and self.committee is not None
            and self.mediator is not None
            and bool(self.parties)
            and all(p.signature is not None for p in self.parties)
            and not self.sealed
        )

    @property
    def sealed(self) -> bool:
        return any(f.text_sha256 == self.text_sha256 for f in self.signed_files)


def signing_state_for(
    *, actor: User, case_id: int, agreement_id: int | None = None
) -> SigningState:
    """The written agreement being signed (the newest not in force, or ``agreement_id``) and
    who has signed it. Missing and out-of-jurisdiction cases raise the same NotFound."""
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    agreements = Agreement.objects.filter(case=case, form=AgreementForm.WRITTEN)
    if agreement_id is not None:
        agreement = agreements.filter(pk=agreement_id).first()
        if agreement is None:
            raise NotFound(gettext("Agreement not found."))
    else:
        agreement = agreements.filter(effective_on__isnull=True).order_by("-pk").first()
    files = list(
        SignedAgreement.objects.filter(agreement__case=case)
        .select_related("document", "key__org")
        .order_by("-signed_at")
    )
    if agreement is None:
        return SigningState(case=case, agreement=None, signed_files=files)
    signed = current_signatures(agreement)
    by_party = {s.party_id: s for s in signed if s.role == SignatureRole.PARTY}
    paper = set(Signature.objects.filter(agreement=agreement).values_list("role", "party_id"))
    parties = [
        PartyState(
            party=p,
            signature=by_party.get(p.pk),
            signed_on_paper=p.pk not in by_party and (SignatureRole.PARTY, p.pk) in paper,
            has_id_number=bool(p.id_number_index),
            has_mobile=p.phone_masked.startswith("1") and len(p.phone_masked) == 11,
        )
        for p in Party.objects.filter(case=case, anonymised_at__isnull=True).order_by("pk")
    ]
    mediator = next((s for s in signed if s.role == SignatureRole.MEDIATOR), None)
    return SigningState(
        case=case,
        agreement=agreement,
        parties=parties,
        mediator=mediator,
        mediator_on_paper=mediator is None
        and any(role == SignatureRole.MEDIATOR for role, _party in paper),
        committee=sealing_committee(case),
        signed_files=files,
        can_sign=agreement.effective_on is None
        and access.can(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix),
        text_sha256=text_digest(agreement),
    )


@dataclass(frozen=True, slots=True)
class Verification:
    """The verdict on one file: ``intact`` (signed here, not one byte changed), ``changed``,
    ``unknown`` (validly signed, but not by a committee key installed here, or not issued
    here), ``unsigned`` or ``unreadable``."""

    verdict: str
    check: pades.PdfCheck
    issued: SignedAgreement | None  # the file we issued that this one is (or claims to be)
    signatures: list[ElectronicSignature] = field(default_factory=list)  # shown when in scope
    may_see_details: bool = False


def _issued_for(check: pades.PdfCheck) -> SignedAgreement | None:
    query = SignedAgreement.objects.select_related("agreement__case", "key__org", "document")
    exact = query.filter(sha256=check.sha256).first()
    if exact is not None:
        return exact
    digests = [s.signed_digest for s in check.signatures if s.signed_digest]
    return query.filter(signed_digest__in=digests).first() if digests else None


def file_verify(*, actor: User, content: bytes) -> Verification:
    """Verify a PDF: every PAdES signature validated by pyHanko against the committee keys
    installed here, and the bytes compared with the file we issued. The signers drawn on the
    signature page are listed only to someone who may view the case."""
    check = pades.check(
        content, trust_roots=keys.trust_roots(), other_certs=keys.other_certificates()
    )
    issued = _issued_for(check) if check.readable else None
    if not check.readable:
        verdict = "unreadable" if issued is None else "changed"
    elif not check.signatures:
        verdict = "unsigned" if not check.problem else "changed"
    elif not check.unchanged or (issued is not None and issued.sha256 != check.sha256):
        verdict = "changed"
    elif not check.trusted or issued is None:
        verdict = "unknown"
    else:
        verdict = "intact"
    may_see = False
    signatures: list[ElectronicSignature] = []
    if issued is not None:
        case = issued.agreement.case
        may_see = access.can(actor, Capability.CASE_VIEW, prefix=case.handling_prefix)
        if may_see:
            signatures = list(issued.signatures.order_by("signed_at", "pk"))
    return Verification(verdict, check, issued, signatures, may_see)


def stored_file_verify(*, actor: User, case_id: int, signed_id: int) -> Verification:
    """Verify a signed agreement as it is stored now (a changed file on disk says so).

    Raises:
        NotFound: missing, of another case, or the case is outside the actor's jurisdiction.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    signed = (
        SignedAgreement.objects.filter(pk=signed_id, agreement__case=case)
        .select_related("document")
        .first()
    )
    if signed is None:
        raise NotFound(gettext("Signed agreement not found."))
    try:
        with signed.document.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise ConflictError(gettext("The stored file is missing.")) from None
    result = file_verify(actor=actor, content=content)
    if result.issued is None or result.issued.pk != signed.pk:
        return Verification("changed", result.check, signed, result.signatures, True)
    return result
