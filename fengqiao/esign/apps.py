from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EsignConfig(AppConfig):
    name = "fengqiao.esign"
    label = "esign"
    verbose_name = "电子签名"

    def ready(self) -> None:
        from fengqiao.cases import panels
        from fengqiao.core.crypto import register_encrypted_field

        panels.register(
            panels.CasePanel(
                key="esign", title=_("Electronic signature"), url_name="esign:panel", order=25
            )
        )
        # The committee's private key is personal-data-grade secret: rotate_pii_keys re-wraps it.
        register_encrypted_field("esign.CommitteeKey", "private_key_encrypted", "esign.key")
