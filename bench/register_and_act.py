"""Latency of registering a case and of one workflow action, through the real services.

Run against a scratch database (it creates one small tree and N cases):

    DATABASE_URL=postgres://postgres@127.0.0.1/fq_bench \\
        .venv/bin/python bench/register_and_act.py --cases 300

Prints p50/p95/p99 in milliseconds. Not a test: figures depend on the machine (BENCH.md).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings.dev")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from fengqiao.accounts.models import User  # noqa: E402
from fengqiao.accounts.roles import Role  # noqa: E402
from fengqiao.accounts.services import membership_grant, system_actor  # noqa: E402
from fengqiao.cases.choices import Channel, PartyRole  # noqa: E402
from fengqiao.cases.services import CaseDraft, PartyDraft, case_register, case_transition  # noqa: E402
from fengqiao.orgs.choices import OrgKind  # noqa: E402
from fengqiao.orgs.models import Organisation  # noqa: E402
from fengqiao.regions.choices import RegionLevel  # noqa: E402
from fengqiao.regions.models import Region  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {statistics.median(ordered):6.2f}  p95 {pick(0.95):6.2f}  p99 {pick(0.99):6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    county, _ = Region.objects.get_or_create(
        code="990100000000", defaults={"name": "基准县", "level": RegionLevel.COUNTY}
    )
    town, _ = Region.objects.get_or_create(
        code="990100100000",
        defaults={"name": "基准镇", "level": RegionLevel.TOWNSHIP, "parent": county},
    )
    village, _ = Region.objects.get_or_create(
        code="990100100201",
        defaults={"name": "基准村", "level": RegionLevel.VILLAGE, "parent": town},
    )
    org, _ = Organisation.objects.get_or_create(
        code="990100100BM", defaults={"name": "基准镇中心", "kind": OrgKind.CENTRE, "region": town}
    )
    actor, _ = User.objects.get_or_create(username="bench-clerk")
    membership_grant(
        actor=system_actor(), user=actor, role=Role.CENTRE_DIRECTOR, region=town, org=org
    )
    parties = (
        PartyDraft(
            role=PartyRole.APPLICANT,
            name="张三",
            id_number="430624199001011233",
            phone="13800138000",
        ),
    )
    register, act = [], []
    for i in range(args.cases):
        draft = CaseDraft(
            org_id=org.pk,
            title=f"基准纠纷{i}",
            description="宅基地边界纠纷，双方争执。",
            channel=Channel.WALK_IN,
            category="housing_homestead",
            region=village.code,
            parties=parties,
        )
        started = time.perf_counter()
        case = case_register(actor=actor, draft=draft)
        register.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        case_transition(actor=actor, case_id=case.pk, name="accept")
        act.append((time.perf_counter() - started) * 1000)
    vendor = django.db.connection.vendor
    print(f"{vendor}, {args.cases} cases")
    print(f"  register (validate, number, parties, event, audit): {percentiles(register)}")
    print(f"  accept (lock, guards, event, audit):                {percentiles(act)}")


if __name__ == "__main__":
    main()
