"""One-time recovery codes for the second factor (issue #16): for the day the phone with the
authenticator is lost, broken or left at home.

Ten codes of ten characters from an alphabet without look-alikes (no 0/O, 1/I/L), made when the
authenticator is enrolled and again whenever its owner asks (the old set then stops working).
They are shown once; only salted PBKDF2 hashes are stored (Django's password hasher, at a cost
fit for a random code rather than for a password a person chose). Each works once at the code
step instead of the authenticator's six digits, and a wrong one counts toward the same sign-in
lock.
"""

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts.models import RecoveryCode, User
from fengqiao.accounts.two_factor import confirmed_device
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock, crypto
from fengqiao.core.exceptions import InvalidInput

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_COUNT = 10
CODE_LENGTH = 10
FEW_LEFT = 2  # at or below this many the pages ask for a new set
LOOKUP_CONTEXT = "accounts.recovery_code"


class RecoveryCodeHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with a salt per code. A code is random (31¹⁰, about 49 bits), so this
    cost already puts a stolen table out of reach; the passwords' argon2 (100 MB and most of a
    second each) would make a set of ten take seconds to make."""

    algorithm = "pbkdf2_sha256_recovery"
    iterations = 30_000


HASHER = RecoveryCodeHasher()


def normalise(code: str) -> str:
    """What the person typed, without spaces and hyphens, in capitals."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def formatted(code: str) -> str:
    """``ABCDE-FGHJK``: easier to read out and to copy by hand."""
    return f"{code[:5]}-{code[5:]}"


def _lookup(code: str) -> str:
    return crypto.blind_index(code, context=LOOKUP_CONTEXT)[:4]


def _well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def recovery_codes_left(user: User) -> int:
    """How many of ``user``'s recovery codes are still unused."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def recovery_codes_generate(*, actor: User) -> list[str]:
    """A new set of recovery codes for ``actor`` (formatted, to be shown once); every code of
    the previous set stops working.

    Raises:
        InvalidInput: the actor has no enrolled authenticator, so a code would stand in for
            nothing.
    """
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one new set at a time
    if confirmed_device(actor) is None:
        raise InvalidInput(
            gettext("Enrol an authenticator first."),
            errors={"code": [gettext("Enrol an authenticator first.")]},
        )
    previous = RecoveryCode.objects.filter(user=actor)
    replaced = previous.filter(used_at__isnull=True).count()
    previous.delete()
    codes = [
        "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=actor, lookup=_lookup(code), code_hash=make_password(code, hasher=HASHER))
        for code in codes
    )
    record(
        actor=actor,
        action=AuditAction.RECOVERY_CODES_GENERATED,
        target=actor,
        extra={"count": CODE_COUNT, "unused_replaced": replaced},
    )
    return [formatted(code) for code in codes]


@transaction.atomic
def recovery_code_use(*, user: User, code: str) -> bool:
    """True if ``code`` is one of ``user``'s unused recovery codes, which is then spent; a
    refusal is audited. The candidate rows are locked, so two requests cannot both spend one
    code. The caller counts a refusal toward the sign-in lock (``security.login_failed``)."""
    value = normalise(code)
    candidates: list[RecoveryCode] = []
    if _well_formed(value) and confirmed_device(user) is not None:
        candidates = list(
            RecoveryCode.objects.select_for_update().filter(
                user=user, used_at__isnull=True, lookup=_lookup(value)
            )
        )
    if not candidates:
        make_password(value, hasher=HASHER)  # the work of a check: timing tells no near miss
    match = next((c for c in candidates if HASHER.verify(value, c.code_hash)), None)
    if match is None:
        record(
            actor=None,
            action=AuditAction.RECOVERY_CODE_REFUSED,
            target=user,
            extra={"username": user.get_username()},
        )
        return False
    match.used_at = clock.now()
    match.save(update_fields=["used_at"])
    record(
        actor=user,
        action=AuditAction.RECOVERY_CODE_USED,
        target=user,
        extra={"left": recovery_codes_left(user)},
    )
    return True
