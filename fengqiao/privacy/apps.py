from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "fengqiao.privacy"
    label = "privacy"
    verbose_name = "个人信息保护"

    def ready(self) -> None:
        from fengqiao.core.crypto import register_encrypted_field
        from fengqiao.privacy.models import PHONE_CONTEXT

        register_encrypted_field("privacy.Consent", "phone_encrypted", PHONE_CONTEXT)
