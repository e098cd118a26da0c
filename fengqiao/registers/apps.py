from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "fengqiao.registers"
    label = "registers"
    verbose_name = "人员名册与补贴"
