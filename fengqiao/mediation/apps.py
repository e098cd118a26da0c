from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import Action


class MediationConfig(AppConfig):
    name = "fengqiao.mediation"
    label = "mediation"
    verbose_name = "调解"

    def ready(self) -> None:
        from fengqiao.cases import hooks, panels
        from fengqiao.mediation import court, numbers, services, sham

        # 人民调解法 arts.29–30: "agreement reached" needs an agreement in force.
        hooks.add_guard(Action.RECORD_AGREEMENT, services.agreement_guard)
        hooks.add_history_recorder(
            Action.RECORD_AGREEMENT,
            lambda case, actor, ledger: services.agreement_record_imported(
                actor=actor, case=case, ledger=ledger
            ),
        )
        hooks.on_transition(court.report_to_court)
        hooks.on_transition(numbers.issue_on_start)
        # 特邀调解规定 art.18: a suspected 虚假调解 is reported for review.
        hooks.on_transition(sham.refer_suspected_collusion)
        panels.register(
            panels.CasePanel(
                key="mediation", title=_("Mediation"), url_name="mediation:panel", order=10
            )
        )
