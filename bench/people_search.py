# ruff: noqa: S603, S608  (bench: fixed SQL over generated numbers, manage.py subprocess)
"""Time people search (#16) over N stored cases on PostgreSQL: party names (exact, leading part,
any part), full phone, phone tail, ID number and case-number prefix, as the case list runs it
(first page of 25 plus the capped count), for a county clerk and a township director.

Generates the cases and two parties each in SQL (bench/dedup_scale.generate), then gives every
party a phone and an ID number with real keyed blind indexes (pgcrypto's HMAC with the test
settings' key, the same as ``crypto.blind_index``):

    .venv/bin/python bench/people_search.py --cases 200000 [--db fq_people_bench] [--keep]

Prints p50/p95 in milliseconds per kind of query. Target (BENCH.md): p95 ≤ 100 ms at 10⁶ cases;
this shared machine runs it at 2×10⁵ at most. The database is dropped unless --keep; --reuse
times again on a kept database.

Measured on this shared 2-core machine at 2×10⁵ cases (2026-12-02), p95 county clerk / township
director: exact name 45 / 40 ms, any 3 characters of a name 69 / 52, full phone 39 / 38, last four
digits 24 / 43, ID number 16 / 31, case-number prefix 52 / 220 ms. A two-character query (a
surname and the first given character) takes 519 / 474 ms: its name branch is an index prefix
scan, but the same text also searches titles and descriptions, where trigrams cannot serve two
characters and the pre-existing scan of every case remains (BENCH.md: "two-character words need
their own path").
"""

import argparse
import base64
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from dedup_scale import admin, generate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHONE = "'13' || lpad(((p.id::bigint * 7919) %% 1000000000)::text, 9, '0')"
ID_NUMBER = "'430624' || lpad(((p.id::bigint * 104729) %% 1000000000000)::text, 12, '0')"


def identify(conn: psycopg.Connection, key: bytes) -> None:
    """Every party gets a phone and an ID number, stored as the application stores them."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    conn.execute(
        f"""
        UPDATE cases_party p SET
            phone_index = encode(hmac(convert_to('phone:' || {PHONE}, 'UTF8'),
                %(key)s, 'sha256'), 'hex'),
            phone_tail_index = encode(hmac(convert_to('phone_tail:' || right({PHONE}, 4),
                'UTF8'), %(key)s, 'sha256'), 'hex'),
            phone_masked = left({PHONE}, 3) || '****' || right({PHONE}, 4),
            id_number_index = encode(hmac(convert_to('id_number:' || {ID_NUMBER}, 'UTF8'),
                %(key)s, 'sha256'), 'hex'),
            id_number_masked = left({ID_NUMBER}, 4) || '**********' || right({ID_NUMBER}, 4)
        """,
        {"key": key},
    )
    conn.commit()
    conn.execute("ANALYZE cases_party")
    conn.commit()


def plain(conn: psycopg.Connection, party_id: int) -> tuple[str, str, str]:
    row = conn.execute(
        f"SELECT name, {PHONE}, {ID_NUMBER} FROM cases_party p WHERE p.id = %s", (party_id,)
    ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--db", default="fq_people_bench")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if args.cases > 200_000:
        parser.error("at most 2×10⁵ cases on this shared machine")

    url = f"postgres://postgres@127.0.0.1/{args.db}"
    if args.reuse:
        args.keep = True
    else:
        admin(f'DROP DATABASE IF EXISTS "{args.db}"')
        admin(f'CREATE DATABASE "{args.db}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "fengqiao.settings.test"}
    os.environ.update(env)
    try:
        if not args.reuse:
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, env=env
            )
        import django

        django.setup()
        from django.conf import settings

        from fengqiao.accounts.models import User
        from fengqiao.accounts.roles import Role
        from fengqiao.accounts.services import membership_grant, system_actor
        from fengqiao.cases.models import Case, Party
        from fengqiao.cases.selectors import CaseFilters, case_list_for
        from fengqiao.core.paging import capped_count
        from fengqiao.intake.dedup.load import county_clerk
        from fengqiao.orgs.choices import OrgKind
        from fengqiao.orgs.models import Organisation
        from fengqiao.regions.models import Region

        clerk = county_clerk()
        org = Organisation.objects.get(code="430624ZZ")
        pg = psycopg.connect(f"postgresql://postgres@127.0.0.1/{args.db}")
        if not args.reuse:
            began = time.perf_counter()
            generate(pg, args.cases, org_id=org.pk, user_id=clerk.pk)
            pg.commit()
            identify(pg, base64.b64decode(settings.FENGQIAO_BLIND_INDEX_KEY))
            print(
                f"generated {args.cases} cases, 2 parties each, in "
                f"{time.perf_counter() - began:.0f} s"
            )
        total = Case.objects.count()

        township = Region.objects.filter(code__startswith="430624", level=4).order_by("code")[0]
        centre, _ = Organisation.objects.get_or_create(
            code=township.code[:9] + "ZZ",
            defaults={
                "name": township.name + "矛调中心",
                "kind": OrgKind.CENTRE,
                "region": township,
            },
        )
        director, _ = User.objects.get_or_create(username="people_bench_township")
        membership_grant(
            actor=system_actor(),
            user=director,
            role=Role.CENTRE_DIRECTOR,
            region=township,
            org=centre,
        )

        rng = random.Random(16)
        top = Party.objects.order_by("-id").values_list("id", flat=True).first() or 0
        samples = [plain(pg, rng.randint(1, top)) for _ in range(args.runs)]
        numbers = list(Case.objects.order_by("?").values_list("number", flat=True)[: args.runs])
        kinds = {
            "name, exact": [s[0] for s in samples],
            "name, leading 2": [s[0][:2] for s in samples],
            "name, any 3 of 3": [s[0][-3:] for s in samples],
            "phone, full": [s[1] for s in samples],
            "phone, last 4": [s[1][-4:] for s in samples],
            "ID number": [s[2] for s in samples],
            "case-number prefix": [n[:-2] for n in numbers],
        }

        def page(actor: User, text: str) -> int:
            cases = case_list_for(actor=actor, filters=CaseFilters(text=text))
            list(cases[:25])
            return capped_count(cases)[0]

        print(
            f"people search over {total} cases, {args.runs} different queries each "
            "(first page of 25 + capped count):"
        )
        for actor, who in ((clerk, "county clerk"), (director, "township director")):
            for kind, texts in kinds.items():
                page(actor, texts[0])  # warm
                timings, hits = [], 0
                for text in texts:
                    start = time.perf_counter()
                    hits += page(actor, text)
                    timings.append(1000 * (time.perf_counter() - start))
                timings.sort()
                p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
                print(
                    f"  {who:18} {kind:20} p50 {statistics.median(timings):7.1f} ms  "
                    f"p95 {p95:7.1f} ms  ({hits / len(texts):.1f} cases found on average)"
                )
        pg.close()
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            admin(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
