from django.apps import AppConfig


class LegalaidConfig(AppConfig):
    name = "fengqiao.legalaid"
    label = "legalaid"
    verbose_name = "法律援助"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fengqiao.cases.panels import CasePanel, register

        register(CasePanel("legal_aid", _("Legal aid"), "legalaid:case_panel", order=70))
