"""The demo's parts from the other apps, in the order ``load_demo`` runs them after the cases.

Each step is an ordinary function of this app (``demo/<app>.py``) calling that app's services;
the list is the wiring, read top to bottom (issue #12: no registry filled at start-up).
"""

from fengqiao.cases.choices import Action
from fengqiao.demo import documents, intake, mediation, patrols, portal, routing, selfhelp
from fengqiao.demo.loader import DemoPreparer, DemoStep

STEPS: list[DemoStep] = [
    routing.load_routing_demo,  # routing rules before any later step registers a case
    intake.load_intake_demo,  # channel endpoints and submissions (三源合一)
    portal.load_portal_demo,  # the citizen portal's applications
    patrols.load_patrols_demo,  # 排查 rounds, hazards, meetings
    mediation.demo_step,  # sessions and agreements in force
    documents.demo_step,  # after mediation: the documents of agreements in force
    selfhelp.load_selfhelp_demo,
]

# 人民调解法 art.29: "agreement reached" needs an agreement in force, recorded just before.
PREPARERS: dict[str, DemoPreparer] = {Action.RECORD_AGREEMENT: mediation.prepare_agreement}
