from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "fengqiao.documents"
    label = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        from fengqiao.cases import panels

        panels.register(
            panels.CasePanel(
                key="documents", title=_("Documents"), url_name="documents:panel", order=20
            )
        )
