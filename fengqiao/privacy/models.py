"""个人信息保护法 on the citizen side: the privacy notice (告知书, arts.17 and 30) kept as
versioned data, and each consent a citizen gave against one version of it (arts.14, 29),
with its withdrawal (art.15)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock

PHONE_CONTEXT = "privacy.phone"


class ConsentPurpose(models.TextChoices):
    """What a consent is for; each portal form names the purposes it needs."""

    MEDIATION = "mediation", _("Handling my application for mediation online")
    MEDIATION_SENSITIVE = (
        "mediation_sensitive",
        _("Separately: my ID number and the evidence I upload (sensitive personal information)"),
    )
    LEGAL_AID = (
        "legal_aid",
        _("Separately: sending my legal aid answers and contact to a legal aid centre"),
    )


class PrivacyNotice(models.Model):
    """One version of the privacy notice. A version citizens may have agreed to is never
    edited: the admin's save publishes the next version (``services.notice_publish``), and the
    current one is the newest whose effective date has come."""

    version = models.PositiveIntegerField(_("notice version"), unique=True, editable=False)
    title = models.CharField(_("notice title"), max_length=100)
    text = models.TextField(_("notice text"))
    controller_name = models.CharField(_("personal information controller"), max_length=200)
    controller_contact = models.CharField(_("controller's contact"), max_length=300)
    purposes = models.TextField(_("purposes and ways of processing"))
    categories = models.TextField(_("kinds of personal information"))
    sensitive = models.TextField(
        _("sensitive personal information: why it is needed and how it affects you")
    )
    retention = models.TextField(_("retention period"))
    recipients = models.TextField(_("recipients"))
    rights = models.TextField(_("your rights and how to use them"))
    effective_from = models.DateTimeField(_("effective from"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("published at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Consent(models.Model):
    """One consent a citizen gave on the portal: the notice version it was given against, the
    purpose, the time, and the phone (encrypted, with the portal's blind index so the citizen
    finds it again after an SMS code). Withdrawal stamps ``withdrawn_at``; the row stays."""

    notice = models.ForeignKey(
        PrivacyNotice,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("privacy notice"),
    )
    purpose = models.CharField(_("purpose of consent"), max_length=30, choices=ConsentPurpose)
    phone_encrypted = models.TextField(editable=False)
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("mobile number (masked)"), max_length=20, editable=False)
    source = models.CharField(_("given on"), max_length=30)  # the form: "portal.apply", …
    given_at = models.DateTimeField(_("given at"), default=clock.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["phone_index", "purpose"], name="privacy_consent_idx")]

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.purpose} {self.given_at:%Y-%m-%d %H:%M}"
