from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "fengqiao.supervision"
    label = "supervision"
    verbose_name = "督办与通知"

    def ready(self) -> None:
        from fengqiao.cases import hooks
        from fengqiao.supervision.extensions import alert_extension_request

        hooks.on_transition(alert_extension_request)
