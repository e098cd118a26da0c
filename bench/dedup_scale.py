# ruff: noqa: S603, S608  (bench: fixed SQL over generated numbers, manage.py subprocess)
"""Time one 三源合一 duplicate check against 10⁶ stored cases on PostgreSQL.

Creates a dedicated database, migrates it, loads the 湘阴县 divisions, then generates N cases
with two parties each server-side in SQL (INSERT … SELECT generate_series, indexes dropped during
the load and rebuilt after — the way a bulk load is done, never the per-row services), spread over
three years across every village of 430624, with dispute-like Chinese descriptions, names drawn
from common surnames and keyed blind indexes for ID numbers and phones. It then runs
``candidates_for_case`` for 200 cases of the last year and prints p50/p95/max in milliseconds:

    .venv/bin/python bench/dedup_scale.py --cases 1000000 [--db fq_dedup_bench] [--keep]

Target: p95 < 50 ms. The database is dropped at the end unless --keep; ``--reuse`` times the
checks again on a kept database. Measured on this 2-core machine at 10⁶ cases (2026-11-23):
p50 31 ms, p95 42 ms, max 83 ms (the three "newest cases" pools in one UNION ALL round trip,
the category pool on its own index).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
)
GIVEN = (
    "建国军华明伟芳秀英兰桂花红梅丽敏静强磊洋勇艳杰涛斌超辉刚平波林海峰志春雪荣新玉凤霞云飞鹏宇浩亮"
)
FRAGMENTS = {
    "what": [
        "因宅基地界址发生争议",
        "因拖欠工资多次讨要无果",
        "因邻里噪音问题发生争吵",
        "因夫妻感情不和要求离婚",
        "因交通事故赔偿协商未果",
        "因手术后出现感染要求赔偿",
        "因承包地边界发生纠纷",
        "因借款到期未还多次催讨",
    ],
    "detail": [
        "对方建房时院墙越界约三米",
        "涉及工人十余名",
        "双方多次发生推搡",
        "对房屋和存款分割分歧较大",
        "伤者住院花去医疗费数万元",
        "家属情绪激动",
        "对方强行耕种",
        "借条写明两个月归还",
    ],
    "ask": ["要求调解", "请求村里出面处理", "要求赔偿损失", "申请人民调解", "希望尽快解决"],
}


def admin(sql: str) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1/postgres", autocommit=True) as conn:
        conn.execute(sql)


def array(values: list[str] | str) -> str:
    items = list(values)
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in items) + "]"


def pick(values: list[str] | str) -> str:
    return f"({array(values)})[1 + floor(random() * {len(values)})::int]"


def generate(conn: psycopg.Connection, n: int, *, org_id: int, user_id: int) -> None:
    """N cases and 2N parties, in SQL; the Case and Party indexes are rebuilt afterwards."""
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
        "('cases_case', 'cases_party') AND indexname NOT LIKE '%%_pkey'"
        " AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
    ).fetchall()
    for name, _definition in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute(
        "CREATE TEMP TABLE places AS SELECT id, code, prefix, "
        "(row_number() OVER (ORDER BY code)) - 1 AS n FROM regions_region "
        "WHERE level = 5 AND code LIKE '430624%%'"
    )
    conn.execute(
        "CREATE TEMP TABLE cats AS SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS n "
        "FROM cases_disputecategory WHERE parent_id IS NULL"
    )
    places = conn.execute("SELECT count(*) FROM places").fetchone()[0]
    cats = conn.execute("SELECT count(*) FROM cats").fetchone()[0]
    name = f"{pick(SURNAMES)} || {pick(GIVEN)} || {pick(GIVEN)}"
    conn.execute(
        f"""
        INSERT INTO cases_case (created_at, updated_at, number, title, description, claims,
            channel, source_ref, address, people_count, risk_level, is_criminal_risk, is_mass,
            is_extreme, status, status_changed_at, outcome, transfer_return_status,
            handling_prefix, place_prefix, event_count, ledger_head, handling_org_id, region_id,
            registered_by_id, registering_org_id, category_id, routing)
        SELECT t.at, t.at, 'B' || g, '纠纷' || g,
            t.a || '与' || t.b || {pick(FRAGMENTS["what"])} || '，' || {pick(FRAGMENTS["detail"])}
                || '，' || t.b || '不同意，' || t.a || {pick(FRAGMENTS["ask"])} || '。',
            '', (ARRAY['walk_in','police_110','hotline_12345','petition','grid'])
                [1 + floor(random() * 5)::int], '', '', 2, 'low', false, false, false,
            'registered', t.at, '', '', '430624', p.prefix, 0, '', %(org)s, p.id, %(user)s,
            %(org)s, c.id, '{{}}'::jsonb
        FROM generate_series(1, %(n)s) g
        CROSS JOIN LATERAL (SELECT {name} AS a, {name} AS b,
            now() - random() * interval '1095 days' AS at, g AS k) t
        JOIN places p ON p.n = (g::bigint * 7919) %% {places}
        JOIN cats c ON c.n = (g::bigint * 31) %% {cats}
        """,
        {"n": n, "org": org_id, "user": user_id},
    )
    conn.execute(
        f"""
        INSERT INTO cases_party (role, kind, name, id_number_encrypted, id_number_index,
            id_number_masked, phone_encrypted, phone_index, phone_masked, address, case_id,
            region_id, phone_tail_index)
        SELECT CASE WHEN s = 1 THEN 'applicant' ELSE 'respondent' END, 'person', {name}, '',
            CASE WHEN random() < 0.6 THEN encode(sha256(('id' || floor(random() * %(people)s))
                ::text::bytea), 'hex') ELSE '' END, '', '',
            CASE WHEN random() < 0.7 THEN encode(sha256(('ph' || floor(random() * %(people)s))
                ::text::bytea), 'hex') ELSE '' END, '', '', c.id,
            CASE WHEN random() < 0.5 THEN c.region_id END, ''
        FROM cases_case c CROSS JOIN generate_series(1, 2) s
        """,
        {"people": n * 2},
    )
    conn.commit()  # the deferred foreign-key checks run here, before the indexes are rebuilt
    for _name, definition in indexes:
        conn.execute(definition)
    conn.execute("ANALYZE cases_case")
    conn.execute("ANALYZE cases_party")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default="fq_dedup_bench")
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="time the checks on a database kept by --keep"
    )
    args = parser.parse_args()

    url = f"postgres://postgres@127.0.0.1/{args.db}"
    if args.reuse:
        args.keep = True
    else:
        admin(f'DROP DATABASE IF EXISTS "{args.db}"')
        admin(f'CREATE DATABASE "{args.db}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "fengqiao.settings.test"}
    os.environ.update(env)
    try:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, env=env
        )
        import django

        django.setup()
        from fengqiao.cases.models import Case
        from fengqiao.intake import duplicates
        from fengqiao.intake.dedup.load import county_clerk
        from fengqiao.orgs.models import Organisation

        actor = county_clerk()
        org = Organisation.objects.get(code="430624ZZ")
        if not args.reuse:
            began = time.perf_counter()
            with psycopg.connect(f"postgresql://postgres@127.0.0.1/{args.db}") as conn:
                generate(conn, args.cases, org_id=org.pk, user_id=actor.pk)
                conn.commit()
            print(
                f"generated {args.cases} cases with 2 parties each in "
                f"{time.perf_counter() - began:.0f} s"
            )
        args.cases = Case.objects.count()

        recent = list(
            Case.objects.filter(number__startswith="B")
            .order_by("?")
            .values_list("pk", flat=True)[: args.checks * 3]
        )
        probes = list(Case.objects.select_related("category", "region").filter(pk__in=recent))[
            : args.checks
        ]
        duplicates.candidates_for_case(probes[0], actor=actor)  # warm the connection and caches
        timings, found = [], 0
        for case in probes:
            start = time.perf_counter()
            candidates = duplicates.candidates_for_case(case, actor=actor)
            timings.append(1000 * (time.perf_counter() - start))
            found += len(candidates)
        timings.sort()
        p95 = timings[int(0.95 * len(timings)) - 1]
        print(
            f"one duplicate check over {args.cases} cases, {len(timings)} checks: "
            f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
            f"({found / len(timings):.1f} candidates shown on average)"
        )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            admin(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
