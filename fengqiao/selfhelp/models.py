"""Guided self-help before filing: per dispute category a versioned question tree kept as data,
and each citizen's run through it (the path taken and where it ended)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.core.models import TimeStampedModel
from fengqiao.selfhelp.choices import OutcomeKind, RunStatus


class QuestionTree(TimeStampedModel):
    """One version of a category's question tree. Versions are never edited once a citizen may
    have used them: saving in the admin makes the next version, so every run can be replayed
    against the exact questions it was asked."""

    category = models.ForeignKey(
        "cases.DisputeCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dispute category"),
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    title = models.CharField(_("title"), max_length=100)
    intro = models.TextField(_("introduction"), blank=True)
    definition = models.JSONField(_("questions and outcomes"))
    is_active = models.BooleanField(_("offered to citizens"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["category__order", "-version"]
        verbose_name = _("question tree")
        verbose_name_plural = _("question trees")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "version"], name="selfhelp_tree_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class SelfHelpRun(TimeStampedModel):
    """One citizen's way through a tree: the answers in order and the outcome reached; no name,
    no phone: the run is anonymous until the citizen chooses to apply."""

    token = models.CharField(max_length=24, unique=True, editable=False)
    tree = models.ForeignKey(QuestionTree, on_delete=models.PROTECT, related_name="runs")
    node = models.CharField(_("current step"), max_length=40)
    path = models.JSONField(_("answers"), default=list)  # [{"node", "choice", "label"}]
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus, default=RunStatus.ANSWERING
    )
    outcome_kind = models.CharField(_("outcome"), max_length=12, choices=OutcomeKind, blank=True)
    referral = models.CharField(
        pgettext_lazy("where self-help sends a person", "referred to"), max_length=20, blank=True
    )
    finished_at = models.DateTimeField(_("outcome reached at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("self-help run")
        verbose_name_plural = _("self-help runs")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="selfhelp_run_status_known"
            ),
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True) | Q(status=RunStatus.SETTLED),
                name="selfhelp_run_settled_only_when_settled",
            ),
        ]

    def __str__(self) -> str:
        return self.token
