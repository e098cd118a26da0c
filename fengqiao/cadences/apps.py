from django.apps import AppConfig


class CadencesConfig(AppConfig):
    name = "fengqiao.cadences"
    label = "cadences"
    verbose_name = "会议频次与月度汇总"
