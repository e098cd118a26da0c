"""The verification page: who signed when and whether the file changed — one byte altered in a
signed file (in the signed content, or in the unsigned padding of the signature itself) is
reported as changed, on the stored file and on an uploaded copy; a real CA's certificate can be
installed and files it signs verify through its chain."""

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fengqiao.esign import keys, pades, services
from fengqiao.esign.models import CommitteeKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(agreement, sign_everyone, director):
    sign_everyone(agreement)
    return services.agreement_seal(
        actor=director, case_id=agreement.case_id, agreement_id=agreement.pk
    )


def _bytes(signed) -> bytes:
    with signed.document.file.open("rb") as handle:
        return handle.read()


def _flip(content: bytes, position: int) -> bytes:
    altered = bytearray(content)
    altered[position] ^= 0x01
    return bytes(altered)


def _padding_position(content: bytes) -> int:
    """A byte inside /Contents' zero padding: outside the signed ranges, so only the sha256
    comparison with the issued file can tell."""
    start = content.index(b"/Contents <") + len(b"/Contents <")
    end = content.index(b">", start)
    return content.rindex(b"0000", start, end)


def test_the_stored_file_verifies_and_names_who_signed_when(client, director, sealed):
    client.force_login(director)
    response = client.get(reverse("esign:stored", args=[sealed.agreement.case_id, sealed.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="verdict verdict-intact"' in page
    assert "静河村人民调解委员会" in page
    assert "张三" in page
    assert "李四" in page
    assert sealed.sha256 in page


def test_one_byte_changed_in_the_stored_file_is_reported(client, director, sealed):
    content = _bytes(sealed)
    position = content.index(b"stream") + 40  # inside the first page content: signed bytes
    with open(sealed.document.file.path, "wb") as handle:
        handle.write(_flip(content, position))
    client.force_login(director)
    response = client.get(reverse("esign:stored", args=[sealed.agreement.case_id, sealed.pk]))
    page = response.content.decode()
    assert 'class="verdict verdict-changed"' in page
    assert "文件在签名后已被改动" in page


@pytest.mark.parametrize("where", ["signed content", "signature padding", "file header"])
def test_one_byte_changed_in_an_uploaded_copy_is_reported(client, director, sealed, where):
    content = _bytes(sealed)
    position = {
        "signed content": content.index(b"stream") + 40,
        "signature padding": _padding_position(content),
        "file header": 12,
    }[where]
    altered = _flip(content, position)
    check = pades.check(altered, trust_roots=keys.trust_roots())
    assert check.sha256 != sealed.sha256
    client.force_login(director)
    response = client.post(
        reverse("esign:verify"),
        {"file": SimpleUploadedFile("copy.pdf", altered, content_type="application/pdf")},
    )
    assert 'class="verdict verdict-changed"' in response.content.decode()


def test_an_unaltered_upload_is_intact_and_a_plain_pdf_is_unsigned(client, director, sealed):
    client.force_login(director)
    original = client.post(
        reverse("esign:verify"),
        {"file": SimpleUploadedFile("a.pdf", _bytes(sealed), content_type="application/pdf")},
    )
    assert 'class="verdict verdict-intact"' in original.content.decode()
    plain = client.post(
        reverse("esign:verify"),
        {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")},
    )
    assert "verdict-intact" not in plain.content.decode()


def test_someone_outside_the_case_sees_the_verdict_but_not_the_signers(client, outsider, sealed):
    client.force_login(outsider)
    response = client.post(
        reverse("esign:verify"),
        {"file": SimpleUploadedFile("a.pdf", _bytes(sealed), content_type="application/pdf")},
    )
    page = response.content.decode()
    assert 'class="verdict verdict-intact"' in page
    assert "张三" not in page
    assert sealed.agreement.case.number not in page
    stored = client.get(reverse("esign:stored", args=[sealed.agreement.case_id, sealed.pk]))
    assert stored.status_code == 404


def _ca_and_leaf(name: str, tmp_path):
    now = timezone.now()
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试电子认证服务机构根证书")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=730))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = {
        "key": tmp_path / "leaf.key",
        "cert": tmp_path / "leaf.pem",
        "chain": tmp_path / "ca.pem",
    }
    paths["key"].write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    paths["cert"].write_bytes(leaf.public_bytes(pem))
    paths["chain"].write_bytes(ca.public_bytes(pem))
    return paths


def test_a_real_ca_certificate_is_installed_and_the_old_key_kept(
    committee, agreement, sign_everyone, director, tmp_path
):
    key_pem, certificate_pem = keys.self_signed(committee)
    old = keys.key_install(org=committee, key_pem=key_pem, certificate_pem=certificate_pem)
    paths = _ca_and_leaf(committee.name, tmp_path)
    call_command(
        "install_committee_certificate",
        committee.code,
        "--key",
        str(paths["key"]),
        "--cert",
        str(paths["cert"]),
        "--chain",
        str(paths["chain"]),
    )
    old.refresh_from_db()
    assert old.retired_at is not None
    current = CommitteeKey.objects.get(org=committee, retired_at__isnull=True)
    assert current.is_self_signed is False
    sign_everyone(agreement)
    signed = services.agreement_seal(
        actor=director, case_id=agreement.case_id, agreement_id=agreement.pk
    )
    assert signed.key == current
    check = pades.check(
        _bytes(signed), trust_roots=keys.trust_roots(), other_certs=keys.other_certificates()
    )
    assert check.trusted
    assert check.signatures[0].signer == committee.name


def test_a_key_that_is_not_the_certificates_is_refused(committee, tmp_path):
    paths = _ca_and_leaf(committee.name, tmp_path)
    other_key, _cert = keys.self_signed(committee)
    with pytest.raises(keys.KeyRefused):
        keys.key_install(
            org=committee, key_pem=other_key, certificate_pem=paths["cert"].read_bytes()
        )
    assert not CommitteeKey.objects.exists()
