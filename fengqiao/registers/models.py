"""The people the plans rely on (DOMAIN A7): 法治带头人, 法律明白人, 乡贤, volunteers and 信息员 by
village with what they do; 金牌调解员 and star ratings of mediators; and the subsidy rules
(以案定补 per case by difficulty and outcome, 星级奖补 per star) kept as data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.core.models import TimeStampedModel


class PersonRole(models.TextChoices):
    RULE_OF_LAW_LEADER = "rule_of_law_leader", _("Rule-of-law leader")  # 法治带头人
    LEGAL_UNDERSTANDER = "legal_understander", _("Legal literacy helper")  # 法律明白人
    SAGE = "sage", _("Village sage")  # 乡贤
    VOLUNTEER = "volunteer", _("Volunteer")  # 志愿者
    INFORMANT = "informant", _("Information officer")  # 信息员


class RegisterPerson(TimeStampedModel):
    """One person on a village's register, with what they do there."""

    role = models.CharField(
        pgettext_lazy("what a person on a village register is", "role"),
        max_length=20,
        choices=PersonRole,
    )
    name = models.CharField(pgettext_lazy("a person's name", "name"), max_length=50)
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    duties = models.CharField(_("what they do"), max_length=200)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    is_active = models.BooleanField(
        pgettext_lazy("a person still on the register", "active"), default=True
    )
    village_prefix = models.CharField(max_length=12, editable=False, db_index=True)

    class Meta:
        ordering = ["village_prefix", "role", "name"]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=PersonRole.values), name="registers_person_role_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class MediatorRating(TimeStampedModel):
    """A mediator's star rating (星级评定) for a year, and whether they are a 金牌调解员."""

    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mediator"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    is_gold = models.BooleanField(_("gold-medal mediator"), default=False)  # 金牌调解员
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-year", "mediator"]
        verbose_name = _("mediator rating")
        verbose_name_plural = _("mediator ratings")
        constraints = [
            models.UniqueConstraint(fields=["mediator", "year"], name="registers_rating_once"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="registers_rating_stars_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mediator} {self.year} {self.stars}★"


class Difficulty(models.TextChoices):
    SIMPLE = "simple", _("Simple")  # 简易
    ORDINARY = "ordinary", _("Ordinary")  # 一般
    DIFFICULT = "difficult", _("Difficult")  # 疑难复杂


class RuleKind(models.TextChoices):
    PER_CASE = "per_case", _("Per case (以案定补)")
    PER_STAR = "per_star", _("Per star a month (星级奖补)")
    GOLD = "gold", _("Gold-medal mediator a month")


class SubsidyRule(TimeStampedModel):
    """One line of a region's subsidy rules: an amount per case of a difficulty and outcome, per
    star a month, or for a 金牌调解员 a month. The deepest region's rules apply."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RuleKind)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)  # a CaseOutcome code
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["region", "kind", "difficulty", "outcome"]
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "difficulty", "outcome"], name="registers_rule_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="registers_rule_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.difficulty} {self.outcome} {self.amount}"


class LegalAdviser(TimeStampedModel):
    """一村一法律顾问: a lawyer (or legal worker) of a law firm serving villages on set days; with
    an account when they are to see the cases they are invited into."""

    name = models.CharField(pgettext_lazy("a person's name", "name"), max_length=50)
    law_firm = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("law firm"),
    )
    villages = models.ManyToManyField(
        "regions.Region", related_name="+", verbose_name=_("villages")
    )
    duty_days = models.CharField(_("duty days"), max_length=100)  # 每周二上午、每月第一个周五
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_adviser",
        verbose_name=_("account"),
    )
    is_active = models.BooleanField(
        pgettext_lazy("a person still on the register", "active"), default=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("village legal adviser")
        verbose_name_plural = _("village legal advisers")

    def __str__(self) -> str:
        return self.name


class DutyKind(models.TextChoices):
    CONSULTATION = "consultation", _("Legal consultation")  # 法律咨询
    LECTURE = "lecture", _("Law lecture")  # 法治讲座
    DOCUMENT = "document", _("Document reviewed")  # 审查合同、村规民约等
    DISPUTE = "dispute", _("Dispute mediation taken part in")  # 参与调解


class DutyLog(TimeStampedModel):
    """What an adviser did on a duty day in a village."""

    adviser = models.ForeignKey(LegalAdviser, on_delete=models.PROTECT, related_name="logs")
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=15, choices=DutyKind)
    count = models.PositiveSmallIntegerField(_("how many"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("duty log")
        verbose_name_plural = _("duty logs")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="registers_duty_count"),
        ]


class AdviserTarget(TimeStampedModel):
    """The 考核 a region sets: at least ``per_village`` duties of a kind per village a year."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=DutyKind)
    per_village = models.PositiveSmallIntegerField(_("per village a year"))

    class Meta:
        verbose_name = _("adviser target")
        verbose_name_plural = _("adviser targets")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="registers_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.kind} ≥{self.per_village}"


class CaseAdviser(TimeStampedModel):
    """An adviser invited into a case: they see it through this invitation, not a jurisdiction,
    and give their own opinion."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    adviser = models.ForeignKey(LegalAdviser, on_delete=models.PROTECT, related_name="cases")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField(_("adviser's opinion"), blank=True)
    opinion_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("adviser in a case")
        verbose_name_plural = _("advisers in cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "adviser"], name="registers_case_adviser_once")
        ]
