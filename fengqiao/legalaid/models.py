"""Legal aid (法律援助) referrals from a case or from the portal to a 法律援助中心, with the
eligibility answers, the case papers sent and the centre's answer, and the provinces' economic
hardship standards kept as data (法律援助法 art.34).

The case's own time limit does not stop while the centre decides: neither 人民调解法 nor the
policy texts in DOMAIN.md let a people's-mediation period be paused for legal aid (the one pause
they name is the court's pre-filing appraisal, 诉前调解 art.26), so nothing here pauses it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.core.models import TimeStampedModel
from fengqiao.legalaid.eligibility import Verdict


class HardshipStandard(TimeStampedModel):
    """The monthly income per person under which a household counts as in economic hardship in
    a region (the deepest region above the applicant applies)."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    monthly_income_per_person = models.DecimalField(
        _("monthly income per person (yuan)"), max_digits=10, decimal_places=2
    )
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("economic hardship standard")
        verbose_name_plural = _("economic hardship standards")

    def __str__(self) -> str:
        return f"{self.region} {self.monthly_income_per_person}"


class ReferralSource(models.TextChoices):
    CASE = "case", _("From a case")
    PORTAL = "portal", _("From the citizen portal")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting the centre")
    ACCEPTED = "accepted", _("Legal aid granted")
    REFUSED = "refused", _("Legal aid refused")


class LegalAidReferral(TimeStampedModel):
    """One referral to a legal aid centre and the centre's answer."""

    source = models.CharField(_("source"), max_length=10, choices=ReferralSource)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    centre = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("legal aid centre"),
    )
    answers = models.JSONField(_("eligibility answers"), default=dict)
    verdict = models.CharField(_("eligibility"), max_length=20, choices=Verdict)
    reasons = models.JSONField(default=list)
    # What the centre receives with the referral: a snapshot, so later edits do not change it.
    papers = models.JSONField(_("case papers"), default=dict)
    applicant_name = models.CharField(_("applicant"), max_length=100)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReferralStatus,
        default=ReferralStatus.SENT,
        editable=False,
    )
    answer_note = models.TextField(_("the centre's answer"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("legal aid referral")
        verbose_name_plural = _("legal aid referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values),
                name="legalaid_referral_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(source="case") | Q(case__isnull=False),
                name="legalaid_referral_case_when_from_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_name} → {self.centre_id}"
