"""排查 rounds and 排查表, the risk register (风险隐患清单) with its sensitive periods, 稳评 of
major decisions, and the meetings whose decisions become tracked tasks (DOMAIN A4, A7, A8, §7).

Meetings belong to supervision in ARCHITECTURE.md; they live here because that app was being
built by another engineer at the same time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.core import clock
from fengqiao.core.models import TimeStampedModel


class RoundKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly village round")  # 一周一排查
    MONTHLY = "monthly", _("Monthly township round")  # 一月一汇总
    SPECIAL = "special", _("Special round")  # 专项排查


class PatrolSchedule(TimeStampedModel):
    """A township whose villages sweep weekly and which sums up monthly."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("township")
    )
    is_active = models.BooleanField(_("active"), default=True)
    grace_days = models.PositiveSmallIntegerField(_("days to report after the period"), default=1)

    class Meta:
        verbose_name = _("investigation schedule")
        verbose_name_plural = _("investigation schedules")

    def __str__(self) -> str:
        return str(self.region)


class PatrolRound(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=16, choices=RoundKind)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    deadline = models.DateField(_("report deadline"))
    sensitive_period = models.ForeignKey(
        "SensitivePeriod",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("sensitive period"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "region__code"]
        verbose_name = _("investigation round")
        verbose_name_plural = _("investigation rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "period_start"],
                condition=Q(kind__in=["weekly", "monthly"]),
                name="patrol_round_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="patrol_round_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.get_kind_display()} {self.period_start}"

    def expected_villages(self) -> models.QuerySet:
        """The villages that owe this round a report: the village itself, or the villages under
        the township."""
        from fengqiao.regions.models import Region, RegionLevel

        return Region.objects.filter(
            prefix__startswith=self.region.prefix, level=RegionLevel.VILLAGE
        ).order_by("code")


class PatrolReport(TimeStampedModel):
    """One village's 排查表 for a round; ``is_zero`` is the 零报告 (nothing found)."""

    round = models.ForeignKey(
        PatrolRound, on_delete=models.CASCADE, related_name="reports", verbose_name=_("round")
    )
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    is_zero = models.BooleanField(_("zero report"), default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), default=clock.now)

    class Meta:
        ordering = ["village__code"]
        verbose_name = _("investigation report")
        verbose_name_plural = _("investigation reports")
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="patrol_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.village.name}"


class PatrolEntry(TimeStampedModel):
    """One row of the 排查表: 排查时间, 村名 (the report's village), 排查单位或排查人, 矛盾情况,
    化解措施, 备注."""

    report = models.ForeignKey(
        PatrolReport, on_delete=models.CASCADE, related_name="entries", verbose_name=_("report")
    )
    checked_on = models.DateField(_("date of investigation"))
    checker = models.CharField(_("investigating unit or person"), max_length=100)
    situation = models.TextField(_("dispute situation"))
    measures = models.TextField(_("resolution measures"), blank=True)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    # entry → case here; case → entry through the reverse accessor ``case.patrol_entry``.
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patrol_entry",
        verbose_name=_("case"),
    )

    class Meta:
        ordering = ["checked_on", "pk"]
        verbose_name = _("investigation entry")
        verbose_name_plural = _("investigation entries")

    def __str__(self) -> str:
        return f"{self.report.village.name} {self.checked_on} {self.situation[:20]}"


class SignSide(models.TextChoices):
    POLICE = "police", _("Police station head")  # 派出所所长
    VILLAGE = "village", _("Village party secretary")  # 村党组织书记


class PatrolSignature(TimeStampedModel):
    """双背书: the police-station head and the village secretary each countersign once."""

    report = models.ForeignKey(PatrolReport, on_delete=models.CASCADE, related_name="signatures")
    side = models.CharField(_("side"), max_length=16, choices=SignSide)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), default=clock.now)

    class Meta:
        ordering = ["signed_at"]
        verbose_name = _("countersignature")
        verbose_name_plural = _("countersignatures")
        constraints = [
            models.UniqueConstraint(fields=["report", "side"], name="patrol_signature_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.get_side_display()}"


class MissingReport(TimeStampedModel):
    """A village that had filed nothing (not even a zero report) when the deadline passed."""

    round = models.ForeignKey(PatrolRound, on_delete=models.CASCADE, related_name="missing")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("missing report")
        verbose_name_plural = _("missing reports")
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="patrol_missing_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.village.name}"


class HazardLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class HazardStatus(models.TextChoices):
    OPEN = "open", _("Identified")
    CONTROLLING = "controlling", _("Under control measures")
    RESOLVED = "resolved", _("Resolved")


class Hazard(TimeStampedModel):
    """A 风险隐患: a situation and who answers for it, never a watch-list of citizens (no ID
    numbers)."""

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("where a hazard is", "place"),
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=64)
    location = models.CharField(_("location detail"), max_length=200, blank=True)
    people_count = models.PositiveIntegerField(_("people involved"), default=0)
    people_description = models.CharField(_("people involved, described"), max_length=300)
    level = models.CharField(
        pgettext_lazy("the grade of a hazard", "level"), max_length=16, choices=HazardLevel
    )
    status = models.CharField(
        _("status"), max_length=16, choices=HazardStatus, default=HazardStatus.OPEN
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person responsible"),
    )
    measures = models.TextField(_("measures"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")

    def __str__(self) -> str:
        return self.title


class HazardChange(models.Model):
    """One row of a hazard's history: level, status and measures as they stood after a change."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="history")
    level = models.CharField(
        pgettext_lazy("the grade of a hazard", "level"), max_length=16, choices=HazardLevel
    )
    status = models.CharField(_("status"), max_length=16, choices=HazardStatus)
    measures = models.TextField(_("measures"), blank=True)
    # null on rows written before the person responsible was part of the history
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person responsible"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=clock.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.hazard} {self.level} {self.status}"


class PeriodKind(models.TextChoices):
    ELECTION = "election", _("Village committee election")  # 村两委换届
    WAGE_ARREARS = "wage_arrears", _("Wage arrears season before Spring Festival")  # 春节前欠薪
    HOLIDAY = "holiday", _("Public holiday")
    LIANGHUI = "lianghui", _("Two Sessions")  # 两会
    OTHER = "other", _("Other")


class SensitivePeriod(TimeStampedModel):
    """While active, villages under ``region`` report daily in a special round."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=PeriodKind)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    daily_reporting = models.BooleanField(_("daily reporting"), default=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("sensitive period")
        verbose_name_plural = _("sensitive periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="sensitive_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StabilityLevel(models.TextChoices):
    """发改投资〔2012〕2492号 art.4 (DOMAIN §7.1)."""

    HIGH = "high", _("High risk")
    MEDIUM = "medium", _("Medium risk")
    LOW = "low", _("Low risk")


class PublicAttitude(models.TextChoices):
    MOST_SUPPORT = "most_support", _("Most understand and support, a few object")
    PART_OBJECT = "part_object", _("Part of the public objects strongly")
    MOST_OBJECT = "most_object", _("Most of the public object, very strongly")


class IncidentRisk(models.TextChoices):
    NONE = "none", _("Manageable with effective work")
    CONFLICT = "conflict", _("Conflicts possible")
    MASS = "mass", _("Large-scale mass incident possible")


class Decision(models.TextChoices):
    IMPLEMENT = "implement", _("Implement")
    WITH_MEASURES = "with_measures", _("Implement with measures")
    POSTPONE = "postpone", _("Postpone")
    REJECT = "reject", _("Do not implement")


class StabilityAssessment(TimeStampedModel):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    subject = models.CharField(_("decision or project"), max_length=200)
    deciding_body = models.CharField(_("deciding body"), max_length=100)
    assessor = models.CharField(_("assessing body"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    attitude = models.CharField(_("public attitude"), max_length=16, choices=PublicAttitude)
    incident_risk = models.CharField(_("incident risk"), max_length=16, choices=IncidentRisk)
    level = models.CharField(_("risk level"), max_length=16, choices=StabilityLevel)
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    followup = models.TextField(_("follow-up"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stability risk assessment")
        verbose_name_plural = _("stability risk assessments")

    def __str__(self) -> str:
        return self.subject


class RiskPoint(models.Model):
    assessment = models.ForeignKey(
        StabilityAssessment, on_delete=models.CASCADE, related_name="risk_points"
    )
    description = models.CharField(_("risk point"), max_length=300)
    measure = models.CharField(_("prevention measure"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class OpinionKind(models.TextChoices):
    NOTICE = "notice", _("Public notice")  # 公示
    SURVEY = "survey", _("Questionnaire")  # 问卷
    VISIT = "visit", _("Visits")  # 走访
    SYMPOSIUM = "symposium", _("Symposium")  # 座谈会
    HEARING = "hearing", _("Hearing")  # 听证会


class OpinionRecord(models.Model):
    assessment = models.ForeignKey(
        StabilityAssessment, on_delete=models.CASCADE, related_name="opinions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OpinionKind)
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("participants"), max_length=200)
    summary = models.TextField(_("summary"))
    adopted = models.BooleanField(_("adopted"), default=False)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Cadence(models.TextChoices):
    HALF_MONTH = "half_month", _("Half-monthly dispatch meeting")  # 半月调度会
    QUARTERLY = "quarterly", _("Quarterly joint meeting")  # 季度联席会议
    MONTHLY = "monthly", _("Monthly regular meeting")  # 月度例会


class Meeting(TimeStampedModel):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(_("minutes"), blank=True)
    agenda_cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="+", verbose_name=_("cases on the agenda")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class MeetingTask(TimeStampedModel):
    """A meeting decision tracked to an owner and a deadline."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    decision = models.TextField(_("decision"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("meeting task")
        verbose_name_plural = _("meeting tasks")

    def __str__(self) -> str:
        return self.decision[:40]

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < clock.today()
