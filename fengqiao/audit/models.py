"""Who did or saw what, kept apart from the case timeline so views and exports are covered too."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock


class AuditAction(models.TextChoices):
    CASE_REGISTERED = "case.registered", _("Case registered")
    CASE_TRANSITIONED = "case.transitioned", _("Case status changed")
    CASE_MARKED_OVERDUE = "case.marked_overdue", _("Case marked overdue")
    PARTY_PII_VIEWED = "party.pii_viewed", _("Party identity details viewed")
    REGIONS_IMPORTED = "regions.imported", _("Regions imported")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    DEMO_LOADED = "demo.loaded", _("Demo data loaded")
    LOGIN_SUCCEEDED = "login.succeeded", _("Signed in")
    LOGIN_FAILED = "login.failed", _("Failed sign-in")
    LOGIN_LOCKED = "login.locked", _("Sign-in locked after repeated failures")
    LOGIN_UNLOCKED = "login.unlocked", _("Sign-in lock lifted")
    PASSWORD_CHANGED = "password.changed", _("Password changed")
    TWO_FACTOR_ENROLLED = "two_factor.enrolled", _("Authenticator enrolled")
    TWO_FACTOR_RESET = "two_factor.reset", _("Authenticator reset")
    RECOVERY_CODES_GENERATED = "two_factor.recovery_generated", _("Recovery codes generated")
    RECOVERY_CODE_USED = "two_factor.recovery_used", _("Signed in with a recovery code")
    RECOVERY_CODE_REFUSED = "two_factor.recovery_refused", _("Recovery code refused")
    AUDIT_SEARCHED = "audit.searched", _("Audit log searched")
    CASE_RECORDED = "case.recorded", _("Case record added")  # a mediation or supervision step
    CASE_LINKED = "case.linked", _("Cases linked")
    RECORD_CREATED = "record.created", _("Record created")  # registers, rounds, meetings…
    RECORD_CHANGED = "record.changed", _("Record changed")
    ATTACHMENT_ADDED = "attachment.added", _("Attachment added")
    ATTACHMENT_DOWNLOADED = "attachment.downloaded", _("Attachment downloaded")
    DOCUMENT_GENERATED = "document.generated", _("Document generated")
    DOCUMENT_DOWNLOADED = "document.downloaded", _("Document downloaded")
    DATA_EXPORTED = "data.exported", _("Data exported")
    FIGURES_IMPORTED = "kpi.figures_imported", _("External figures imported")
    SETTINGS_CHANGED = "settings.changed", _("Settings changed")


# 网络安全法第二十一条 / 等保 2.0: network logs are kept at least six months.
MIN_RETENTION_DAYS = 183


class RetentionError(Exception):
    """An audit entry younger than the retention period was about to be deleted."""


def retention_days() -> int:
    """FENGQIAO_AUDIT_RETENTION_DAYS, never below six months whatever the setting says."""
    configured = int(getattr(settings, "FENGQIAO_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))
    return max(configured, MIN_RETENTION_DAYS)


def _refuse_young(queryset: "models.QuerySet[AuditEntry]") -> None:
    cutoff = clock.now() - timedelta(days=retention_days())
    if queryset.filter(occurred_at__gt=cutoff).exists():
        raise RetentionError(
            f"audit entries are kept {retention_days()} days; none younger may be deleted"
        )


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        """Only entries past the retention period can be deleted (issue #17)."""
        _refuse_young(self)
        return super().delete()


class AuditEntry(models.Model):
    """Append-only record of who did what to which object, for which organisation, and from
    where."""

    occurred_at = models.DateTimeField(
        _("occurred at"), default=clock.now, editable=False, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150)  # survives account deletion
    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=64, choices=AuditAction, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(_("target"), max_length=200)
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    extra = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.UUIDField(null=True, editable=False, db_index=True)
    ip_address = models.GenericIPAddressField(null=True)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)  # audit.chain

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        default_permissions = ("view",)
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["org", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.target_repr}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_young(AuditEntry.objects.filter(pk=self.pk))
        return super().delete(*args, **kwargs)


class AuditDigest(models.Model):
    """One day's seal over the audit log: the hash of that day's entry hashes in order, chained
    to the day before (``audit.chain``)."""

    day = models.DateField(unique=True)
    entry_count = models.PositiveIntegerField()
    entries_hash = models.CharField(max_length=64)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["day"]
        verbose_name = _("audit day seal")
        verbose_name_plural = _("audit day seals")

    def __str__(self) -> str:
        return f"{self.day} {self.digest[:12]}"
