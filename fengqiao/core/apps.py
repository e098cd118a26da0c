from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fengqiao.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from fengqiao.core import checks  # noqa: F401  registers the production checks
