"""The citizen side's own records: applications made online (tracking code → case), phone
verification codes (hashed, short-lived, few tries) and the citizen's rating of the outcome."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.core import clock


class PortalApplication(models.Model):
    """An application a citizen made on the portal: the tracking code (also the case's
    ``source_ref`` on the "online" channel) and the applicant's phone, encrypted with a blind
    index so the tracking page can match it without reading it."""

    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="portal_application"
    )
    endpoint = models.ForeignKey(
        "intake.ChannelEndpoint", on_delete=models.PROTECT, related_name="+"
    )
    phone_encrypted = models.TextField(editable=False)
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(
        pgettext_lazy("a mobile number that receives SMS", "phone"), max_length=20, editable=False
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")

    def __str__(self) -> str:
        return self.tracking_code


class CodePurpose(models.TextChoices):
    APPLY = "apply", _("Apply")
    TRACK = "track", _("Track")
    CONSENTS = "consents", _("See my consents")


class VerificationCode(models.Model):
    """One SMS code sent to a phone: only its keyed hash is kept; it expires after 10 minutes and
    locks after 5 wrong tries. The rows also drive the resend limits (per phone, per address)."""

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=10, choices=CodePurpose)
    code_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    used_for = models.CharField(max_length=16, blank=True)  # the tracking code it unlocked

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ip_address", "created_at"], name="portal_code_ip_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class SatisfactionChoice(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class PortalOutcomeRating(models.Model):
    """The applicant's own rating of the outcome, given on the portal once the case has one.
    The portal's record; the mediation 回访 keeps its own."""

    application = models.OneToOneField(
        PortalApplication, on_delete=models.PROTECT, related_name="rating"
    )
    rating = models.CharField(_("rating"), max_length=20, choices=SatisfactionChoice)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    outcome = models.CharField(max_length=20)  # the case's outcome that was rated
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("outcome rating (portal)")
        verbose_name_plural = _("outcome ratings (portal)")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.rating}"
