"""PAdES signatures with pyHanko: the committee signs the final agreement PDF, and any PDF can be
checked — which key signed it, when, whether that key is one of our committees', and whether a
single byte changed since.

The signature is PAdES baseline B-B (ETSI EN 319 142: /SubFilter ETSI.CAdES.detached, the
signing certificate in the signed attributes), SHA-256. No time-stamp authority is reached from
the intranet, so the signing time is the one the signer states (B-T needs a TSA:
docs/esign.md). Validation never fetches anything (no OCSP, no CRL download).
"""

import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from fengqiao.esign.keys import LoadedKey

FIELD_NAME = "CommitteeSeal"

# pyHanko logs every validation step (and each unreachable revocation source) at INFO/WARNING.
logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)


def sign(pdf: bytes, key: LoadedKey, *, reason: str, location: str) -> bytes:
    """``pdf`` signed by the committee's key as a PAdES B-B signature over the whole file."""
    signer = signers.SimpleSigner(
        signing_cert=key.certificate,
        signing_key=key.private_key,
        cert_registry=SimpleCertificateStore.from_certs([key.certificate, *key.chain]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=key.row.org.name,
        certify=True,  # DocMDP: no change to the document is permitted after this signature
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


@dataclass(frozen=True, slots=True)
class EmbeddedCheck:
    """One signature found in a file, as the validator saw it."""

    field: str
    signer: str  # the certificate's common name
    fingerprint: str  # sha256 of the signing certificate
    signed_at: datetime | None  # the time the signer states (no TSA)
    intact: bool  # the signed bytes hash to the digest in the signature
    valid: bool  # the signature over that digest verifies with the certificate's key
    trusted: bool  # the certificate chains to a committee key installed here
    whole_file: bool  # nothing was appended after the signature
    signed_digest: str  # the messageDigest the signature carries: finds the file we issued

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.whole_file


@dataclass(frozen=True, slots=True)
class PdfCheck:
    """What verification found in a file."""

    sha256: str
    readable: bool
    signatures: list[EmbeddedCheck] = field(default_factory=list)
    problem: str = ""  # why the file could not be read or a signature not be checked

    @property
    def unchanged(self) -> bool:
        """Signed, and not one byte differs from what was signed."""
        return (
            self.readable
            and bool(self.signatures)
            and all(s.intact and s.valid and s.whole_file for s in self.signatures)
        )

    @property
    def trusted(self) -> bool:
        return self.unchanged and all(s.trusted for s in self.signatures)


def _common_name(cert: asn1_x509.Certificate) -> str:
    native = cert.subject.native
    return str(native.get("common_name") or native.get("organization_name") or "")


def _message_digest(sig: object) -> str:
    try:
        attributes = sig.signer_info["signed_attrs"]  # type: ignore[attr-defined]
        for attribute in attributes:
            if attribute["type"].native == "message_digest":
                return bytes(attribute["values"][0].native).hex()
    except (KeyError, ValueError, TypeError, AttributeError):
        return ""
    return ""


def check(
    pdf: bytes,
    *,
    trust_roots: list[asn1_x509.Certificate],
    other_certs: list[asn1_x509.Certificate] = (),  # type: ignore[assignment]
) -> PdfCheck:
    """Validate every signature in ``pdf`` against ``trust_roots``; never raises on bad input."""
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        return PdfCheck(digest, readable=False, problem=type(exc).__name__)
    context = ValidationContext(
        trust_roots=list(trust_roots),
        other_certs=list(other_certs),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    found: list[EmbeddedCheck] = []
    for sig in embedded:
        signed_digest = _message_digest(sig)
        try:
            status = validate_pdf_signature(
                sig,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
            )
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
            return PdfCheck(digest, readable=True, signatures=found, problem=type(exc).__name__)
        cert = status.signing_cert
        found.append(
            EmbeddedCheck(
                field=str(sig.field_name),
                signer=_common_name(cert),
                fingerprint=cert.sha256.hex(),
                signed_at=status.signer_reported_dt,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
                signed_digest=signed_digest,
            )
        )
    return PdfCheck(digest, readable=True, signatures=found)
