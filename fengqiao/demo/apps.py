from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (``manage.py load_demo``): at the top of the layers, so it may drive
    every app's services; no other app imports it."""

    name = "fengqiao.demo"
    label = "demo"
    verbose_name = "演示数据"
