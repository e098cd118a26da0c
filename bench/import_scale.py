"""A 50,000-row dispute ledger through the background import on PostgreSQL: time and peak memory
of the worker's check and of its all-or-nothing import (issue #16).

Builds a fresh database (a county, a township, ten villages, the default categories, one intake
clerk), writes the ledger as a GBK-encoded CSV (as offices save it from Excel) or as .xlsx,
stores it as an upload (``ledger_import_upload``) and runs the two worker jobs in this process
exactly as ``db_worker`` would (``ledger_import_check``, ``ledger_import_run``), sampling the
progress file the page polls while each runs.

    .venv/bin/python bench/import_scale.py [--rows 50000] [--format csv|xlsx] \\
        [--db fq_import_bench] [--keep] [--history]

``--history`` makes every row a case of two years ago, concluded 调解成功 with a written
agreement by the centre's mediator (issue #21 item 7): each row is then replayed through the
workflow (registration and five actions, an agreement), and ``verify_ledger`` and
``verify_figures`` are run and timed after the import.

Prints rows, seconds and rows/s for each phase, the progress samples seen, and the process's
peak resident memory after each phase (ru_maxrss: the high-water mark, so the import's figure
covers both). The database is dropped at the end unless --keep.
"""

import argparse
import csv
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import loadlib

HISTORY = False  # --history: every row a concluded case of two years ago


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare() -> tuple[object, object, list[str]]:
    from django.core.management import call_command

    from fengqiao.accounts.models import User
    from fengqiao.accounts.roles import Role
    from fengqiao.accounts.services import membership_grant, system_actor
    from fengqiao.cases.categories import ensure_default_categories
    from fengqiao.cases.models import DisputeCategory
    from fengqiao.orgs.choices import OrgKind
    from fengqiao.orgs.models import Organisation
    from fengqiao.regions.models import Region

    call_command("migrate", verbosity=0)
    ensure_default_categories(DisputeCategory)
    province = Region.objects.create(code="430000000000", name="湖南省", level=1, prefix="43")
    city = Region.objects.create(code="430600000000", name="岳阳市", level=2, parent=province)
    county = Region.objects.create(code="430624000000", name="湘阴县", level=3, parent=city)
    town = Region.objects.create(code="430624122000", name="静河镇", level=4, parent=county)
    villages = [
        Region.objects.create(code=f"430624122{v:03d}", name=f"第{v}村", level=5, parent=town).name
        for v in range(201, 211)
    ]
    org = Organisation.objects.create(
        name="静河镇矛调中心", kind=OrgKind.CENTRE, region=town, code="430624122ZZ"
    )
    clerk = User.objects.create_user(username="bench-import", password=None, full_name="导入员")
    # a director may replay every step of a concluded case; a clerk only registers
    role = Role.CENTRE_DIRECTOR if HISTORY else Role.INTAKE_CLERK
    membership_grant(actor=system_actor(), user=clerk, role=role, region=town, org=org)
    mediator = User.objects.create_user(username="bench-tj", password=None, full_name="王调解")
    membership_grant(actor=system_actor(), user=mediator, role=Role.MEDIATOR, region=town, org=org)
    categories = list(
        DisputeCategory.objects.filter(parent=None, is_active=True).values_list("name", flat=True)
    )
    return clerk, org, [*villages, *categories]


def ledger_rows(rows: int, villages: list[str], categories: list[str]):  # type: ignore[no-untyped-def]
    from fengqiao.intake.spreadsheet import COLUMNS

    header = [h for h, _name, _required in COLUMNS]
    yield header
    for n in range(rows):
        values = {
            "标题": f"宅基地边界纠纷{n}",
            "纠纷概况": "两户因宅基地界址发生争执，多次口角，村调委会调解未果。",
            "纠纷类别": categories[n % len(categories)],
            "发生地": villages[n % len(villages)],
            "发生日期": "2026-11-01",
            "涉及金额": str(1000 + n % 5000),
            "涉及人数": "2",
            "来源编号": f"TZ-2026-{n:06d}",
            "申请人": f"张{n}",
            "申请人电话": f"138{n:08d}",
            "被申请人": f"李{n}",
        }
        if HISTORY:
            from fengqiao.core import clock

            year = clock.today().year - 2
            values["发生日期"] = f"{year}-{1 + n % 12:02d}-01"
            values["来源编号"] = f"TZ-{year}-{n:06d}"
            values |= {
                "登记日期": f"{year}-{1 + n % 12:02d}-03",
                "调解员": "王调解",
                "办理结果": "调解成功",
                "协议形式": "书面",
                "协议内容": "被申请人赔偿申请人损失",
                "协议金额": "2000",
                "履行情况": "已履行",
                "办结日期": f"{year}-{1 + n % 12:02d}-20",
            }
        yield [values.get(h, "") for h in header]


def write_ledger(
    path: Path, fmt: str, rows: int, villages: list[str], categories: list[str]
) -> None:
    if fmt == "csv":
        with path.open("w", encoding="gbk", newline="") as handle:
            csv.writer(handle).writerows(ledger_rows(rows, villages, categories))
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    for row in ledger_rows(rows, villages, categories):
        sheet.append(row)
    book.save(path)


def run_phase(name: str, job_id: int, work) -> None:  # type: ignore[no-untyped-def]
    from fengqiao.intake import import_jobs
    from fengqiao.intake.models import LedgerImport

    samples: list[tuple[float, int]] = []
    stop = threading.Event()
    started = time.perf_counter()

    def sample() -> None:
        from django.db import connection

        while not stop.wait(5):
            job = LedgerImport.objects.get(pk=job_id)
            samples.append((time.perf_counter() - started, import_jobs.import_progress(job)))
        connection.close()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    job = work(import_id=job_id)
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    print(
        f"{name}: {job.rows:,} rows, status {job.status}, {job.error_count} problems, "
        f"{seconds:.1f} s, {job.rows / seconds:,.0f} rows/s, peak RSS so far {peak_mb():.0f} MB"
    )
    shown = ", ".join(f"{t:.0f}s:{n:,}" for t, n in samples[:: max(1, len(samples) // 8)])
    print(f"  progress the page saw: {shown or '—'}")
    if job.message:
        print(f"  message: {job.message}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--db", default="fq_import_bench")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--history", action="store_true", help="rows of an earlier year, closed")
    args = parser.parse_args()
    global HISTORY
    HISTORY = args.history

    loadlib.create_new_db(args.db)
    media = tempfile.mkdtemp(prefix="fq-import-bench-")
    os.environ.update(
        {
            **loadlib.TEST_ENV,
            "DJANGO_SETTINGS_MODULE": "fengqiao.settings.dev",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1/{args.db}",
            "DJANGO_MEDIA_ROOT": media,
            "FENGQIAO_TASK_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fengqiao.cases.models import Case
    from fengqiao.intake import import_jobs

    settings.MEDIA_ROOT = media
    try:
        clerk, org, names = prepare()
        villages, categories = names[:10], names[10:]
        source = Path(media) / f"ledger.{args.format}"
        write_ledger(source, args.format, args.rows, villages, categories)
        size = source.stat().st_size
        print(
            f"ledger: {args.rows:,} rows, {'GBK CSV' if args.format == 'csv' else 'xlsx'},"
            f" {size / 2**20:.1f} MB; baseline peak RSS {peak_mb():.0f} MB"
        )
        upload = SimpleUploadedFile(f"台账.{args.format}", source.read_bytes())
        job = import_jobs.ledger_import_upload(actor=clerk, org_id=org.pk, upload=upload)  # type: ignore[arg-type]
        del upload
        run_phase("check", job.pk, import_jobs.ledger_import_check)
        import_jobs.ledger_import_confirm(actor=clerk, import_id=job.pk)  # type: ignore[arg-type]
        run_phase("import", job.pk, import_jobs.ledger_import_run)
        print(f"cases in the database: {Case.objects.count():,}")
        if HISTORY:
            from io import StringIO

            from django.core.management import call_command

            for command in ("verify_ledger", "verify_figures"):
                started = time.perf_counter()
                out = StringIO()
                call_command(command, stdout=out)
                took = time.perf_counter() - started
                print(f"{command}: {took:.1f} s — {out.getvalue().strip()[:120]}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            loadlib.drop_db(args.db)


if __name__ == "__main__":
    main()
