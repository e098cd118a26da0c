from django.apps import AppConfig


class SelfhelpConfig(AppConfig):
    name = "fengqiao.selfhelp"
    label = "selfhelp"
    verbose_name = "自助解纷"

    def ready(self) -> None:
        from fengqiao.cases.demo import register_demo_step
        from fengqiao.selfhelp.demo import load_selfhelp_demo

        register_demo_step("selfhelp", load_selfhelp_demo, order=80)
