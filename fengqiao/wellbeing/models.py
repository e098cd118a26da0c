"""心理服务: counselling rooms and counsellors, referrals from a case with the person's consent,
and crisis interventions (心理危机干预) that alert the named responders at once. What is said here
about a person's state of mind is seen only by those who need it (``selectors.may_see``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.core.models import TimeStampedModel


class CounsellingRoom(TimeStampedModel):
    """A 心理咨询室 (at a centre, a school, a hospital) with where and when it opens."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=200)
    hours = models.CharField(_("opening hours"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("counselling room")
        verbose_name_plural = _("counselling rooms")

    def __str__(self) -> str:
        return self.name


class Counsellor(TimeStampedModel):
    """A counsellor (心理咨询师, 社工) and their room; with an account to see their referrals."""

    name = models.CharField(_("name"), max_length=50)
    room = models.ForeignKey(
        CounsellingRoom,
        on_delete=models.PROTECT,
        related_name="counsellors",
        null=True,
        blank=True,
        verbose_name=_("counselling room"),
    )
    qualification = models.CharField(_("qualification"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counsellor",
        verbose_name=_("account"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("counsellor")
        verbose_name_plural = _("counsellors")

    def __str__(self) -> str:
        return self.name


class CrisisResponder(TimeStampedModel):
    """A person named to answer a crisis in a region (and below it)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responder"),
    )
    duty = models.CharField(_("duty"), max_length=100)  # 镇心理服务站站长, 派出所值班民警

    class Meta:
        verbose_name = _("crisis responder")
        verbose_name_plural = _("crisis responders")
        constraints = [
            models.UniqueConstraint(fields=["region", "user"], name="wellbeing_responder_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.duty}"


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    SEEN = "seen", _("Seen by the counsellor")
    CLOSED = "closed", pgettext_lazy("status of a counselling referral", "Closed")


class PsychReferral(TimeStampedModel):
    """A party referred to a counsellor; made only with their consent, which is recorded."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(
        pgettext_lazy("the person referred to counselling", "person"), max_length=100
    )
    counsellor = models.ForeignKey(
        Counsellor,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("counsellor"),
    )
    reason = models.TextField(pgettext_lazy("why a person is referred to counselling", "reason"))
    consent_how = models.CharField(_("how consent was given"), max_length=100)
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus, default=ReferralStatus.REFERRED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("psychological referral")
        verbose_name_plural = _("psychological referrals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(consent_how=""), name="wellbeing_referral_needs_consent"
            )
        ]


class CrisisLevel(models.TextChoices):
    SERIOUS = "serious", _("Serious: signs of self-harm or harm to others")
    IMMINENT = "imminent", _("Imminent: acting now")


class CrisisAlert(TimeStampedModel):
    """A crisis intervention raised on a case; the responders named at that moment are kept."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(
        pgettext_lazy("how severe a crisis alert is", "level"), max_length=10, choices=CrisisLevel
    )
    description = models.TextField(_("what is happening"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    responders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("crisis intervention")
        verbose_name_plural = _("crisis interventions")
