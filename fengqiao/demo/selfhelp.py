"""Demo data before filing: the shipped legal library (≈200 entries) and the seven question
trees, the county's 法律援助中心 with an (illustrative) hardship standard, and a few citizens'
self-help runs so the dashboard's 源头化解 figure is not empty. Bulk inserts keep it quick."""

import random
from decimal import Decimal

from fengqiao.accounts.models import User
from fengqiao.knowledge.library import library_load
from fengqiao.legalaid.models import HardshipStandard
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Region
from fengqiao.selfhelp import services
from fengqiao.selfhelp.library import trees_load
from fengqiao.selfhelp.selectors import trees_offered

COUNTY = "430624000000"
# (tree category, answers) → settled / applied / referred
RUNS = (
    ("neighbour", (0, 0), "settle"),
    ("neighbour", (1, 0), "settle"),
    ("neighbour", (0, 2), "apply"),
    ("labour", (0, 1), "settle"),
    ("labour", (2,), ""),
    ("traffic", (1, 0), "settle"),
    ("marriage_family", (3,), ""),
)


def load_selfhelp_demo(actor: User, rng: random.Random) -> list[str]:
    entries = library_load(actor=actor)
    trees = trees_load(actor=actor)
    county = Region.objects.filter(code=COUNTY).first()
    if county is not None:
        Organisation.objects.get_or_create(
            code="430624FLYZ",
            defaults={
                "name": "湘阴县法律援助中心",
                "kind": OrgKind.LEGAL_AID_CENTRE,
                "region": county,
            },
        )
        HardshipStandard.objects.get_or_create(
            region=county,
            defaults={
                "monthly_income_per_person": Decimal("1300.00"),
                "basis": "演示数值（以省级人民政府公布的标准为准）",
            },
        )
    by_category = {t.category.code: t for t in trees_offered()}
    for category, answers, end in RUNS:
        tree = by_category.get(category)
        if tree is None:
            continue
        run = services.run_start(tree_id=tree.pk)
        for choice in answers:
            run = services.run_answer(token=run.token, node=run.node, choice=choice)
        if end == "settle":
            services.run_settle(token=run.token)
        elif end == "apply":
            services.run_to_application(token=run.token)
    return [f"法律知识库 {entries} 条，自助解纷问题树 {trees} 棵，自助记录 {len(RUNS)} 条"]
