"""The in-app inbox (what the system tells a person), the 督办 notices on cases, and the outbound
deliveries of the same notifications to SMS, email and group robots."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fengqiao.core import crypto
from fengqiao.supervision.choices import (
    ROBOT_CHANNELS,
    Channel,
    DeliveryStatus,
    NoticeKind,
    NoticeStatus,
)

WEBHOOK_URL_CONTEXT = "supervision.webhook_url"
WEBHOOK_SECRET_CONTEXT = "supervision.webhook_secret"  # noqa: S105  an AAD label


class Notification(models.Model):
    """One message for one person; read when they open it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


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
    issued_at = models.DateTimeField(default=timezone.now)
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
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "due_date"], name="due_soon_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.due_date}"


class ChannelPreference(models.Model):
    """Which kinds of message a person also wants by SMS or email (the inbox always gets all)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    kinds = models.JSONField(_("kinds"), default=list, blank=True)  # NotificationKind codes
    target = models.CharField(_("phone or address"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="channel_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.channel}"


class OrgWebhook(models.Model):
    """An organisation's group robot (企业微信 / 钉钉): the URL and signing secret are stored
    encrypted and only ever shown masked."""

    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("organisation"),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=[(c.value, c.label) for c in ROBOT_CHANNELS]
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    url_encrypted = models.TextField(editable=False)
    secret_encrypted = models.TextField(blank=True, editable=False)
    url_hint = models.CharField(_("URL"), max_length=80, editable=False)
    kinds = models.JSONField(_("kinds"), default=list, blank=True)  # empty: every kind
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return f"{self.org} · {self.get_channel_display()} · {self.url_hint}"

    def set_url(self, url: str) -> None:
        self.url_encrypted = crypto.encrypt(url, context=WEBHOOK_URL_CONTEXT)
        self.url_hint = mask_secret(url)

    def url(self) -> str:
        return crypto.decrypt(self.url_encrypted, context=WEBHOOK_URL_CONTEXT)

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = (
            crypto.encrypt(secret, context=WEBHOOK_SECRET_CONTEXT) if secret else ""
        )

    def secret(self) -> str:
        if not self.secret_encrypted:
            return ""
        return crypto.decrypt(self.secret_encrypted, context=WEBHOOK_SECRET_CONTEXT)


class Delivery(models.Model):
    """One notification on its way out through one channel to one target. Queued in the
    notification's transaction, sent by the worker only after the commit; a row marked sent is
    never sent again."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel)
    target = models.CharField(max_length=200)  # phone, address or "webhook:<id>"
    webhook = models.ForeignKey(OrgWebhook, on_delete=models.CASCADE, null=True, blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("message delivery")
        verbose_name_plural = _("message deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "target"], name="delivery_once"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} · {self.status}"


def mask_secret(value: str) -> str:
    """Enough of a URL to recognise it, never enough to use it."""
    head = value.split("?", 1)[0]
    return (head[:40] + "…" + value[-4:]) if len(value) > 8 else "…"
