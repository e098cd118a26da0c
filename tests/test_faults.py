"""Fault tests with real processes on PostgreSQL: the import worker killed with -9 in the middle
of an import, PostgreSQL restarted under load (where the test may not restart it: every connection
of the server cut), and the background
worker killed in the middle of a job. Each checks that nothing is left half-done and that the
system carries on.

The application runs in subprocesses (gunicorn, ``manage.py db_worker``) against the test
database, so the tests use committed data (``transaction=True``) and need PostgreSQL.
"""

import csv
import http.cookiejar
import http.server
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from fengqiao.cases import ledger
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.intake.models import ImportStatus, LedgerImport
from fengqiao.intake.services import channel_endpoint_create
from fengqiao.intake.spreadsheet import COLUMNS
from fengqiao.notifications.models import OutboundMessage

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "pw-Test-123456"  # conftest's make_actor password

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="subprocesses share only a real database"
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fengqiao.settings.test",
        "DATABASE_URL": url,
        "DJANGO_SECURE_COOKIES": "false",
        "FENGQIAO_CONN_MAX_AGE": "60",
        **extra,
    }


def _wait(condition, timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@dataclass
class Server:
    process: subprocess.Popen
    base: str


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:
    """gunicorn with two sync workers, as deployed, in its own process group."""
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "fengqiao.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            with urllib.request.urlopen(base + "/accounts/login/", timeout=2) as answer:  # noqa: S310
                return answer.status == 200
        except (OSError, urllib.error.URLError):
            return False

    try:
        _wait(up, 60, "gunicorn to answer", step=0.3)
        yield Server(process, base)
    finally:
        _kill_group(process)
        log.close()


class Browser:
    """Cookies, the CSRF token and multipart uploads over plain urllib."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str, timeout: float = 30) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=timeout) as answer:
                return answer.status, answer.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> int:
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for name, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in (files or {}).items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            )
            body.write(content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(  # noqa: S310  the local test server
            self.base + path,
            data=body.getvalue(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
            },
        )
        try:
            with self.opener.open(request, timeout=300) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self, username: str) -> None:
        self.get("/accounts/login/")
        self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert any(c.name == "sessionid" for c in self.jar), "sign-in failed"


def _ledger_csv(rows: int) -> bytes:
    header = [h for h, _name, _required in COLUMNS]
    values = {
        "标题": "宅基地边界纠纷",
        "纠纷概况": "两户因界址争执，多次协商未果。",
        "纠纷类别": "房屋宅基地纠纷",
        "发生地": "静河村",
        "申请人": "张三",
        "申请人电话": "13800138000",
        "被申请人": "李四",
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for number in range(rows):
        row = {**values, "标题": f"宅基地边界纠纷{number}", "申请人": f"张{number}"}
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode("utf-8-sig")


def _writing_transactions() -> int:
    """Other sessions of this database with an open transaction that has written something."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return int(cursor.fetchone()[0])


def test_the_worker_killed_during_an_import_leaves_nothing(tree, township_clerk, settings):
    """The import runs in the worker (issue #16), one transaction: killed with -9 in the middle,
    PostgreSQL rolls every row back."""
    before = (Case.objects.count(), CaseEvent.objects.count())
    job = LedgerImport(
        org=tree.township_centre,
        uploaded_by=township_clerk,
        file_name="ledger.csv",
        status=ImportStatus.IMPORT_QUEUED,
        rows=3000,
    )
    job.file.save("ledger.csv", ContentFile(_ledger_csv(3000)))
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from fengqiao.intake.import_jobs import ledger_import_run; "
            f"ledger_import_run(import_id={job.pk})",
        ],
        cwd=ROOT,
        env=_env(FENGQIAO_TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT)),
        start_new_session=True,
    )
    try:
        _wait(_writing_transactions, 120, "the import to start writing")
        time.sleep(1)  # well inside it: hundreds of cases written, none committed
    finally:
        _kill_group(worker)
    _wait(lambda: _writing_transactions() == 0, 30, "PostgreSQL to roll the import back")
    assert (Case.objects.count(), CaseEvent.objects.count()) == before
    assert list(ledger.verify()) == []
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING  # claimed, never finished: nothing was kept


def _restart_postgres() -> bool:
    """Restart the local Debian cluster that holds the test database, when this process may
    (root, as CI runs); False (nothing done) otherwise, and the test cuts every connection
    instead, which is what a restart looks like to the application."""
    db = connection.settings_dict
    lister, controller = shutil.which("pg_lsclusters"), shutil.which("pg_ctlcluster")
    if os.geteuid() != 0 or not lister or not controller:
        return False
    if (db["HOST"] or "127.0.0.1") not in ("127.0.0.1", "localhost", "::1"):
        return False
    listed = subprocess.run(
        [lister, "--no-header"], capture_output=True, text=True, check=False
    ).stdout
    for line in listed.splitlines():
        version, cluster, port, status = line.split()[:4]
        if int(port) != int(db["PORT"] or 5432) or status != "online":
            continue
        connection.close()
        command = [controller, "--skip-systemctl-redirect", version, cluster]
        restarted = subprocess.run([*command, "restart"], capture_output=True, check=False)
        if restarted.returncode != 0:
            subprocess.run([*command, "start"], capture_output=True, check=False)
        _wait(_database_answers, 60, "PostgreSQL to come back", step=0.5)
        return restarted.returncode == 0
    return False


def _database_answers() -> bool:
    try:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # still starting
        return False


def test_requests_fail_cleanly_while_postgresql_restarts_then_recover(
    server, township_clerk, register_case
):
    case = register_case()
    browser = Browser(server.base)
    browser.sign_in("clerk")
    results: list[tuple[float, int, str]] = []
    stop = threading.Event()

    def load() -> None:
        worker = Browser(server.base)
        worker.jar = browser.jar
        worker.opener = browser.opener
        while not stop.is_set():
            try:
                status, body = worker.get(f"/cases/{case.pk}/", timeout=20)
            except OSError as error:
                status, body = 0, str(error)
            results.append((time.monotonic(), status, body))

    threads = [threading.Thread(target=load, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    dropped_at = time.monotonic()
    if not _restart_postgres():
        for _ in range(3):  # a restart as the server sees it: every connection cut, repeatedly
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            time.sleep(0.3)
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert all(not t.is_alive() for t in threads), "a request hung"
    statuses = {status for _at, status, _body in results}
    assert statuses <= {200, 500}, statuses
    for _at, status, body in results:
        if status == 500:
            assert "Traceback" not in body  # a plain error page, nothing leaked
    after = [status for at, status, _body in results if at > dropped_at + 1.5]
    assert after, "no requests after the drop"
    assert set(after[-5:]) == {200}, after[-10:]
    assert case.number in browser.get(f"/cases/{case.pk}/")[1]


class _Receiver(http.server.BaseHTTPRequestHandler):
    """The 12345 platform: hangs on the first delivery (the worker dies meanwhile), accepts the
    rest, and keeps what it was sent."""

    received: list[dict] = []
    first_arrived = threading.Event()
    release = threading.Event()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"key": self.headers["Idempotency-Key"], "body": body})
        if len(self.received) == 1:
            self.first_arrived.set()
            self.release.wait(60)
            return  # the caller is gone by now
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args) -> None:
        pass


def _manage(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(FENGQIAO_TASK_BACKEND="django_tasks_db.DatabaseBackend"),
        start_new_session=True,
        **kwargs,
    )


def _enqueue_sweep() -> None:
    _manage(
        "shell",
        "-c",
        "from fengqiao.notifications.tasks import send_due_outbound; send_due_outbound.enqueue()",
    ).wait(timeout=60)


def test_the_worker_killed_mid_job_reruns_it_without_a_second_effect(
    tree, township_clerk, service_user_for_faults, register_case
):
    _Receiver.received = []
    _Receiver.first_arrived.clear()
    _Receiver.release.clear()
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_address[1]}/result"
    _endpoint, _token = channel_endpoint_create(
        actor=township_clerk,
        name="12345",
        channel="hotline_12345",
        org=tree.township_centre,
        service_user=service_user_for_faults,
        callback_url=url,
    )
    case = register_case()
    callback = OutboundMessage.objects.create(  # left for the sweep, as after a lost job
        channel="http", target=url, case=case, payload={"工单编号": "GD-1", "办理结果": "已调解"}
    )
    worker = _manage("db_worker", "--interval", "0.2", "--no-startup-delay")
    try:
        _enqueue_sweep()
        assert _Receiver.first_arrived.wait(60), "the worker never sent"
        _kill_group(worker)  # mid-job: the POST is out, its answer never read
        callback.refresh_from_db()
        assert callback.status == "sending"
        # The scheduler's next sweep after the stale-claim interval takes it up again.
        OutboundMessage.objects.filter(pk=callback.pk).update(
            claimed_at=timezone.now() - timedelta(minutes=11)
        )
        worker = _manage("db_worker", "--interval", "0.2", "--no-startup-delay")
        _enqueue_sweep()
        _wait(
            lambda: OutboundMessage.objects.get(pk=callback.pk).status == "sent",
            60,
            "the re-run to deliver",
        )
    finally:
        _Receiver.release.set()
        _kill_group(worker)
        receiver.shutdown()
    callback.refresh_from_db()
    assert callback.sent_at is not None
    keys = {r["key"] for r in _Receiver.received}
    assert len(_Receiver.received) == 2
    assert keys == {str(callback.idempotency_key)}  # the receiver can drop the repeat
    assert len({r["body"] for r in _Receiver.received}) == 1
    assert json.loads(_Receiver.received[1]["body"])["工单编号"] == "GD-1"


@pytest.fixture
def service_user_for_faults(make_actor, tree):
    from fengqiao.accounts.roles import Role

    return make_actor(Role.INTAKE_CLERK, tree.township_centre, username="svc_faults")
