"""Encryption of personal data at rest and keyed blind indexes for exact lookup.

Keys are listed in FENGQIAO_PII_KEYS as "id:base64" (AES-256-GCM, 32 bytes) or "id:sm4:base64"
(SM4-GCM, 16 bytes, for 国密 deployments, GB/T 32907). Ciphertexts carry the id of the key that
made them ("k1:<base64 nonce+ciphertext+tag>"), so keys can be rotated: the first key encrypts,
every listed key decrypts, and ``manage.py rotate_pii_keys`` re-encrypts old rows.

Where the keys come from is pluggable (FENGQIAO_KEY_PROVIDER, a dotted path to a callable that
returns the same list): the environment by default, ``file_key_provider`` for keys a KMS agent or
systemd's LoadCredential= writes to a file readable by this service only, or a site's own
provider that asks its KMS to unwrap the data keys (it should cache what it fetched).
"""

import base64
import hashlib
import hmac
import os
import re
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

NONCE_BYTES = 12


AES, SM4 = "aes-256-gcm", "sm4-gcm"
TAG_BYTES = 16


@cache
def _keys(spec: tuple[str, ...]) -> dict[str, tuple[str, bytes]]:
    keys: dict[str, tuple[str, bytes]] = {}
    for item in spec:
        parts = item.split(":")
        key_id, cipher, encoded = (
            (parts[0], SM4, parts[2])
            if len(parts) == 3 and parts[1] == "sm4"
            else (parts[0], AES, parts[-1])
        )
        key = base64.b64decode(encoded)
        size = 16 if cipher == SM4 else 32
        if not key_id or len(key) != size or len(parts) not in (2, 3):
            raise ImproperlyConfigured(
                "FENGQIAO_PII_KEYS entries are 'id:base64 of 32 bytes' (AES-256-GCM) or "
                "'id:sm4:base64 of 16 bytes' (SM4-GCM)."
            )
        keys[key_id] = (cipher, key)
    if not keys:
        raise ImproperlyConfigured("FENGQIAO_PII_KEYS is empty: personal data cannot be stored.")
    return keys


def key_specs() -> tuple[str, ...]:
    """The configured key list, from the provider if one is set."""
    provider = getattr(settings, "FENGQIAO_KEY_PROVIDER", "")
    if provider:
        return tuple(import_string(provider)())
    return tuple(settings.FENGQIAO_PII_KEYS)


def file_key_provider() -> list[str]:
    """Keys from FENGQIAO_PII_KEYS_FILE, one "id:base64" or "id:sm4:base64" a line, first encrypts
    (re-read when the file changes, so rotation needs no restart)."""
    path = Path(getattr(settings, "FENGQIAO_PII_KEYS_FILE", ""))
    return list(_read_key_file(str(path), path.stat().st_mtime_ns))


@cache
def _read_key_file(path: str, _mtime: int) -> tuple[str, ...]:
    lines = Path(path).read_text(encoding="ascii").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def current_key_id() -> str:
    """The id of the key that encrypts now (the first listed)."""
    return next(iter(_keys(key_specs())))


def key_id_of(token: str) -> str:
    return token.partition(":")[0] if token else ""


def _seal(cipher: str, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    if cipher == AES:
        return AESGCM(key).encrypt(nonce, data, aad)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _open(cipher: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if cipher == AES:
        return AESGCM(key).decrypt(nonce, sealed, aad)
    body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body) + decryptor.finalize()


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypt ``plaintext``; ``context`` (e.g. "party.id_number") is bound in as associated data,
    so a ciphertext copied into another column fails to decrypt."""
    if not plaintext:
        return ""
    key_id = current_key_id()
    cipher, key = _keys(key_specs())[key_id]
    nonce = os.urandom(NONCE_BYTES)
    sealed = _seal(cipher, key, nonce, plaintext.encode(), context.encode())
    return f"{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    if not token:
        return ""
    key_id, _sep, encoded = token.partition(":")
    cipher, key = _keys(key_specs())[key_id]
    raw = base64.b64decode(encoded)
    return _open(cipher, key, raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()


# Encrypted columns, registered by the apps that own them: (app_label.Model, field, context).
# ``rotate_pii_keys`` re-encrypts each under the current key.
ENCRYPTED_FIELDS: list[tuple[str, str, str]] = []


def register_encrypted_field(model: str, field: str, context: str) -> None:
    if (model, field, context) not in ENCRYPTED_FIELDS:
        ENCRYPTED_FIELDS.append((model, field, context))


def blind_index(value: str, *, context: str) -> str:
    """Keyed hash of a normalised value: equal inputs match, the value itself cannot be
    recovered."""
    if not value:
        return ""
    key = base64.b64decode(settings.FENGQIAO_BLIND_INDEX_KEY or "")
    if len(key) < 32:
        raise ImproperlyConfigured("FENGQIAO_BLIND_INDEX_KEY must be base64 of at least 32 bytes.")
    return hmac.new(key, f"{context}:{value}".encode(), hashlib.sha256).hexdigest()


def normalise_phone(phone: str) -> str:
    """Digits only, without the +86 / 0086 country prefix: '+86 138-0013-8000' → '13800138000'."""
    digits = re.sub(r"\D", "", phone)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix) :]
    return digits


def phone_tail_index(phone: str) -> str:
    """Blind index of a normalised phone's last four digits, in its own context: "尾号" search.
    Four digits have only 10⁴ values, so this index narrows a search but never identifies a
    person on its own; the full number keeps its separate index."""
    digits = normalise_phone(phone)
    return blind_index(digits[-4:], context="phone_tail") if len(digits) >= 4 else ""


def normalise_id_number(id_number: str) -> str:
    return id_number.strip().upper()


def mask_id_number(id_number: str) -> str:
    """Keep the first 4 and last 4 characters (GB/T 35273 practice): 4306**********1234."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits: 138****8000."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


# The division and settlement words an address is read down to when masked; what follows the
# last of them (road, building, house number) is what identifies a household.
_ADDRESS_LEVELS = re.compile(r"省|自治区|自治州|地区|市|区|县|旗|街道|镇|乡|苏木|社区|居委会|村|组")


def mask_address(address: str) -> str:
    """Keep the address down to its village, community or 组 and star the rest:
    湖南省湘阴县静河镇青湖村3组*** (issue #14: 住址 is personal data like the ID number)."""
    address = address.strip()
    if not address:
        return ""
    cut = 0
    for found in _ADDRESS_LEVELS.finditer(address):
        cut = found.end()
    if cut == 0:
        cut = len(address) // 3
    return address if cut >= len(address) else address[:cut] + "***"
