from django.apps import AppConfig


class DataioConfig(AppConfig):
    name = "fengqiao.dataio"
    label = "dataio"
    verbose_name = "台账与导出"
