from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fengqiao.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from fengqiao.accounts.two_factor import SECRET_CONTEXT
        from fengqiao.core.crypto import register_encrypted_field

        register_encrypted_field("accounts.TotpDevice", "secret_encrypted", SECRET_CONTEXT)
