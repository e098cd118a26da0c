from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    name = "fengqiao.patrols"
    label = "patrols"
    verbose_name = "排查与风险"
