from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "fengqiao.supervision"
    label = "supervision"
    verbose_name = "督办与通知"

    def ready(self) -> None:
        from fengqiao.cases import hooks, panels
        from fengqiao.supervision.extensions import alert_extension_request
        from fengqiao.supervision.hooks import issue_after_overdue

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
