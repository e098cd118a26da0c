from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    name = "fengqiao.patrols"
    label = "patrols"
    verbose_name = "排查与风险"

    def ready(self) -> None:
        from fengqiao.cases.demo import register_demo_step
        from fengqiao.patrols.demo import load_patrols_demo

        register_demo_step("patrols", load_patrols_demo, order=40)
