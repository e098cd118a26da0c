from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "fengqiao.intake"
    label = "intake"
    verbose_name = "受理入口"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fengqiao.cases import hooks, panels
        from fengqiao.core.crypto import register_encrypted_field
        from fengqiao.intake import duplicates
        from fengqiao.intake.channels import hotline_12345
        from fengqiao.intake.models import CALLBACK_SECRET_CONTEXT, PAYLOAD_CONTEXT

        register_encrypted_field("intake.IntakeSubmission", "payload_encrypted", PAYLOAD_CONTEXT)
        register_encrypted_field(
            "intake.ChannelEndpoint", "callback_secret_encrypted", CALLBACK_SECRET_CONTEXT
        )
        hooks.on_transition(hotline_12345.report_on_outcome)
        duplicates.connect()  # the 三源合一 panel; linking runs in intake.pipeline
        panels.register(
            panels.CasePanel(key="sources", title=_("Sources"), url_name="intake:sources", order=5)
        )
        panels.register(
            panels.CasePanel(key="risk", title=_("Risk flags"), url_name="intake:risk", order=6)
        )
