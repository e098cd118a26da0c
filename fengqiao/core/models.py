"""Abstract bases shared by every app, and the scheduler's bookkeeping; no domain models live
here."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock


class TimeStampedModel(models.Model):
    """Abstract base that records when a row was created and last written."""

    created_at = models.DateTimeField(
        _("created at"), default=clock.now, editable=False, db_index=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PeriodicRun(models.Model):
    """When the scheduler last enqueued one periodic task (infrastructure, not a domain model).

    The row is locked while a scheduler decides, so any number of schedulers enqueue each task
    once per interval between them.
    """

    name = models.CharField(_("task"), max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic task run")
        verbose_name_plural = _("periodic task runs")

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a public holiday, or a weekend worked in
    its place (调休). Imported per year from the State Council's notice (``import_holidays``)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class RefVersion(models.Model):
    """The version of the reference data held in each process's memory (``core.refcache``): one
    row, rewritten in the same transaction as every change to regions, organisations, categories,
    deadline policies, routing rules or memberships, so every web process sees the change on its
    next request."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("reference data version")
        verbose_name_plural = _("reference data versions")

    def __str__(self) -> str:
        return str(self.version)
