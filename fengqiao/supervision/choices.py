"""Codes stored by the supervision app (labels are translated; codes never change)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    AUTO = "auto", _("Automatic (overdue)")
    MANUAL = "manual", _("Issued by a leader")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Awaiting reply")
    REPLIED = "replied", _("Replied")
    OVERDUE = "overdue", _("Reply overdue")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


PERSONAL_CHANNELS = (Channel.SMS, Channel.EMAIL)
ROBOT_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Given up")


class NotificationKind(models.TextChoices):
    """The kinds of message a person may route to their channels (the inbox gets every kind)."""

    DUE_SOON = "due_soon", _("Deadline approaching")
    SUPERVISION = "supervision", _("Supervision notice")
    SUPERVISION_REPLIED = "supervision_replied", _("Supervision notice replied")
    SUPERVISION_OVERDUE = "supervision_overdue", _("Supervision reply overdue")
    SUPERVISION_ESCALATED = "supervision_escalated", _("Supervision escalated")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
