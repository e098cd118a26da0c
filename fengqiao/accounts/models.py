"""Users, their memberships (a role over a region subtree) and API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts.roles import Role
from fengqiao.core import clock
from fengqiao.core.models import TimeStampedModel
from fengqiao.core.refcache import ReferenceData, ReferenceQuerySet


class User(AbstractUser):
    """A person who signs in: staff of an organisation, a leader, or an administrator."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    # When the password was last set: it expires after FENGQIAO_PASSWORD_MAX_AGE_DAYS (MLPS
    # level 3: 口令定期更换).
    password_changed_at = models.DateTimeField(
        _("password changed"), null=True, blank=True, editable=False
    )

    # Set when the security administrator resets the password: its owner chooses a new one at
    # the next sign-in, so whoever typed the reset never holds a password that still works
    # (issue #17, 三员分立).
    must_change_password = models.BooleanField(
        _("must change password"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = clock.now()
        self.must_change_password = False


class MembershipQuerySet(ReferenceQuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        """Memberships in force today, in real time: whether someone may act is decided now,
        also while a loader replays an earlier year (``clock.replay``: the history import's
        clerk holds a membership from this year, and acts today)."""
        today = clock.real_today()
        return self.filter(is_active=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today), valid_from__lte=today
        )


class Membership(ReferenceData, TimeStampedModel):
    """Grants ``role`` to ``user`` over the subtree of ``region``, working for ``org``."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jurisdiction"),
        help_text=_("The role applies to this division and everything under it."),
    )
    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(_("valid from"), default=clock.today)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "org"], name="membership_unique"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A bearer token for the API; only its SHA-256 is stored, so a database leak reveals none."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"


class LoginThrottle(models.Model):
    """Failed sign-ins for one username (existing or not, so a lock reveals nothing), and the
    lock they led to (MLPS level 3: 登录失败处理)."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveSmallIntegerField(_("failures"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return self.username


class TotpDevice(models.Model):
    """A person's authenticator (TOTP, RFC 6238): the second factor staff sign in with (MLPS
    level 3 要求采用两种或两种以上组合的鉴别技术). The shared secret is encrypted at rest."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("user")
    )
    secret_encrypted = models.TextField(editable=False)
    confirmed_at = models.DateTimeField(_("enrolled at"), null=True, blank=True, editable=False)
    # The last 30-second step accepted: a code that worked once never works again (replay).
    last_step = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """One of a person's one-time recovery codes: the second factor when the authenticator is
    lost (issue #16). Only a password hash of the code is kept; a code works once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("user")
    )
    # Four hex digits of a keyed hash: they pick the one row to check, so a sign-in runs one
    # slow password hash, not ten. Without the server key they say nothing about the code.
    lookup = models.CharField(max_length=4, editable=False)
    code_hash = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        indexes = [models.Index(fields=["user", "lookup"], name="recovery_code_lookup")]

    def __str__(self) -> str:
        return str(self.user)
