# ruff: noqa: S608, E501  (bench SQL: fixed statements, numbers generated here)
"""KPI figures, dashboards, drill-down and ledger export at province scale, on PostgreSQL.

Generates a synthetic province (40 counties × 15 townships × 15 villages), N cases spread over
two years with their events (registered, accepted, concluded; a 回访 with its satisfaction after
each agreement, and a portal rating on one concluded case in four) in SQL (COPY-speed), and the
rollups the events imply by the one counting rule, then times what leaders open:

    .venv/bin/python bench/kpi_scale.py --cases 1000000 --db fq_kpi_bench [--keep]
        [--verify all|county|none]

Prints p50/p95 in milliseconds and the export's time and memory, then runs verify_figures'
check (every stored counter cell and every region × month of both years against a recount from
the cases and events, and the invariants) over the whole database (``all``, the default) or one
county. Not a test (BENCH.md): the figures depend on the machine. The database is dropped at the
end unless --keep.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loadlib import title_sql  # noqa: E402  (bench/ is put on the path just above)


def admin_sql(sql: str) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1/postgres", autocommit=True) as conn:
        conn.execute(sql)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered):8.1f}  p95 {p95:8.1f} ms"


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def build(cases: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from fengqiao.accounts.models import User
    from fengqiao.cases.categories import ensure_default_categories
    from fengqiao.cases.models import DisputeCategory
    from fengqiao.orgs.choices import OrgKind
    from fengqiao.orgs.models import Organisation
    from fengqiao.regions.models import Region

    call_command("migrate", verbosity=0)
    ensure_default_categories(DisputeCategory)
    user = User.objects.create_user(username="bench", password=None, full_name="基准")
    province = Region.objects.create(code="430000000000", name="湖南省", level=1, prefix="43")
    regions, orgs = [], []
    for c in range(1, 5):
        city = Region(code=f"43{c:02d}00000000", name=f"市{c}", level=2, parent=province)
        city.save()
        for k in range(1, 11):
            county_code = f"43{c:02d}{k:02d}"
            county = Region(code=f"{county_code}000000", name=f"县{c}-{k}", level=3, parent=city)
            county.save()
            orgs.append(
                Organisation(
                    name=f"{county.name}矛调中心",
                    kind=OrgKind.CENTRE,
                    region=county,
                    code=f"{county_code}ZZ",
                )
            )
            for t in range(100, 115):
                town = Region(
                    code=f"{county_code}{t:03d}000",
                    name=f"镇{county_code}{t}",
                    level=4,
                    parent=county,
                )
                town.save()
                orgs.append(
                    Organisation(
                        name=f"{town.name}矛调中心",
                        kind=OrgKind.CENTRE,
                        region=town,
                        code=f"{county_code}{t:03d}ZZ",
                    )
                )
                regions.extend(
                    Region(
                        code=f"{county_code}{t:03d}{v:03d}",
                        name=f"村{v}",
                        level=5,
                        parent=town,
                        prefix=f"{county_code}{t:03d}{v:03d}",
                    )
                    for v in range(201, 216)
                )
    Region.objects.bulk_create(regions, batch_size=5000)
    villages = list(Region.objects.filter(level=5).order_by("code"))
    orgs += [
        Organisation(
            name=f"{v.code}调委会", kind=OrgKind.VILLAGE_COMMITTEE, region=v, code=f"{v.code}TW"
        )
        for v in villages
    ]
    Organisation.objects.bulk_create(orgs, batch_size=5000)
    categories = list(DisputeCategory.objects.filter(parent=None).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_village AS
            SELECT row_number() OVER (ORDER BY r.code) - 1 AS n, r.id AS region_id,
                   r.prefix AS place, t.id AS town_org, t.code AS town_code, vo.id AS village_org
            FROM regions_region r
            JOIN orgs_organisation t ON t.code = substr(r.code, 1, 9) || 'ZZ'
            JOIN orgs_organisation vo ON vo.code = r.code || 'TW'
            WHERE r.level = 5;
            CREATE INDEX ON bench_village (n);
            """
        )
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO cases_case (created_at, updated_at, number, title, description, claims,
              channel, source_ref, category_id, region_id, address, people_count, risk_level,
              is_criminal_risk, is_mass, is_extreme, registering_org_id, registered_by_id,
              handling_org_id, due_date, status, status_changed_at, outcome,
              transfer_return_status, handling_prefix, place_prefix, event_count, ledger_head,
              routing)
            SELECT ts, ts, v.town_code || '-' || g, {title_sql("g")}, '基准生成的纠纷描述 ' || g, '',
              (ARRAY['grid','police_110','hotline_12345','petition','court','walk_in'])[1 + g % 6],
              '', (ARRAY{categories})[1 + g % {len(categories)}], v.region_id, '', 2, 'low',
              false, false, false, v.town_org, {user.pk},
              CASE WHEN g % 3 = 0 THEN v.village_org ELSE v.town_org END,
              (ts + interval '30 days')::date,
              CASE WHEN g % 10 < 7 THEN 'closed' WHEN g % 10 < 9 THEN 'mediating' ELSE 'registered' END,
              ts, CASE WHEN g % 10 < 6 THEN 'resolved' WHEN g % 10 = 6 THEN 'terminated' ELSE '' END,
              '', CASE WHEN g % 3 = 0 THEN v.place ELSE substr(v.place, 1, 9) END, v.place, 3, ''
              , '{{}}'::jsonb
            FROM generate_series(1, {cases}) g
            CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 08:00+08' +
                  (g % 730) * interval '1 day' + (g % 600) * interval '1 minute' AS ts) t
            JOIN bench_village v ON v.n = g % (SELECT count(*) FROM bench_village)
            """
        )
        print(f"  cases inserted in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO cases_caseevent (case_id, seq, kind, actor_id, actor_name, org_id,
                occurred_at, data, prev_hash, hash)
            SELECT c.id, e.seq, e.kind, {user.pk}, '基准', c.handling_org_id,
                   c.created_at + (e.seq - 1) * interval '2 days', e.data, '0',
                   encode(sha256((c.id || '-' || e.seq)::text::bytea), 'hex')
            FROM cases_case c
            CROSS JOIN LATERAL (VALUES
                (1, 'registered', '{{}}'::jsonb),
                (2, 'transitioned', CASE WHEN c.status <> 'registered'
                    THEN '{{"transition": "accept"}}'::jsonb END),
                (3, 'transitioned', CASE WHEN c.outcome = 'resolved'
                    THEN jsonb_build_object('transition', 'record_agreement', 'was_due', c.due_date)
                    WHEN c.outcome = 'terminated'
                    THEN jsonb_build_object('transition', 'terminate', 'was_due', c.due_date) END),
                (4, 'follow_up_recorded', CASE WHEN c.outcome = 'resolved'
                    THEN jsonb_build_object('satisfaction',
                        (ARRAY['satisfied','satisfied','satisfied','fairly','dissatisfied'])[1 + c.id % 5])
                    END),
                (5, 'outcome_rated', CASE WHEN c.outcome <> '' AND c.id % 4 = 0
                    THEN jsonb_build_object('satisfaction',
                        (ARRAY['satisfied','fairly','dissatisfied'])[1 + (c.id / 4) % 3], 'source', 'portal')
                    END)
            ) AS e(seq, kind, data)
            WHERE e.data IS NOT NULL
            """
        )
        print(f"  events inserted in {time.perf_counter() - started:.1f} s")
        cursor.execute("ANALYZE")
    # the rollups by the one counting rule (kpi.counting), as the service writes them
    from fengqiao.kpi import rollups

    started = time.perf_counter()
    cells = rollups.rebuild()
    print(
        f"  rollups rebuilt from the events ({cells:,} cells) in {time.perf_counter() - started:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(runs: int, verify: str) -> None:
    from fengqiao.cases.models import Case
    from fengqiao.kpi import selectors
    from fengqiao.kpi.choices import Metric
    from fengqiao.kpi.definitions import t
    from fengqiao.kpi.periods import Period
    from fengqiao.regions.models import Region

    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    province = Region.objects.get(code="430000000000")
    county = Region.objects.get(code="430101000000")
    print(
        f"  cases: {Case.objects.count():,}  rollup rows: daily "
        f"{selectors.RollupCounter.objects.count():,}, month × county "
        f"{selectors.MonthlyRollup.objects.count():,}"
    )
    for name, region in (("province", province), ("county", county)):
        figures = timed(lambda r=region: selectors.figures_for(r, year), runs)
        charts = timed(lambda r=region: selectors.dashboard_series(r, year), runs)
        both = [a + b for a, b in zip(figures, charts, strict=True)]
        print(
            f"  {name:8} figures {percentiles(figures)} | charts {percentiles(charts)} | "
            f"dashboard {percentiles(both)}"
        )
    term = t(Metric.RESOLVED)
    drill = timed(lambda: selectors.drill_counter(term, county, year, limit=50), runs)
    print(f"  drill-down first page (county, 50 cases) {percentiles(drill)}")
    # a county's year (≈10⁵ rows at 10⁷ cases) and a city's year: the filters offices use
    for scope, prefix in (("county", "430101"), ("city", "4301")):
        export(scope, prefix, year)
    if verify != "none":
        reconcile(None if verify == "all" else county, county)


def reconcile(region: Any, county: Any) -> None:
    """verify_figures' check, both years: every stored counter cell (daily × village and
    month × county) against a recount from the cases and events, over the whole database
    (``region`` None) or one county; then the served figures and their invariants for every
    region × month of one county's subtree and, over the whole database, of every county, city
    and the province (all 9,645 regions × 24 months would take ≈1 hour here at ≈15 ms each;
    ``manage.py verify_figures`` does all of them)."""
    from fengqiao.kpi import verification

    started = time.perf_counter()
    checked = verification.regions_with_cases(county)
    if region is None:
        checked += [
            r for r in verification.regions_with_cases() if r.level <= 3 and r.pk != county.pk
        ]
    mismatches = list(verification.verify(region=region, years=[2025, 2026], regions=checked))
    where = "whole database" if region is None else f"county {region.code}"
    cells = sum(m.objects.count() for m in (verification.RollupCounter, verification.MonthlyRollup))
    print(
        f"  verify_figures ({where}: {cells:,} counter cells; {len(checked):,} regions × 24 months): "
        f"{len(mismatches)} mismatches in {time.perf_counter() - started:.1f} s"
    )
    for mismatch in mismatches[:20]:
        print(f"    {mismatch}")


def export(scope: str, prefix: str, year: Any) -> None:
    from fengqiao.cases.models import Case
    from fengqiao.dataio import case_ledgers, sources
    from fengqiao.dataio.ledgers import write_xlsx

    cases = Case.objects.filter(
        place_prefix__startswith=prefix, created_at__date__range=(year.start, year.end)
    )
    counted = {"rows": 0}

    def rows():  # type: ignore[no-untyped-def]
        for row in sources.stream(sources.SOURCES["registration"], cases):
            counted["rows"] += 1
            yield row

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    handle = write_xlsx(
        case_ledgers.REGISTRATION, rows(), unit="基准", period="2025", exported_by="bench"
    )
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    size = handle.seek(0, 2)  # the file's size, without reading it into memory
    print(
        f"  ledger export ({scope}, a year) {counted['rows']:,} rows: {seconds:.1f} s, "
        f"{size / 1e6:.1f} MB, peak memory grew {grown:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default="fq_kpi_bench")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure an existing database")
    parser.add_argument(
        "--verify",
        choices=("all", "county", "none"),
        default="all",
        help="verify_figures over the whole database (default), one county, or not at all",
    )
    args = parser.parse_args()
    if not args.reuse:
        admin_sql(f"DROP DATABASE IF EXISTS {args.db}")
        admin_sql(
            f"CREATE DATABASE {args.db} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings.dev")
    import django

    django.setup()
    try:
        if not args.reuse:
            print(f"building {args.cases:,} cases …")
            build(args.cases)
        measure(args.runs, args.verify)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {args.db}")


if __name__ == "__main__":
    main()
