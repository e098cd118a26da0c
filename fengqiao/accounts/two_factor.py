"""The second sign-in factor: a TOTP authenticator (RFC 6238, the 30-second six-digit codes of
any authenticator app). MLPS level 3 asks for two kinds of authentication for staff; the password
is the first, this is the second.

A code is accepted once (the device remembers the last time step used), one step of clock drift
either way is tolerated, and a wrong code counts as a failed sign-in, so the same lock applies.
"""

import time

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import LoginThrottle, RecoveryCode, TotpDevice, User
from fengqiao.accounts.roles import Capability
from fengqiao.accounts.security import throttle_key
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock, crypto
from fengqiao.core.exceptions import InvalidInput, PermissionDeniedError

SECRET_CONTEXT = "accounts.totp_secret"  # noqa: S105  an encryption context, not a secret
STEP_SECONDS = 30
DRIFT_STEPS = 1
ISSUER = "枫桥"


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def required() -> bool:
    """Whether every account must sign in with an authenticator (FENGQIAO_TOTP_REQUIRED)."""
    return bool(getattr(settings, "FENGQIAO_TOTP_REQUIRED", True))


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def needs_second_factor(user: User) -> bool:
    """Asked of everyone who enrolled, and of everyone when the deployment requires it."""
    return required() or confirmed_device(user) is not None


def secret_of(device: TotpDevice) -> str:
    return crypto.decrypt(device.secret_encrypted, context=SECRET_CONTEXT)


@transaction.atomic
def enrolment_start(*, user: User) -> TotpDevice:
    """The unconfirmed device to enrol (a fresh secret the first time); a confirmed one is kept."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise _invalid("code", gettext("An authenticator is already enrolled."))
    if device is None:
        device = TotpDevice.objects.create(
            user=user,
            secret_encrypted=crypto.encrypt(pyotp.random_base32(), context=SECRET_CONTEXT),
        )
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(secret_of(device)).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )


def qr_svg(device: TotpDevice) -> str:
    """The enrolment QR code as inline SVG (nothing leaves the server)."""
    return str(segno.make(provisioning_uri(device), error="m").svg_inline(scale=4, border=2))


def _matching_step(secret: str, code: str, now: float) -> int | None:
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


@transaction.atomic
def verify(*, user: User, code: str, now: float | None = None) -> bool:
    """True if ``code`` is the user's current code and was not used before; confirms a device
    being enrolled. Locks the device row, so two requests cannot both spend one code."""
    code = "".join(code.split())
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not code.isdigit() or len(code) != 6:
        return False
    step = _matching_step(secret_of(device), code, time.time() if now is None else now)
    if step is None or step <= device.last_step:
        return False
    device.last_step = step
    fields = ["last_step"]
    if device.confirmed_at is None:
        device.confirmed_at = clock.now()
        fields.append("confirmed_at")
        record(actor=user, action=AuditAction.TWO_FACTOR_ENROLLED, target=user)
    device.save(update_fields=fields)
    return True


def _require_security_admin(actor: User, user: User) -> None:
    prefixes = {g.prefix for g in access.grants_for(user)} or {""}
    if not all(access.can(actor, Capability.SECURITY_MANAGE, prefix=p) for p in prefixes):
        raise PermissionDeniedError(gettext("You are not allowed to do this here."))


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, reason: str) -> None:
    """A security administrator removes a lost authenticator and the recovery codes that stood
    in for it; the person enrols again (and gets a new set) at the next sign-in. Only over
    accounts wholly inside the administrator's jurisdiction."""
    _require_security_admin(actor, user)
    if not reason.strip():
        raise _invalid("reason", gettext("State the reason."))
    deleted, _ = TotpDevice.objects.filter(user=user).delete()
    if not deleted:
        raise _invalid("user", gettext("This account has no authenticator."))
    codes_cleared, _ = RecoveryCode.objects.filter(user=user).delete()
    record(
        actor=actor,
        action=AuditAction.TWO_FACTOR_RESET,
        target=user,
        extra={"reason": reason.strip()[:200], "recovery_codes_cleared": codes_cleared},
    )


@transaction.atomic
def login_unlock(*, actor: User, user: User, reason: str) -> None:
    """A security administrator lifts the lock on an account before it runs out."""
    _require_security_admin(actor, user)
    if not reason.strip():
        raise _invalid("reason", gettext("State the reason."))
    deleted, _ = LoginThrottle.objects.filter(username=throttle_key(user.get_username())).delete()
    if not deleted:
        raise _invalid("user", gettext("This account is not locked."))
    record(
        actor=actor,
        action=AuditAction.LOGIN_UNLOCKED,
        target=user,
        extra={"reason": reason.strip()[:200]},
    )
