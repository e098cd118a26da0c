from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "fengqiao.routing"
    label = "routing"
    verbose_name = "分流交办"

    def ready(self) -> None:
        from fengqiao.cases import hooks
        from fengqiao.routing.router import route

        hooks.set_router(route)
