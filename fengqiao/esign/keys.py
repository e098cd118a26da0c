"""The signing keys of the 人民调解委员会: made, installed and unwrapped.

A committee's private key is stored only encrypted through the personal-data key provider
(``core.crypto.encrypt``, context ``esign.key``: FENGQIAO_PII_KEYS or FENGQIAO_KEY_PROVIDER,
rotated by ``rotate_pii_keys`` like every personal field). Without a certificate from a CA a
committee gets a self-signed one on its first signature (the demo, the tests, a pilot); a real
one is installed with ``manage.py install_committee_certificate`` (docs/esign.md), which retires
the previous key but keeps it, so files it signed still verify.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import NameOID
from django.db import transaction

from fengqiao.core import clock, crypto
from fengqiao.esign.models import CommitteeKey
from fengqiao.orgs.models import Organisation

KEY_CONTEXT = "esign.key"
SELF_SIGNED_YEARS = 5


class KeyRefused(ValueError):
    """A key or certificate that cannot be installed, with the reason."""


@dataclass(frozen=True, slots=True)
class LoadedKey:
    row: CommitteeKey
    certificate: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]
    private_key: asn1_keys.PrivateKeyInfo


def fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def _name(org: Organisation) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org.name),
            x509.NameAttribute(NameOID.COMMON_NAME, org.name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, org.code),
        ]
    )


def self_signed(org: Organisation, *, now: datetime | None = None) -> tuple[bytes, bytes]:
    """A new P-256 key and a self-signed certificate naming the committee (PEM key, PEM cert):
    key usage digitalSignature + nonRepudiation (contentCommitment), as a signing seal needs."""
    now = now or clock.now()
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(org)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * SELF_SIGNED_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def _check_pair(key: PrivateKeyTypes, certificate: x509.Certificate) -> None:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyRefused("只支持 RSA 或 ECDSA 密钥（SM2 见 docs/esign.md）。")
    ours = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    theirs = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if ours != theirs:
        raise KeyRefused("证书与私钥不匹配。")


@transaction.atomic
def key_install(
    *, org: Organisation, key_pem: bytes, certificate_pem: bytes, chain_pem: bytes = b""
) -> CommitteeKey:
    """Make this key and certificate the committee's current signing key; the previous one is
    retired (kept for verification).

    Raises:
        KeyRefused: unreadable PEM, a key that is not the certificate's, or an expired certificate.
    """
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
        certificate = x509.load_pem_x509_certificate(certificate_pem)
        chain = x509.load_pem_x509_certificates(chain_pem) if chain_pem.strip() else []
    except ValueError as exc:
        raise KeyRefused(f"无法读取密钥或证书：{exc}") from exc
    _check_pair(key, certificate)
    now = clock.now()
    if certificate.not_valid_after_utc <= now:
        raise KeyRefused("证书已过期。")
    CommitteeKey.objects.select_for_update().filter(org=org, retired_at__isnull=True).update(
        retired_at=now
    )
    plain_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return CommitteeKey.objects.create(
        org=org,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        chain_pem="".join(
            c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in chain
        ),
        private_key_encrypted=crypto.encrypt(plain_key, context=KEY_CONTEXT),
        fingerprint=fingerprint(certificate),
        subject=certificate.subject.rfc4514_string()[:300],
        is_self_signed=certificate.issuer == certificate.subject,
        valid_until=certificate.not_valid_after_utc,
        created_at=now,
    )


def key_current(org: Organisation) -> CommitteeKey:
    """The committee's current key, making a self-signed one the first time. Call inside the
    caller's transaction: the committee row is locked so two first signatures make one key."""
    Organisation.objects.select_for_update().filter(pk=org.pk).first()
    row = CommitteeKey.objects.filter(org=org, retired_at__isnull=True).first()
    if row is not None and row.valid_until > clock.now():
        return row
    key_pem, certificate_pem = self_signed(org)
    return key_install(org=org, key_pem=key_pem, certificate_pem=certificate_pem)


def key_load(row: CommitteeKey) -> LoadedKey:
    """Unwrap the key through the key provider, as pyHanko wants it."""
    key_pem = crypto.decrypt(row.private_key_encrypted, context=KEY_CONTEXT).encode("ascii")
    key = serialization.load_pem_private_key(key_pem, password=None)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return LoadedKey(
        row=row,
        certificate=certificate_of(row),
        chain=tuple(chain_of(row)),
        private_key=asn1_keys.PrivateKeyInfo.load(der),
    )


def _asn1(pem: str) -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in x509.load_pem_x509_certificates(pem.encode("ascii"))
    ]


def certificate_of(row: CommitteeKey) -> asn1_x509.Certificate:
    return _asn1(row.certificate_pem)[0]


def chain_of(row: CommitteeKey) -> list[asn1_x509.Certificate]:
    return _asn1(row.chain_pem) if row.chain_pem.strip() else []


def trust_roots() -> list[asn1_x509.Certificate]:
    """What the verification page trusts: every committee certificate ever installed here
    (self-signed ones are their own root) and the roots of the CA chains installed with them."""
    roots: dict[bytes, asn1_x509.Certificate] = {}
    for row in CommitteeKey.objects.all():
        for cert in (certificate_of(row), *chain_of(row)):
            if row.is_self_signed or cert.self_signed != "no":
                roots[cert.sha256] = cert
    return list(roots.values())


def other_certificates() -> list[asn1_x509.Certificate]:
    """Intermediates of installed chains, to build paths from a leaf to its root."""
    found: dict[bytes, asn1_x509.Certificate] = {}
    for row in CommitteeKey.objects.exclude(chain_pem=""):
        for cert in chain_of(row):
            found[cert.sha256] = cert
    return list(found.values())
