from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Low in the layers (right after accounts) so that every app can tell people and other
    systems with a plain import."""

    name = "fengqiao.notifications"
    label = "notifications"
    verbose_name = "消息与通知"

    def ready(self) -> None:
        from fengqiao.core import crypto
        from fengqiao.notifications.models import (
            OUTBOX_SECRET_CONTEXT,
            WEBHOOK_SECRET_CONTEXT,
            WEBHOOK_URL_CONTEXT,
        )

        crypto.register_encrypted_field(
            "notifications.OrgWebhook", "url_encrypted", WEBHOOK_URL_CONTEXT
        )
        crypto.register_encrypted_field(
            "notifications.OrgWebhook", "secret_encrypted", WEBHOOK_SECRET_CONTEXT
        )
        crypto.register_encrypted_field(
            "notifications.OutboundMessage", "secret_encrypted", OUTBOX_SECRET_CONTEXT
        )
