from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "fengqiao.supervision"
    label = "supervision"
    verbose_name = "督办与通知"
