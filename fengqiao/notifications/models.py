"""What the system tells people and other systems: the in-app inbox, each person's channel
choices, the organisations' group robots, and one outbox for every message that leaves
(SMS, email, robots, and the signed result callbacks to 12345, the court and subscribers)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.core import clock, crypto
from fengqiao.notifications.choices import PERSONAL_CHANNELS, ROBOT_CHANNELS, Channel, OutboxStatus

WEBHOOK_URL_CONTEXT = "supervision.webhook_url"  # AAD labels: kept, the stored values use them
WEBHOOK_SECRET_CONTEXT = "supervision.webhook_secret"  # noqa: S105  an AAD label
OUTBOX_SECRET_CONTEXT = "notifications.outbox_secret"  # noqa: S105  an AAD label


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
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class ChannelPreference(models.Model):
    """Which kinds of message a person also wants by SMS or email (the inbox always gets all)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences"
    )
    channel = models.CharField(
        pgettext_lazy("the way a message is sent (SMS, email, robot)", "channel"),
        max_length=10,
        choices=[(c.value, c.label) for c in PERSONAL_CHANNELS],
    )
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
        pgettext_lazy("the way a message is sent (SMS, email, robot)", "channel"),
        max_length=10,
        choices=[(c.value, c.label) for c in ROBOT_CHANNELS],
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


class OutboundMessage(models.Model):
    """One message on its way out through one channel to one target: a copy of an inbox
    notification (SMS, email, robot) or a JSON result for another system (``http``). Queued in
    the transaction that caused it, sent by the worker only after the commit, retried with
    growing pauses; a row marked sent is never sent again, and the receiver can recognise a
    repeat by ``idempotency_key``."""

    channel = models.CharField(
        pgettext_lazy("the way a message is sent (SMS, email, robot)", "channel"),
        max_length=10,
        choices=Channel,
    )
    target = models.CharField(max_length=500)  # phone, address, "webhook:<id>" or the URL
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    webhook = models.ForeignKey(OrgWebhook, on_delete=models.CASCADE, null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(null=True, blank=True)  # the body of an http message
    secret_encrypted = models.TextField(blank=True, editable=False)  # its HMAC key
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=clock.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)

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

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = (
            crypto.encrypt(secret, context=OUTBOX_SECRET_CONTEXT) if secret else ""
        )

    def secret(self) -> str:
        if not self.secret_encrypted:
            return ""
        return crypto.decrypt(self.secret_encrypted, context=OUTBOX_SECRET_CONTEXT)


def mask_secret(value: str) -> str:
    """Enough of a URL to recognise it, never enough to use it."""
    head = value.split("?", 1)[0]
    return (head[:40] + "…" + value[-4:]) if len(value) > 8 else "…"
