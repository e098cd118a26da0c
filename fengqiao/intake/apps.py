from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "fengqiao.intake"
    label = "intake"
    verbose_name = "受理入口"

    def ready(self) -> None:
        from fengqiao.cases import hooks
        from fengqiao.intake.channels import hotline_12345

        hooks.on_transition(hotline_12345.report_on_outcome)
