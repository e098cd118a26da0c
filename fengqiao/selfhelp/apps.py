from django.apps import AppConfig


class SelfhelpConfig(AppConfig):
    name = "fengqiao.selfhelp"
    label = "selfhelp"
    verbose_name = "自助解纷"
