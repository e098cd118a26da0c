"""Codes stored by the supervision app (labels are translated; codes never change)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeKind(models.TextChoices):
    AUTO = "auto", _("Automatic (overdue)")
    MANUAL = "manual", _("Issued by a leader")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Awaiting reply")
    REPLIED = "replied", _("Replied")
    OVERDUE = "overdue", _("Reply overdue")
    CLOSED = "closed", pgettext_lazy("status of a supervision notice", "Closed")
