from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "fengqiao.supervision"
    label = "supervision"
    verbose_name = "督办与通知"

    def ready(self) -> None:
        from fengqiao.cases import hooks, panels
        from fengqiao.core import crypto
        from fengqiao.supervision.extensions import alert_extension_request
        from fengqiao.supervision.hooks import issue_after_overdue
        from fengqiao.supervision.models import WEBHOOK_SECRET_CONTEXT, WEBHOOK_URL_CONTEXT

        hooks.on_transition(alert_extension_request)
        hooks.on_event(issue_after_overdue)
        panels.register(
            panels.CasePanel(
                key="supervision",
                title=_("Supervision"),
                url_name="supervision:panel",
                order=30,
            )
        )
        crypto.register_encrypted_field(
            "supervision.OrgWebhook", "url_encrypted", WEBHOOK_URL_CONTEXT
        )
        crypto.register_encrypted_field(
            "supervision.OrgWebhook", "secret_encrypted", WEBHOOK_SECRET_CONTEXT
        )
