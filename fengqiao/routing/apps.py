from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "fengqiao.routing"
    label = "routing"
    verbose_name = "分流交办"

    def ready(self) -> None:
        from fengqiao.cases.demo import register_demo_step
        from fengqiao.routing.demo import load_routing_demo

        register_demo_step("routing", load_routing_demo, order=10)
