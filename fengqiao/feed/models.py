"""Webhook subscribers of the event feed (issue #20): a city platform mirrors cases without
polling each one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts.models import User
from fengqiao.core import crypto
from fengqiao.core.models import TimeStampedModel
from fengqiao.notifications.models import OutboundMessage

SECRET_CONTEXT = "feed.subscription_secret"  # noqa: S105  an AAD label, not a secret


class Subscription(TimeStampedModel):
    """A system that receives the feed by webhook: the events its service account may see
    (exactly the feed API's scope for that account's token) are POSTed in order, in batches,
    through the one outbox (signed with the secret, retried, one Idempotency-Key per batch).
    The next batch is queued only once the previous one was delivered, so a receiver sees the
    events in feed order; a batch given up (dead) pauses the subscription until it is retried."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    account = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("service account")
    )
    url = models.URLField(_("URL"), max_length=500)
    secret_encrypted = models.TextField(blank=True, editable=False)
    batch_size = models.PositiveSmallIntegerField(_("events per batch"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    # The feed position after the last batch queued (``feed.selectors.Position``, encoded).
    cursor = models.CharField(_("cursor"), max_length=100, blank=True, editable=False)
    last_message = models.ForeignKey(
        OutboundMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("last batch"),
    )

    class Meta:
        verbose_name = _("feed subscription")
        verbose_name_plural = _("feed subscriptions")

    def __str__(self) -> str:
        return self.name

    def set_secret(self, value: str) -> None:
        self.secret_encrypted = crypto.encrypt(value, context=SECRET_CONTEXT) if value else ""

    def secret(self) -> str:
        return crypto.decrypt(self.secret_encrypted, context=SECRET_CONTEXT)
