from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "fengqiao.feed"
    label = "feed"
    verbose_name = "事件推送"

    def ready(self) -> None:
        from fengqiao.core.crypto import register_encrypted_field
        from fengqiao.feed.models import SECRET_CONTEXT

        register_encrypted_field("feed.Subscription", "secret_encrypted", SECRET_CONTEXT)
