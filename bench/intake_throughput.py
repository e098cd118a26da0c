# ruff: noqa: E501  (bench SQL: fixed statements)
"""110 police-transfer intake over HTTP: throughput and latency at rising concurrency, resends mixed in.

Builds a fresh PostgreSQL database with N background cases (kpi_scale.build), opens a police_110
channel endpoint for one county centre (service account = an intake clerk of that county), starts
gunicorn (sync workers) on 127.0.0.1 and POSTs /api/v1/intake/police-110 from standard-library
threads. A share of the requests (--resend, default 0.2) resends an incident already sent, which
must answer 200 with the same case (idempotent on the incident number); new ones answer 201.

    .venv/bin/python bench/intake_throughput.py --cases 100000 --clients 1,4,16 --seconds 20 \\
        [--workers 2] [--resend 0.2] [--db fq_intake_bench] [--keep]

Prints cases/s, p50/p95/p99 for new and resent transfers, and errors. The database is dropped at
the end unless --keep; gunicorn is always stopped.
"""

import argparse
import itertools
import os
import sys
import threading
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import loadlib

SUMMARIES = [
    "报警人称邻居在两家宅基地交界处砌墙，占用其通道，双方发生口角推搡，民警到场后劝开。",
    "报警人称在工地干活三个月，包工头拖欠工资一万二千元，多次讨要未果，欠薪纠纷。",
    "报警人称楼上住户深夜装修噪音扰民，协商无果，双方情绪激动。",
    "报警人称与同村村民因承包地边界发生争执，对方毁坏其青苗，要求赔偿。",
]


def prepare(args: argparse.Namespace) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import connection
    from kpi_scale import build

    from fengqiao.accounts.models import User
    from fengqiao.accounts.roles import Role
    from fengqiao.accounts.services import membership_grant, system_actor
    from fengqiao.orgs.models import Organisation
    from fengqiao.regions.models import Region

    print(f"building {args.cases:,} background cases …", flush=True)
    build(args.cases)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    county = Region.objects.get(code="430101000000")
    org = Organisation.objects.get(code="430101ZZ")
    clerk, _ = User.objects.get_or_create(username="bench-110", defaults={"full_name": "110对接"})
    membership_grant(
        actor=system_actor(), user=clerk, role=Role.INTAKE_CLERK, region=county, org=org
    )
    out = StringIO()
    call_command(
        "create_channel_endpoint",
        channel="police_110",
        org=org.code,
        user=clerk.username,
        stdout=out,
    )
    token = out.getvalue().strip().splitlines()[-1].split("：", 1)[1].strip()
    villages = list(
        Region.objects.filter(level=5, code__startswith="430101").values_list("code", flat=True)
    )
    return {"token": token, "villages": villages}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", default="fq_intake_bench")
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--resend", type=float, default=0.2)
    parser.add_argument("--port", type=int, default=18232)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    loadlib.create_db(args.db)
    env = {
        **loadlib.TEST_ENV,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1/{args.db}",
        "DJANGO_SETTINGS_MODULE": "fengqiao.settings.dev",
        "DJANGO_DEBUG": "false",
    }
    os.environ.update(env)
    import django

    django.setup()
    server = None
    try:
        ctx = prepare(args)
        from django.db import connections

        connections.close_all()
        server = loadlib.Server(
            app="fengqiao.wsgi:application",
            port=args.port,
            env=env,
            workers=args.workers,
            gunicorn=str(loadlib.ROOT / ".venv/bin/gunicorn"),
            cwd=loadlib.ROOT,
        )
        auth = {"Authorization": f"Bearer {ctx['token']}"}
        serial = itertools.count(1)
        sent: list[dict] = []  # type: ignore[type-arg]
        sent_lock = threading.Lock()
        shown: set[int] = set()

        def payload(n: int, rng) -> dict:  # type: ignore[no-untyped-def, type-arg]
            return {
                "incident_no": f"J4301{n:010d}",
                "reported_at": f"2026-11-{1 + n % 20:02d}T{8 + n % 12:02d}:15:00+08:00",
                "place_code": rng.choice(ctx["villages"]),
                "callers": [{"name": f"王{n % 89}", "phone": f"137{n:08d}"[:11]}],
                "other_parties": [{"name": f"赵{n % 83}"}],
                "summary": rng.choice(SUMMARIES) + f"（第{n}起）",
                "dispatch_result": "民警到场调处，建议双方到矛调中心调解。",
                # half name a category code, half leave it to the classifier (intake/classify.py)
                **({"category": "labour"} if n % 2 else {}),
            }

        def post(body: dict, want: int) -> tuple[int, bool]:  # type: ignore[type-arg]
            status, answer = loadlib.request(
                args.port, "POST", "/api/v1/intake/police-110", headers=auth, body=body
            )
            if status != want and status not in shown:
                shown.add(status)
                print(f"      answered {status}: {answer[:300].decode(errors='replace')}")
            return status, status == want

        def new(rng):  # type: ignore[no-untyped-def]
            body = payload(next(serial), rng)
            result = post(body, 201)
            if result[1]:
                with sent_lock:
                    sent.append(body)
            return result

        def resend(rng):  # type: ignore[no-untyped-def]
            with sent_lock:
                body = rng.choice(sent) if sent else None
            if body is None:
                return new(rng)
            return post(body, 200)

        ops = [
            ("110 transfer, new", 1 - args.resend, new),
            ("110 transfer, resend", args.resend, resend),
        ]
        print(f"110 intake, {args.cases:,} background cases, gunicorn {args.workers} sync workers")
        for clients in [int(c) for c in args.clients.split(",")]:
            loadlib.run_level(ops, clients=clients, seconds=args.seconds)
    finally:
        if server is not None:
            server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            loadlib.drop_db(args.db)


if __name__ == "__main__":
    main()
