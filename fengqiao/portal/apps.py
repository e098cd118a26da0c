from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fengqiao.portal"
    label = "portal"
    verbose_name = "群众端"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fengqiao.cases import panels

        panels.register(
            panels.CasePanel(
                key="evidence",
                title=_("Evidence and photos"),
                url_name="portal:evidence_panel",
                order=40,
            )
        )
