from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fengqiao.portal"
    label = "portal"
    verbose_name = "群众端"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fengqiao.cases import panels
        from fengqiao.core.crypto import register_encrypted_field
        from fengqiao.portal.services import PHONE_CONTEXT

        register_encrypted_field("portal.PortalApplication", "phone_encrypted", PHONE_CONTEXT)

        panels.register(
            panels.CasePanel(
                key="evidence",
                title=_("Evidence and photos"),
                url_name="portal:evidence_panel",
                order=40,
            )
        )
