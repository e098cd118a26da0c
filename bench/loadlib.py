"""Shared pieces of the HTTP load benches: a gunicorn launcher and a threaded load generator.

Standard library only (no new dependency). Used by load_mixed.py, intake_throughput.py and
helpdesk_compare.py; not run on its own.
"""

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
TEST_ENV = {
    "DJANGO_SECRET_KEY": "bench-only-not-secret-5d1e8a7c",
    "FENGQIAO_PII_KEYS": "t1:dGVzdC1vbmx5LXBpaS1rZXktMDEyMzQ1Njc4OWFiY2Q=",
    "FENGQIAO_BLIND_INDEX_KEY": "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS0wMTIzNDU=",
}


def admin_sql(sql: str) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1/postgres", autocommit=True) as conn:
        conn.execute(sql)


# Bench titles: eleven kinds of dispute, so a search word matches about one case in eleven (a
# word in every title measures nothing). ``title_sql("g")`` is the same expression on every side.
TITLES = (
    "宅基地边界纠纷",
    "婚姻家庭纠纷",
    "劳资欠薪纠纷",
    "邻里噪音纠纷",
    "交通事故赔偿纠纷",
    "物业服务纠纷",
    "医疗损害纠纷",
    "土地承包纠纷",
    "民间借贷纠纷",
    "山林权属纠纷",
    "消费维权纠纷",
)


def title_sql(counter: str) -> str:
    """SQL for the title of generated row ``counter`` (an integer column or series value)."""
    values = ", ".join(f"'{t}'" for t in TITLES)
    return f"(ARRAY[{values}])[1 + {counter} % {len(TITLES)}] || {counter}"


def database_exists(name: str) -> bool:
    with psycopg.connect("postgresql://postgres@127.0.0.1/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def create_new_db(name: str) -> None:
    """Create ``name``, refusing to touch a database that is already there (it is not ours)."""
    if database_exists(name):
        raise SystemExit(
            f"database {name} already exists: choose another name "
            "(the bench drops only what it creates)"
        )
    admin_sql(
        f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    )


def create_db(name: str) -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin_sql(
        f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    )


def drop_db(name: str) -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


UNLIMITED = {
    "FENGQIAO_RATE_API": "100000000",
    "FENGQIAO_RATE_LOGIN": "100000000",
    "FENGQIAO_RATE_PORTAL": "100000000",
}


class Server:
    """gunicorn on 127.0.0.1:port with sync workers; control socket kept out of $HOME."""

    def __init__(
        self, *, app: str, port: int, env: dict[str, str], workers: int, gunicorn: str, cwd: Path
    ) -> None:
        self.port = port
        self.log = open(f"/tmp/bench-gunicorn-{port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(  # noqa: S603
            [
                gunicorn,
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--control-socket",
                f"/tmp/bench-gunicorn-{port}.ctl",
                "--log-level",
                "warning",
            ],
            # One token and one address stand for every member of staff here: lift the limits
            # that protect a real deployment from one client (core.ratelimit).
            env={**os.environ, **UNLIMITED, **env},
            cwd=cwd,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/")
                conn.getresponse().read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited, see {self.log.name}") from None
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: object = None,
    raw: bytes | None = None,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    hdrs = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        hdrs["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=hdrs)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, payload


Op = Callable[[random.Random], tuple[int, bool]]  # returns (status, ok)


def run_level(
    ops: list[tuple[str, float, Op]], *, clients: int, seconds: float, seed: int = 1
) -> dict[str, list[float]]:
    """``clients`` threads, each picking an op by weight in a closed loop for ``seconds``."""
    names = [name for name, _w, _op in ops]
    weights = [w for _n, w, _op in ops]
    by_name = {name: op for name, _w, op in ops}
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        local: dict[str, list[float]] = defaultdict(list)
        local_err: dict[str, int] = defaultdict(int)
        while time.perf_counter() < stop_at:
            name = rng.choices(names, weights)[0]
            started = time.perf_counter()
            try:
                _status, ok = by_name[name](rng)
            except Exception:
                ok = False
            local[name].append((time.perf_counter() - started) * 1000)
            if not ok:
                local_err[name] += 1
        with lock:
            for key, values in local.items():
                samples[key].extend(values)
            for key, count in local_err.items():
                errors[key] += count

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(len(v) for v in samples.values())
    total_err = sum(errors.values())
    every = [x for v in samples.values() for x in v]
    print(
        f"  clients {clients:3d}: {total / elapsed:7.1f} req/s  {total} requests  "
        f"{total_err} errors  all {pct(every)}"
    )
    for name in names:
        if samples.get(name):
            print(
                f"      {name:28s} n={len(samples[name]):6d} err={errors.get(name, 0):4d}  "
                f"{pct(samples[name])}"
            )
    return dict(samples)


def pct(samples: list[float]) -> str:
    if not samples:
        return "-"
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {statistics.median(ordered):7.1f}  p95 {pick(0.95):7.1f}  p99 {pick(0.99):7.1f} ms"
