from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "fengqiao.registers"
    label = "registers"
    verbose_name = "人员名册与补贴"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fengqiao.cases.panels import CasePanel, register
        from fengqiao.core.crypto import register_encrypted_field
        from fengqiao.registers.services import PHONE_CONTEXT

        register_encrypted_field("registers.RegisterPerson", "phone_encrypted", PHONE_CONTEXT)
        register(
            CasePanel("advisers", _("Village legal adviser"), "registers:case_panel", order=75)
        )
