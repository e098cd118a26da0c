"""Key rotation and SM4: a new first key encrypts, old keys still decrypt, rotate_pii_keys moves
every registered column onto the current key; SM4-GCM keys work like AES ones (国密)."""

import base64
import os
from io import StringIO

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from fengqiao.cases.models import Party
from fengqiao.core import crypto

OLD = "old:" + base64.b64encode(os.urandom(32)).decode()
NEW_SM4 = "gm1:sm4:" + base64.b64encode(os.urandom(16)).decode()


def test_sm4_round_trip_binds_the_context(settings):
    settings.FENGQIAO_PII_KEYS = [NEW_SM4]
    token = crypto.encrypt("430624199001011233", context="party.id_number")
    assert token.startswith("gm1:")
    assert crypto.decrypt(token, context="party.id_number") == "430624199001011233"
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, context="party.phone")
    key_id, _sep, body = token.partition(":")
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt(
            f"{key_id}:{base64.b64encode(bytes(raw)).decode()}", context="party.id_number"
        )


def test_bad_key_specs_are_refused(settings):
    settings.FENGQIAO_PII_KEYS = ["x:sm4:" + base64.b64encode(os.urandom(32)).decode()]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("a", context="c")


@pytest.mark.django_db
def test_rotation_re_encrypts_every_registered_column(settings, register_case):
    settings.FENGQIAO_PII_KEYS = [OLD]
    case = register_case()
    party = Party.objects.filter(case=case).exclude(phone_encrypted="").first()
    before = party.reveal()
    assert party.phone_encrypted.startswith("old:")

    settings.FENGQIAO_PII_KEYS = [NEW_SM4, OLD]  # a new key first; the old one still decrypts
    dry = StringIO()
    call_command("rotate_pii_keys", "--dry-run", stdout=dry)
    assert "cases.Party.phone_encrypted: 需重新加密" in dry.getvalue()
    assert Party.objects.get(pk=party.pk).phone_encrypted.startswith("old:")  # dry run: no change

    call_command("rotate_pii_keys", "--batch", "1", stdout=StringIO())

    settings.FENGQIAO_PII_KEYS = [NEW_SM4]  # the old key can now go
    for row in Party.objects.all():
        for field in ("id_number_encrypted", "phone_encrypted"):
            value = getattr(row, field)
            assert not value or value.startswith("gm1:")
    assert Party.objects.get(pk=party.pk).reveal() == before
    again = StringIO()
    call_command("rotate_pii_keys", stdout=again)
    assert "共 0 行" in again.getvalue()  # nothing left to do: safe to re-run


def test_a_key_provider_supplies_the_keys_and_a_file_change_rotates_them(settings, tmp_path):
    keys = tmp_path / "pii.keys"
    keys.write_text(f"# written by the KMS agent\n{OLD}\n", encoding="ascii")
    settings.FENGQIAO_PII_KEYS = []  # nothing from the environment
    settings.FENGQIAO_KEY_PROVIDER = "fengqiao.core.crypto.file_key_provider"
    settings.FENGQIAO_PII_KEYS_FILE = str(keys)
    old_token = crypto.encrypt("13800138000", context="party.phone")
    assert old_token.startswith("old:")
    keys.write_text(f"{NEW_SM4}\n{OLD}\n", encoding="ascii")
    os.utime(keys, ns=(1, 2))  # a different modification time, as a rewrite gives
    assert crypto.encrypt("13800138000", context="party.phone").startswith("gm1:")
    assert crypto.decrypt(old_token, context="party.phone") == "13800138000"


def test_every_encrypted_column_is_registered_for_rotation():
    """The portal's and legal aid's phones and the registers' phones were encrypted but never
    registered, so rotate_pii_keys left them under the old key (issue #16)."""
    from django.apps import apps

    registered = {(model, field) for model, field, _context in crypto.ENCRYPTED_FIELDS}
    columns = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("fengqiao.")
        for field in model._meta.concrete_fields
        if field.name.endswith("_encrypted")
    }
    assert sorted(columns - registered) == []
