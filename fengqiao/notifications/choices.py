"""Codes stored by the notifications app (labels are translated; codes never change)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How one outgoing message leaves: to a person, to a group robot, or to another system."""

    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    HTTP = "http", _("Result callback")  # a signed JSON POST to 12345, the court, a subscriber


PERSONAL_CHANNELS = (Channel.SMS, Channel.EMAIL)
ROBOT_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class OutboxStatus(models.TextChoices):
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
