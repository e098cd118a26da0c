from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "fengqiao.wellbeing"
    label = "wellbeing"
    verbose_name = "心理服务"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fengqiao.cases.panels import CasePanel, register

        register(
            CasePanel("wellbeing", _("Psychological services"), "wellbeing:case_panel", order=80)
        )
