from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "fengqiao.documents"
    label = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        from fengqiao.cases import panels
        from fengqiao.cases.demo import register_demo_step
        from fengqiao.documents.demo import demo_step

        panels.register(
            panels.CasePanel(
                key="documents", title=_("Documents"), url_name="documents:panel", order=20
            )
        )
        # After the mediation step (order 50), which puts agreements in force.
        register_demo_step("documents", demo_step, order=60)
