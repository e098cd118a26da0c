"""Mixed staff load over HTTP (BENCH.md: 80% read, 15% act, 5% register) on PostgreSQL.

Builds a fresh database with N synthetic cases (kpi_scale.build), gives a province-level centre
director (湖南省) a membership and an API token, starts gunicorn (sync workers) on 127.0.0.1 and
drives, from standard-library threads in a closed loop, at rising concurrency:

  reads 80%: filtered list first page (status+channel+region, 25 rows), Chinese search
             (2-character 纠纷 / 欠薪, 4-character 基准生成, a case number), case detail with
             parties/events (API) ; act 15%: ``accept`` on a registered case (API) ;
  register 5%: POST /api/v1/cases with one applicant.

    .venv/bin/python bench/load_mixed.py --cases 200000 --clients 1,4,16,32 --seconds 20 \\
        [--workers 2] [--db fq_load_bench] [--keep] [--reuse] [--settings prod]

Prints req/s, errors and p50/p95/p99 per operation for each level. The database is dropped at the
end unless --keep; gunicorn is always stopped.

``--settings prod`` runs gunicorn with the production settings (fengqiao.settings.prod: the
database cache behind the rate limits, JSON logs, HTTPS as nginx reports it in
X-Forwarded-Proto), as deployed (issue #17). Every run ends with the lost-write check: every
registration answered 201 is looked up in the database and its timeline chain verified.
"""

import argparse
import itertools
import json
import os
import sys
import threading
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import loadlib

ROOT = loadlib.ROOT


def prepare(args: argparse.Namespace) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import connection

    from fengqiao.accounts.models import User
    from fengqiao.accounts.roles import Role
    from fengqiao.accounts.services import membership_grant, system_actor
    from fengqiao.orgs.choices import OrgKind
    from fengqiao.orgs.models import Organisation
    from fengqiao.regions.models import Region

    if not args.reuse:
        from kpi_scale import build

        print(f"building {args.cases:,} cases …", flush=True)
        build(args.cases)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    province = Region.objects.get(code="430000000000")
    org, _ = Organisation.objects.get_or_create(
        code="43ZZ", defaults={"name": "湖南省矛调中心", "kind": OrgKind.CENTRE, "region": province}
    )
    user, _ = User.objects.get_or_create(
        username="bench-province", defaults={"full_name": "省级基准"}
    )
    membership_grant(
        actor=system_actor(), user=user, role=Role.CENTRE_DIRECTOR, region=province, org=org
    )
    out = StringIO()
    call_command(
        "create_api_token", user.username, name="load bench", stdout=out, stderr=StringIO()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM cases_case")
        low, high = cursor.fetchone()
        cursor.execute(
            "SELECT id FROM cases_case WHERE status = 'registered' ORDER BY random() LIMIT 20000"
        )
        registered = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT number FROM cases_case ORDER BY random() LIMIT 200")
        numbers = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT code FROM regions_region WHERE level = 5 ORDER BY random() LIMIT 50")
        villages = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT code FROM regions_region WHERE level = 3 ORDER BY code")
        counties = [row[0] for row in cursor.fetchall()]
    return {
        "token": out.getvalue().strip(),
        "org": org.pk,
        "low": low,
        "high": high,
        "registered": registered,
        "numbers": numbers,
        "villages": villages,
        "counties": counties,
    }


def operations(port: int, ctx: dict) -> list:  # type: ignore[type-arg]
    from urllib.parse import urlencode

    auth = {"Authorization": f"Bearer {ctx['token']}", **ctx.get("headers", {})}
    answered: list[str] = ctx.setdefault("answered", [])
    pending = iter(ctx["registered"])
    pending_lock = threading.Lock()
    serial = itertools.count()

    def get(path: str, query: dict) -> tuple[int, bool]:  # type: ignore[type-arg]
        status, _body = loadlib.request(
            port, "GET", f"{path}?{urlencode(query, doseq=True)}", headers=auth
        )
        return status, status == 200

    def list_filtered(rng):  # type: ignore[no-untyped-def]
        return get(
            "/api/v1/cases",
            {
                "status": rng.choice(["registered", "mediating", "closed"]),
                "channel": rng.choice(["grid", "police_110", "hotline_12345"]),
                "region": rng.choice(ctx["counties"]),
                "page_size": 25,
            },
        )

    def list_plain(rng):  # type: ignore[no-untyped-def]
        return get("/api/v1/cases", {"page_size": 25, "status": ["registered", "mediating"]})

    def search_two(rng):  # type: ignore[no-untyped-def]
        return get("/api/v1/cases", {"q": rng.choice(["纠纷", "欠薪"]), "page_size": 25})

    def search_four(rng):  # type: ignore[no-untyped-def]
        return get(
            "/api/v1/cases",
            {"q": f"基准生成的纠纷描述 {rng.randint(1, ctx['high'])}", "page_size": 25},
        )

    def search_number(rng):  # type: ignore[no-untyped-def]
        return get("/api/v1/cases", {"q": rng.choice(ctx["numbers"]), "page_size": 25})

    def detail(rng):  # type: ignore[no-untyped-def]
        case_id = rng.randint(ctx["low"], ctx["high"])
        return get(f"/api/v1/cases/{case_id}", {})

    def act(rng):  # type: ignore[no-untyped-def]
        with pending_lock:
            case_id = next(pending)
        status, body = loadlib.request(
            port,
            "POST",
            f"/api/v1/cases/{case_id}/actions/accept",
            headers=auth,
            body={"note": "基准受理"},
        )
        if status != 200 and not getattr(act, "shown", False):
            act.shown = True  # type: ignore[attr-defined]
            print(f"      accept answered {status}: {body[:300].decode(errors='replace')}")
        return status, status == 200

    def register(rng):  # type: ignore[no-untyped-def]
        n = next(serial)
        status, body = loadlib.request(
            port,
            "POST",
            "/api/v1/cases",
            headers=auth,
            body={
                "org_id": ctx["org"],
                "title": f"负载登记{n}",
                "description": f"工地拖欠工资，欠薪纠纷，第{n}件，双方争执。",
                "channel": "walk_in",
                "category": "labour",
                "region": rng.choice(ctx["villages"]),
                "parties": [
                    {
                        "role": "applicant",
                        "name": f"李{n % 97}",
                        "phone": f"139{n:08d}"[:11],
                    }
                ],
            },
        )
        if status == 201:
            answered.append(json.loads(body)["number"])
        if status != 201 and not getattr(register, "shown", False):
            register.shown = True  # type: ignore[attr-defined]
            print(f"      register answered {status}: {body[:300].decode(errors='replace')}")
        return status, status == 201

    return [
        ("read: list filtered", 30, list_filtered),
        ("read: list open (no filter)", 10, list_plain),
        ("read: search 2-char", 10, search_two),
        ("read: search long phrase", 5, search_four),
        ("read: search case number", 5, search_number),
        ("read: detail", 20, detail),
        ("act: accept", 15, act),
        ("register", 5, register),
    ]


def lost_write_check(numbers: list[str]) -> None:
    """Every registration the server answered 201 must be in the database with an intact
    timeline chain (a write acknowledged and then lost would be a silent loss of a dispute)."""
    from fengqiao.cases import ledger
    from fengqiao.cases.models import Case

    ids = list(Case.objects.filter(number__in=numbers).values_list("pk", flat=True))
    broken = list(ledger.verify(ids))
    print(
        f"  lost-write check: {len(numbers)} registrations answered 201, "
        f"{len(numbers) - len(ids)} missing, {len(broken)} broken chains"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default="fq_load_bench")
    parser.add_argument("--clients", default="1,4,16,32")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=18231)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--settings", choices=["dev", "prod"], default="dev")
    args = parser.parse_args()
    if not args.reuse:
        loadlib.create_db(args.db)
    env = {
        **loadlib.TEST_ENV,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1/{args.db}",
        "DJANGO_SETTINGS_MODULE": f"fengqiao.settings.{args.settings}",
        "DJANGO_DEBUG": "false",
    }
    if args.settings == "prod":
        env |= {
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "FENGQIAO_SMS_BACKEND": "fengqiao.notifications.sms.HttpGatewayBackend",
            "FENGQIAO_LOG_LEVEL": "WARNING",
        }
    os.environ.update(env)
    import django

    django.setup()
    server = None
    try:
        ctx = prepare(args)
        if args.settings == "prod":
            from django.core.management import call_command

            call_command("createcachetable", verbosity=0)
            ctx["headers"] = {"X-Forwarded-Proto": "https"}  # what nginx says after TLS
        from django.db import connections

        connections.close_all()
        server = loadlib.Server(
            app="fengqiao.wsgi:application",
            port=args.port,
            env=env,
            workers=args.workers,
            gunicorn=str(ROOT / ".venv/bin/gunicorn"),
            cwd=ROOT,
        )
        ops = operations(args.port, ctx)
        weights = {name: w for name, w, _op in ops}
        print(f"fengqiao mixed load, {args.cases:,} cases, gunicorn {args.workers} sync workers")
        print(f"  mix: {json.dumps(weights, ensure_ascii=False)}")
        print(f"  settings: fengqiao.settings.{args.settings}")
        for clients in [int(c) for c in args.clients.split(",")]:
            loadlib.run_level(ops, clients=clients, seconds=args.seconds)
        lost_write_check(ctx["answered"])
    finally:
        if server is not None:
            server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            loadlib.drop_db(args.db)


if __name__ == "__main__":
    main()
