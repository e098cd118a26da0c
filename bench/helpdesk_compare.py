# ruff: noqa: S603, S608, E501  (bench: fixed SQL and subprocesses built here)
"""fengqiao vs django-helpdesk 2.6.1: same N, same run, same operations, same serving.

Needs a separate virtualenv with the peer (the project's own .venv is not touched):

    python3 -m venv /tmp/helpdesk-venv
    /tmp/helpdesk-venv/bin/pip install "django-helpdesk==2.6.1" "psycopg[binary]" gunicorn
    .venv/bin/python bench/helpdesk_compare.py --cases 200000 [--runs 30] [--warmup 5] \
        [--helpdesk-venv /tmp/helpdesk-venv] [--workers 2] [--fq-db NAME] [--hd-db NAME] \
        [--fq-port 18241] [--hd-port 18242] [--keep]

What makes it fair:
- both are served by gunicorn with the same number of sync workers, both keep their database
  connections (CONN_MAX_AGE 60 on both sides), both answer a new HTTP connection per request;
- both databases hold N rows with the same titles (eleven kinds of dispute, bench/loadlib.TITLES),
  descriptions and status mix (70% closed, 20% in progress, 10% new), two follow-ups each, ANALYZEd;
- each operation is warmed (--warmup rounds on both sides, not counted), then timed --runs times
  (at least 30 for a reportable figure), alternating between the two systems, one client;
- the search word (宅基地) is in one title of eleven, not in every one;
- the reports row does the same work on both sides: a report computed over all rows (fengqiao:
  every indicator of the province over the whole period; helpdesk: its queue × status report over
  all tickets), not a list of stored reports;
- the bench creates its two databases (names configurable) and refuses names that exist; it drops
  only what it created, and nothing with --keep.

Operations: filtered list (open statuses, one county / one queue, first page; helpdesk's page plus
its data call), keyword search (one word, and a long phrase), detail (fengqiao page + timeline
panel; helpdesk ticket page), dashboard (fengqiao /kpi/; helpdesk /dashboard/), report over all rows.
p50/p95 per side and the ratio helpdesk/fengqiao of the p50 are printed.
"""

import argparse
import base64
import json
import os
import random
import statistics
import subprocess
import sys
import time
from argparse import Namespace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import loadlib
import psycopg

PROJ = Path("/tmp/hdproj-bench")
QUEUES = 40
SETTINGS = """
import os
SECRET_KEY = "bench-only-helpdesk"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.sites", "django.contrib.humanize", "rest_framework", "helpdesk",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "hdurls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "django.template.context_processors.i18n"]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ["HD_DB"],
    "USER": "postgres", "HOST": "127.0.0.1", "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}}
STATIC_URL = "/static/"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
HELPDESK_TEAMS_MODE_ENABLED = False
LOGIN_URL = "/login/"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
"""
URLS = 'from django.urls import include, path\nurlpatterns = [path("helpdesk/", include("helpdesk.urls", namespace="helpdesk"))]\n'
WSGI = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsettings")\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n'
SESSION_SCRIPT = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
User = get_user_model()
user = User.objects.create_superuser("bench", "bench@example.org", None)
s = SessionStore()
s["_auth_user_id"] = str(user.pk)
s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
s["_auth_user_hash"] = user.get_session_auth_hash()
s.create()
from helpdesk.models import Queue
for q in range(1, QUEUES + 1):
    Queue.objects.create(title=f"县{q}矛调中心", slug=f"q{q}", email_address=f"q{q}@example.org")
print(s.session_key)
"""


def helpdesk_build(venv: Path, db: str, cases: int) -> tuple[dict[str, str], str]:
    PROJ.mkdir(exist_ok=True)
    (PROJ / "hdsettings.py").write_text(SETTINGS)
    (PROJ / "hdurls.py").write_text(URLS)
    (PROJ / "hdwsgi.py").write_text(WSGI)
    env = {"HD_DB": db, "DJANGO_SETTINGS_MODULE": "hdsettings", "PYTHONPATH": str(PROJ)}
    run_env = {**os.environ, **env}
    run_env.pop("DATABASE_URL", None)
    subprocess.run([str(venv / "bin/django-admin"), "migrate", "-v0"], env=run_env, check=True)
    session = (
        subprocess.run(
            [
                str(venv / "bin/django-admin"),
                "shell",
                "-c",
                f"QUEUES = {QUEUES}\n" + SESSION_SCRIPT,
            ],
            env=run_env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )  # Django 5.2's shell also prints its auto-imports
    started = time.perf_counter()
    with psycopg.connect(f"postgresql://postgres@127.0.0.1/{db}", autocommit=True) as conn:
        conn.execute(
            f"""
            INSERT INTO helpdesk_ticket (title, created, modified, submitter_email, status, on_hold,
              description, resolution, priority, due_date, last_escalation, assigned_to_id,
              queue_id, secret_key, kbitem_id, merged_to_id)
            SELECT {loadlib.title_sql("g")}, ts, ts, 'p' || g || '@example.org',
              CASE WHEN g % 10 < 7 THEN 4 WHEN g % 10 < 9 THEN 2 ELSE 1 END, false,
              '基准生成的纠纷描述 ' || g, CASE WHEN g % 10 < 7 THEN '已调解' ELSE '' END,
              1 + g % 5, ts + interval '30 days', NULL, NULL,
              (SELECT min(id) FROM helpdesk_queue) + g % {QUEUES},
              substr(md5(g::text), 1, 36), NULL, NULL
            FROM generate_series(1, {cases}) g
            CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 08:00+08' +
                  (g % 730) * interval '1 day' + (g % 600) * interval '1 minute' AS ts) t
            """
        )
        conn.execute(
            """
            INSERT INTO helpdesk_followup (date, title, comment, public, new_status, ticket_id,
              user_id, message_id, time_spent, email_recipients)
            SELECT t.created + (f - 1) * interval '2 days', '跟进', '基准跟进记录', true,
              CASE WHEN f = 2 THEN t.status END, t.id, NULL, NULL, NULL, NULL
            FROM helpdesk_ticket t CROSS JOIN generate_series(1, 2) f
            """
        )
        conn.execute("ANALYZE")
    print(f"  helpdesk tickets + follow-ups inserted in {time.perf_counter() - started:.1f} s")
    return env, session


def hd_query(params: dict) -> str:  # type: ignore[type-arg]
    return base64.b64encode(json.dumps(params).encode()).decode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds per operation")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--helpdesk-venv", default="/tmp/helpdesk-venv")
    parser.add_argument("--fq-db", default="fq_cmp_fengqiao")
    parser.add_argument("--hd-db", default="fq_cmp_helpdesk")
    parser.add_argument("--fq-port", type=int, default=18241)
    parser.add_argument("--hd-port", type=int, default=18242)
    parser.add_argument("--keep", action="store_true", help="keep the two databases afterwards")
    args = parser.parse_args()
    if args.runs < 30:
        print(f"!! {args.runs} runs: fewer than 30, the figures below are not for reporting")
    fq_db, hd_db, fq_port, hd_port = args.fq_db, args.hd_db, args.fq_port, args.hd_port
    created: list[str] = []
    for name in (fq_db, hd_db):
        loadlib.create_new_db(name)
        created.append(name)
    env = {
        **loadlib.TEST_ENV,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1/{fq_db}",
        "DJANGO_SETTINGS_MODULE": "fengqiao.settings.dev",
        "DJANGO_DEBUG": "false",
    }
    os.environ.update(env)
    import django

    django.setup()
    servers: list[loadlib.Server] = []
    try:
        from django.contrib.sessions.backends.db import SessionStore
        from django.db import connections
        from load_mixed import prepare

        from fengqiao.accounts.models import User

        ctx = prepare(Namespace(reuse=False, cases=args.cases))
        user = User.objects.get(username="bench-province")
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        fq_cookie = {"Cookie": f"sessionid={store.session_key}"}
        connections.close_all()
        print(f"building helpdesk with {args.cases:,} tickets …", flush=True)
        venv = Path(args.helpdesk_venv)
        hd_env, hd_session = helpdesk_build(venv, hd_db, args.cases)
        hd_cookie = {"Cookie": f"sessionid={hd_session}"}
        servers.append(
            loadlib.Server(
                app="fengqiao.wsgi:application",
                port=fq_port,
                env=env,
                workers=args.workers,
                gunicorn=str(loadlib.ROOT / ".venv/bin/gunicorn"),
                cwd=loadlib.ROOT,
            )
        )
        clean_env = dict(hd_env)
        servers.append(
            loadlib.Server(
                app="hdwsgi:application",
                port=hd_port,
                env={**clean_env, "DATABASE_URL": ""},
                workers=args.workers,
                gunicorn=str(venv / "bin/gunicorn"),
                cwd=PROJ,
            )
        )
        with psycopg.connect(f"postgresql://postgres@127.0.0.1/{hd_db}") as conn:
            low, high = conn.execute("SELECT min(id), max(id) FROM helpdesk_ticket").fetchone()
            queue = conn.execute("SELECT min(id) FROM helpdesk_queue").fetchone()[0]
        rng = random.Random(7)
        county = ctx["counties"][0]

        def fq(path: str) -> tuple[int, bytes]:
            return loadlib.request(fq_port, "GET", path, headers=fq_cookie)

        def hd(path: str) -> tuple[int, bytes]:
            return loadlib.request(hd_port, "GET", path, headers=hd_cookie)

        def hd_list(search: str = "") -> tuple[int, bytes]:
            params = {
                "filtering": {"status__in": [1, 2, 3], "queue__id__in": [queue]},
                "sorting": "created",
                "sortreverse": True,
                "search_string": search,
            }
            if search:
                params["filtering"] = {}
            b64 = hd_query(params)
            status, body = hd(
                f"/helpdesk/tickets/?{'q=' + quote(search) if search else 'status=1&status=2&status=3&queue=' + str(queue)}"
            )
            if status != 200:
                return status, body
            return hd(f"/helpdesk/datatables_ticket_list/{b64}?draw=1&start=0&length=25")

        from urllib.parse import quote

        phrase = "基准生成的纠纷描述 1234"
        word = loadlib.TITLES[0][:3]  # 宅基地: one title in eleven
        province = "430000000000"
        whole = "year=2025&date_from=2025-01-01&date_to=2026-12-31"  # every generated row
        pairs = [
            (
                "filtered list, first page",
                lambda: fq(f"/cases/?status=registered&status=mediating&region={county}"),
                lambda: hd_list(),
            ),
            (
                f"keyword search {word} (1 in 11)",
                lambda: fq(f"/cases/?q={quote(word)}"),
                lambda: hd_list(word),
            ),
            (
                "keyword search long phrase",
                lambda: fq(f"/cases/?q={quote(phrase)}"),
                lambda: hd_list(phrase),
            ),
            (
                "detail (+ timeline)",
                lambda: (lambda cid: (fq(f"/cases/{cid}/"), fq(f"/cases/{cid}/timeline/"))[-1])(
                    rng.randint(ctx["low"], ctx["high"])
                ),
                lambda: hd(f"/helpdesk/tickets/{rng.randint(low, high)}/"),
            ),
            ("dashboard", lambda: fq("/kpi/"), lambda: hd("/helpdesk/dashboard/")),
            (
                "report over all rows",
                lambda: fq(f"/kpi/?region={province}&{whole}"),
                lambda: hd("/helpdesk/reports/queuestatus/"),
            ),
        ]
        print(
            f"\nfengqiao vs django-helpdesk 2.6.1, {args.cases:,} cases/tickets each, "
            f"gunicorn {args.workers} sync workers each, persistent database connections, "
            f"{args.warmup} warm-up + {args.runs} timed runs, one client"
        )
        print(
            f"  {'operation':32s} {'fengqiao p50/p95 ms':>22s} {'helpdesk p50/p95 ms':>22s}  ratio p50"
        )
        for name, fq_op, hd_op in pairs:
            times: dict[str, list[float]] = {"fq": [], "hd": []}
            bad: dict[str, str] = {}
            for _ in range(args.warmup):
                for op in (fq_op, hd_op):
                    op()
            for _ in range(args.runs):
                for key, op in (("fq", fq_op), ("hd", hd_op)):
                    started = time.perf_counter()
                    status, body = op()
                    times[key].append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        bad[key] = f"{status} {body[:160].decode(errors='replace')}"
            fq_p = _p(times["fq"])
            hd_p = _p(times["hd"])
            print(
                f"  {name:32s} {fq_p[0]:10.1f} /{fq_p[1]:9.1f} {hd_p[0]:10.1f} /{hd_p[1]:9.1f}  "
                f"{hd_p[0] / fq_p[0]:7.1f}×"
            )
            for key, message in bad.items():
                print(f"      !! {key} answered {message}")
    finally:
        for server in servers:
            server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            for name in created:  # only what this run created
                loadlib.drop_db(name)


def _p(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


if __name__ == "__main__":
    main()
