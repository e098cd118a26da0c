from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "fengqiao.routing"
    label = "routing"
    verbose_name = "分流交办"
