"""The meeting cadences the plans set, kept as data (联席会议 at least every half month, 研判会
monthly, quarterly reviews: DOMAIN A4), and the flags raised when one was missed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.core.models import TimeStampedModel


class CadenceRule(TimeStampedModel):
    """A region holds a kind of meeting at most ``max_days`` apart; ``leader`` answers for it."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    cadence = models.CharField(_("kind of meeting"), max_length=16)  # a patrols.Cadence code
    name = models.CharField(_("name"), max_length=100)  # 矛盾纠纷联席会议
    max_days = models.PositiveSmallIntegerField(_("at most days apart"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy(
            "the leader answerable for a meeting cadence", "responsible leader"
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting cadence")
        verbose_name_plural = _("meeting cadences")
        constraints = [
            models.UniqueConstraint(fields=["region", "cadence"], name="cadences_rule_once"),
            models.CheckConstraint(condition=Q(max_days__gte=1), name="cadences_rule_days"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.name}"


class MissedMeeting(TimeStampedModel):
    """A meeting that was due by ``due_on`` and not held; flagged once, to the leader."""

    rule = models.ForeignKey(CadenceRule, on_delete=models.CASCADE, related_name="misses")
    due_on = models.DateField(_("due by"))
    held_on = models.DateField(_("finally held on"), null=True, blank=True)

    class Meta:
        ordering = ["-due_on"]
        verbose_name = _("missed meeting")
        verbose_name_plural = _("missed meetings")
        constraints = [
            models.UniqueConstraint(fields=["rule", "due_on"], name="cadences_missed_once")
        ]
