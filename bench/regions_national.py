"""The national division table: generate the statistical bureau's five levels for the whole
country (≈665,000 rows by default: 31 provinces, 11 cities each of which one has no county level,
as 东莞 and 中山 have none, 8 counties a city, 14 towns a county, 16 villages a town), then time one
all-or-nothing import on SQLite (a file database) and on PostgreSQL, each in its own process,
with the process's peak memory.

    .venv/bin/python bench/regions_national.py [--rows 665000] [--backend sqlite|postgres|both]
        [--db fq_bench_regions]

A second run of the same table (every row an update) is timed too: the yearly refresh."""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import loadlib  # noqa: E402

PROVINCES, CITIES, COUNTIES = 31, 11, 8


def generate(path: Path, rows: int) -> int:
    """Write the table; towns a county and villages a town scale so the total is about ``rows``."""
    per_county = rows / (PROVINCES * CITIES * COUNTIES)
    villages = max(1, round((per_county - 1) / 15 * 16 / 15))  # villages a town
    towns = max(1, round((per_county - 1) / (villages + 1)))
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("统计用区划代码,名称\n")
        for p in range(PROVINCES):
            province = f"{11 + p:02d}"
            out.write(f"{province}0000000000,省{p}\n")
            written += 1
            for c in range(1, CITIES + 1):
                city = f"{province}{c:02d}"
                out.write(f"{city}00000000,市{p}-{c}\n")
                written += 1
                direct = c == CITIES  # the last city of each province has no county level
                counties = (
                    [f"{city}00"] if direct else [f"{city}{d:02d}" for d in range(1, COUNTIES + 1)]
                )
                for county in counties:
                    if not direct:
                        out.write(f"{county}000000,县{county}\n")
                        written += 1
                    for t in range(1, towns * (COUNTIES if direct else 1) + 1):
                        town = f"{county}{t:03d}"
                        out.write(f"{town}000,镇{town}\n")
                        written += 1
                        for v in range(1, villages + 1):
                            out.write(f"{town}{200 + v:03d},村{v}\n")
                            written += 1
    return written


def child(backend: str, path: Path, db: str) -> None:
    env = {**loadlib.TEST_ENV, "DJANGO_SETTINGS_MODULE": "fengqiao.settings.test"}
    scratch = None
    if backend == "sqlite":
        scratch = Path(tempfile.mkdtemp(prefix="regions-bench-")) / "bench.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{scratch}"
    else:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1/{db}"
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fengqiao.accounts.services import system_actor
    from fengqiao.regions.models import Region
    from fengqiao.regions.services import regions_import

    call_command("migrate", verbosity=0)
    actor = system_actor()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for label in ("first import", "re-import (all updates)"):
        started = time.perf_counter()
        result = regions_import(actor=actor, path=path, year=2025)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert not result.errors, result.errors[:5]
        print(
            f"  {backend:9s} {label:24s} {elapsed:7.1f} s  created {result.created:>7,}  "
            f"updated {result.updated:>7,}  peak RSS {peak:6.0f} MB (before {before:.0f} MB)",
            flush=True,
        )
    towns_under_cities = Region.objects.filter(level=4, parent__level=2).count()
    print(f"  {backend:9s} towns directly under a city: {towns_under_cities:,}")
    connection.close()
    if scratch:
        scratch.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=665_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--db", default="fq_bench_regions")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.backend, args.file, args.db)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national.csv"
        started = time.perf_counter()
        written = generate(path, args.rows)
        print(
            f"national table: {written:,} rows, {path.stat().st_size / 2**20:.1f} MB, "
            f"written in {time.perf_counter() - started:.1f} s"
        )
        for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
            if backend == "postgres":
                loadlib.create_new_db(args.db)
            try:
                subprocess.run(  # noqa: S603  (this script, re-run as the measured child)
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        "--backend",
                        backend,
                        "--file",
                        str(path),
                        "--db",
                        args.db,
                    ],
                    check=True,
                )
            finally:
                if backend == "postgres":
                    loadlib.drop_db(args.db)


if __name__ == "__main__":
    main()
