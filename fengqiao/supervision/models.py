"""The 督办 notices on cases and the once-only marks of due-soon messages (the messages
themselves are the notifications app's)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock
from fengqiao.supervision.choices import NoticeKind, NoticeStatus


class SupervisionNotice(models.Model):
    """A 督办单 on a case: who is told to act by when, their reply, and how far up it went.

    An automatic notice is issued once per overdue episode (``episode`` is the case's
    ``overdue_since``); a reply that does not come in time marks it overdue and, after the days
    the escalation table gives, a notice one level up follows (``escalated_from``).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="supervision_notices"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NoticeKind)
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus, default=NoticeStatus.OPEN
    )
    level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    episode = models.DateTimeField(null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=clock.now)
    to_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling unit"),
    )
    above_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level above"),
    )
    instructions = models.TextField(_("instructions"))
    reply_due = models.DateField(_("reply due"))
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    escalated_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="escalated_to"
    )
    handling_prefix = models.CharField(max_length=12, db_index=True)  # copied for board scans

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "episode"],
                condition=models.Q(kind="auto", level=0),
                name="supervision_auto_once_per_episode",
            )
        ]
        indexes = [models.Index(fields=["status", "reply_due"], name="supervision_due")]

    def __str__(self) -> str:
        return f"督办 #{self.pk}"


class DueSoonNotice(models.Model):
    """Marks that the due-soon message for a case and one due date went out (sent once)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "due_date"], name="due_soon_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.due_date}"
