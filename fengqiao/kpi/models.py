"""Rollup counters kept in step with the ledger, and the figures that come from outside (court,
police, petition office, population) with their provenance."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock
from fengqiao.kpi.choices import ExternalMetric
from fengqiao.kpi.periods import Period, period_name


class RollupCounter(models.Model):
    """How many times ``metric`` happened on ``day`` for cases arising in village (or township)
    ``place_code``, of ``category_id``, from ``channel``, at handling ``level``. Written in the same
    transaction as the event that causes it (ARCHITECTURE rule 4); ``rebuild_rollups`` recomputes
    every row from the events, and a test holds the two equal. A dashboard then costs
    O(regions × days), not O(cases)."""

    day = models.DateField()
    place_code = models.CharField(max_length=12)
    category_id = models.PositiveIntegerField()  # top-level DisputeCategory (ids never change)
    channel = models.CharField(max_length=20)
    level = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=32)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "place_code", "category_id", "channel", "level", "metric"],
                name="rollup_cell_once",
            )
        ]
        indexes = [
            # a township's or village's page reads all its counters of a period: without this a
            # month of a 10⁶-case province scanned every village's cells (283 ms → 1 ms)
            models.Index(
                fields=["place_code", "day"],
                name="rollup_place_day",
                opclasses=["varchar_pattern_ops", ""],
            ),
            models.Index(
                fields=["metric", "place_code", "day"],
                name="rollup_metric_place_day",
                opclasses=["", "varchar_pattern_ops", ""],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.place_code} {self.metric}={self.count}"


class MonthlyRollup(models.Model):
    """The same counters summed by month and county (``place_code`` is the county's 6-digit
    prefix, ``day`` the first of the month): what county, city and province dashboards read, so
    their cost does not grow with the number of villages and days. Kept with ``RollupCounter`` in
    the same transaction and rebuilt with it."""

    day = models.DateField()
    place_code = models.CharField(max_length=6)
    category_id = models.PositiveIntegerField()
    channel = models.CharField(max_length=20)
    level = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=32)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "place_code", "category_id", "channel", "level", "metric"],
                name="monthly_rollup_cell_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["place_code", "day"],
                name="monthly_rollup_place_day",
                opclasses=["varchar_pattern_ops", ""],
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.place_code} {self.metric}={self.count}"


class ExternalFigure(models.Model):
    """A figure the system does not produce itself — court first-instance cases by the
    defendant's township, pre-litigation mediation counts, population, police dispute calls,
    petitions — for one region and period, with where it came from."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    metric = models.CharField(_("figure"), max_length=40, choices=ExternalMetric)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=200)  # e.g. 县法院 2026 年报表
    file_sha256 = models.CharField(max_length=64, blank=True)
    row_number = models.PositiveIntegerField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["region__code", "metric", "period_start"]
        verbose_name = _("external figure")
        verbose_name_plural = _("external figures")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "metric", "period_start", "period_end"],
                name="external_figure_once",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="external_figure_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.metric} {self.period_start}–{self.period_end}"


def evidence_path(instance: "EvaluationCheck", filename: str) -> str:
    return f"evidence/{instance.evaluation_id}/{uuid.uuid4().hex}"


class Evaluation(models.Model):
    """One yearly 无讼村(社区) or 无讼乡镇 evaluation of a region, made by the unit above it
    (seeds/003: evaluated yearly by the township, with evidence per criterion)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10)  # village / township
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["region__code", "-year"]
        verbose_name = _("无讼 evaluation")
        verbose_name_plural = _("无讼 evaluations")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="evaluation_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class EvaluationCheck(models.Model):
    """One criterion of an evaluation: decided automatically from the data, or by a person with
    a note, counts and evidence."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="checks")
    criterion = models.CharField(max_length=40)
    automatic = models.BooleanField(default=False)
    met = models.BooleanField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)  # what decided it
    # the cases and imported rows that decided an automatic criterion (wusong.Decision)
    decided_by = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=list, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    evidence = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="evaluation_check_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.criterion}"


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly analysis report")  # 月度分析报告
    QUARTERLY = "quarterly", _("Quarterly analysis report")  # 季度分析报告


def report_path(instance: "AnalysisReport", filename: str) -> str:
    return f"reports/{instance.region_id}/{uuid.uuid4().hex}.docx"


class AnalysisReport(models.Model):
    """A generated 月度/季度分析报告, kept unchanged with its hash."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    file = models.FileField(upload_to=report_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-period_start", "region__code"]
        verbose_name = _("analysis report")
        verbose_name_plural = _("analysis reports")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "period_start"], name="analysis_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.period_start}"

    @property
    def title(self) -> str:
        when = period_name(self.kind, Period(self.period_start, self.period_end))
        return f"{self.region.name}{when}矛盾纠纷分析报告"


class ReportSubscription(models.Model):
    """Who receives which region's reports when the worker generates them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "kind"], name="report_subscription_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.region_id} {self.kind}"
