from django.apps import AppConfig


class LegalaidConfig(AppConfig):
    name = "fengqiao.legalaid"
    label = "legalaid"
    verbose_name = "法律援助"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fengqiao.cases.panels import CasePanel, register
        from fengqiao.core.crypto import register_encrypted_field
        from fengqiao.legalaid.services import PHONE_CONTEXT

        register_encrypted_field("legalaid.LegalAidReferral", "phone_encrypted", PHONE_CONTEXT)
        register(CasePanel("legal_aid", _("Legal aid"), "legalaid:case_panel", order=70))
