"""Encryption of personal data at rest (AES-256-GCM) and keyed blind indexes for exact lookup.

Ciphertexts carry the id of the key that made them ("k1:<base64 nonce+ciphertext>"), so keys can
be rotated: the first key in FENGQIAO_PII_KEYS encrypts, every listed key decrypts.
"""

import base64
import hashlib
import hmac
import os
import re
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


@cache
def _keys(spec: tuple[str, ...]) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for item in spec:
        key_id, _sep, encoded = item.partition(":")
        key = base64.b64decode(encoded)
        if not key_id or len(key) != 32:
            raise ImproperlyConfigured("FENGQIAO_PII_KEYS entries are 'id:base64 of 32 bytes'.")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured("FENGQIAO_PII_KEYS is empty: personal data cannot be stored.")
    return keys


def _current() -> tuple[str, bytes]:
    keys = _keys(tuple(settings.FENGQIAO_PII_KEYS))
    key_id = next(iter(keys))
    return key_id, keys[key_id]


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypt ``plaintext``; ``context`` (e.g. "party.id_number") is bound in as associated data,
    so a ciphertext copied into another column fails to decrypt."""
    if not plaintext:
        return ""
    key_id, key = _current()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    if not token:
        return ""
    key_id, _sep, encoded = token.partition(":")
    key = _keys(tuple(settings.FENGQIAO_PII_KEYS))[key_id]
    raw = base64.b64decode(encoded)
    return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()


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
