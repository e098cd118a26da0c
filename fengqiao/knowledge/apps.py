from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "fengqiao.knowledge"
    label = "knowledge"
    verbose_name = "法律知识库"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fengqiao.cases.panels import CasePanel, register

        register(CasePanel("citations", _("Cited law"), "knowledge:case_panel", order=60))
