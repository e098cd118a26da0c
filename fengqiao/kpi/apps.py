from django.apps import AppConfig


class KpiConfig(AppConfig):
    name = "fengqiao.kpi"
    label = "kpi"
    verbose_name = "考核指标"

    def ready(self) -> None:
        from fengqiao.cases import hooks
        from fengqiao.kpi.rollups import apply_event

        hooks.on_event(apply_event)
