"""SQL statements and web-process CPU of the everyday reads: API list, API detail, HTML case list.

Runs in process through Django's test client (no HTTP, no gunicorn), so the CPU figure is the
application's own work plus the database driver's; against SQLite the database's work is in it
too. Each endpoint is warmed, then requested ``--runs`` times; the statements are counted on one
more request, outside the timed runs (capturing them slows the cursor). Run on the demo:

    export DJANGO_SETTINGS_MODULE=fengqiao.settings.dev DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/read_paths.py --runs 200 [--sql] [--prod-caches]

``--prod-caches`` counts the rate limiter as production does: the caches of
``fengqiao/settings/prod.py`` (its database cache made with ``createcachetable``), not the dev
settings' local memory (issue #15, item 4). Prints a table; not a test (figures depend on the
machine, BENCH.md).
"""

import argparse
import importlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqiao.settings.dev")
os.environ.setdefault("FENGQIAO_RATE_API", "1000000")  # the runs are the measure, not a limit

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
)
from django.urls import reverse  # noqa: E402

from fengqiao.accounts.models import User  # noqa: E402
from fengqiao.accounts.services import api_token_create, system_actor  # noqa: E402
from fengqiao.cases.models import Case  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--user", default="shouli", help="a demo account (the township clerk)")
    parser.add_argument("--sql", action="store_true", help="print the statements of each")
    parser.add_argument("--prod-caches", action="store_true", help="the production caches")
    args = parser.parse_args()
    setup_test_environment()
    if args.prod_caches:
        os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
        prod = importlib.import_module("fengqiao.settings.prod")
        override_settings(
            CACHES=prod.CACHES,
            FENGQIAO_RATE_LIMIT_CACHES=getattr(prod, "FENGQIAO_RATE_LIMIT_CACHES", {}),
        ).enable()
        call_command("createcachetable", verbosity=0)
    user = User.objects.get(username=args.user)
    token = api_token_create(actor=system_actor(), user=user, name="bench/read_paths.py")
    case = Case.objects.filter(handling_org__memberships__user=user).order_by("-pk").first()
    assert case is not None, "load the demo first (manage.py load_demo)"
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    html = Client()
    html.force_login(user)
    endpoints = {
        "API list": lambda: api.get("/api/v1/cases?page_size=25"),
        "API detail": lambda: api.get(f"/api/v1/cases/{case.pk}"),
        "HTML case list": lambda: html.get(reverse("cases:list")),
    }
    caches = "production caches" if args.prod_caches else "dev caches"
    print(f"{connection.vendor}, {Case.objects.count()} cases, {caches}, {args.runs} runs")
    print(f"{'endpoint':<16} {'SQL':>4} {'CPU p50 ms':>11} {'CPU mean ms':>12}")
    for name, call in endpoints.items():
        for _ in range(5):
            response = call()
            assert response.status_code == 200, (name, response.status_code)
        samples = []
        for _ in range(args.runs):
            started = time.process_time()
            call()
            samples.append((time.process_time() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            call()
        print(
            f"{name:<16} {len(queries):>4} {statistics.median(samples):>11.2f} "
            f"{statistics.fmean(samples):>12.2f}"
        )
        if args.sql:
            for query in queries:
                print("    ", query["sql"][:160])


if __name__ == "__main__":
    main()
