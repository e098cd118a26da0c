"""The browser suite's harness: Debian's Chromium, the demo database built once per session,
and a real server process per test module on its own copy of it.

Building the demo (migrate, collectstatic, load_demo) is the slow part, so it runs once per
number of demo cases the modules ask for (``DEMO_CASES``); each module then gets a fresh copy
(a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL) and its own server, so no
module sees what another one changed. The server runs as a subprocess: the ledger's triggers
refuse the DELETEs a transactional flush would issue, and a separate process is closer to how
people use it.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
SETTINGS = "fengqiao.settings.dev"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Latin words that are legitimately on a Chinese page: file formats, file-size units and the
# hint of a date pattern. A token with a digit in it (case numbers, tracking codes, ID numbers)
# never counts.
ALLOWED = {
    "PDF",
    "JPEG",
    "PNG",
    "WebP",
    "HEIC",
    "Word",
    "xlsx",
    "docx",
    "KB",
    "MB",
    "YYYY",
    "MM",
    "DD",
}
# A maximal run of Latin letters, digits, hyphens and underscores; one with a digit is a code (a
# case number, a source reference such as GR-hrK7afjX…), not a word.
TOKEN = re.compile(r"[A-Za-z0-9_-]+")
# The page's words as a reader meets them, less the codes the page marks translate="no" (a
# tracking code such as KFYKHYECGE is letters only, and no translator should touch it either).
READ_THE_BODY = """(() => {
  const codes = [...document.querySelectorAll('[translate=no]')];
  const shown = codes.map(e => e.style.display);
  codes.forEach(e => { e.style.display = 'none'; });
  const text = document.body.innerText;
  codes.forEach((e, i) => { e.style.display = shown[i]; });
  return text;
})()"""

# What the person reads besides the body's text: the tab's title, the hints in empty fields, the
# names of buttons that show only an icon.
READ_BESIDES_THE_BODY = """[document.title,
  ...[...document.querySelectorAll('[placeholder]')].map(e => e.placeholder),
  ...[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))
].join('\\n')"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def environment(database_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url, **extra}


def facts(env: dict[str, str], script: str) -> dict[str, str]:
    """What a module needs to know about its demo (ids, codes), printed as JSON by ``script``."""
    return dict(json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1]))


class DemoBuilds:
    """One built demo database per number of cases; fresh copies of it on demand."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.outer = os.environ.get("DATABASE_URL", "")
        self.templates: dict[int, str] = {}
        self.made: list[str] = []  # PostgreSQL databases to drop at the end
        self.static_done = False

    @property
    def postgres(self) -> bool:
        return self.outer.startswith("postgres")

    def _admin(self):
        import psycopg

        return psycopg.connect(self.outer.rsplit("/", 1)[0] + "/postgres", autocommit=True)

    def _new_database(self, label: str, template: str = "template0") -> str:
        if not self.postgres:
            return f"sqlite:///{self.workdir / f'{label}-{uuid.uuid4().hex[:8]}.sqlite3'}"
        name = f"fq_browser_{label}_{uuid.uuid4().hex[:8]}"
        with self._admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {template} ENCODING 'UTF8'")
        self.made.append(name)
        return self.outer.rsplit("/", 1)[0] + "/" + name

    def _template(self, cases: int) -> str:
        if cases not in self.templates:
            url = self._new_database(f"demo{cases}")
            env = environment(url)
            manage(env, "migrate", "--no-input", "-v", "0")
            if not self.static_done:
                manage(env, "collectstatic", "--no-input", "-v", "0")  # hashed names (#16)
                self.static_done = True
            manage(env, "load_demo", "--cases", str(cases))
            self.templates[cases] = url
        return self.templates[cases]

    def fresh_copy(self, cases: int) -> str:
        """A database of its own holding the demo with ``cases`` cases, as load_demo left it."""
        template = self._template(cases)
        if self.postgres:
            return self._new_database(f"copy{cases}", template=template.rsplit("/", 1)[1])
        source = Path(template.removeprefix("sqlite:///"))
        copy = self._new_database(f"copy{cases}")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", copy.removeprefix("sqlite:///") + suffix)
        return copy

    def drop_all(self) -> None:
        if self.postgres and self.made:
            with self._admin() as conn:
                for name in reversed(self.made):
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def running_server(env: dict[str, str], log: Path, bootstrap: str = "") -> Iterator[str]:
    """``runserver`` (or a ``python -c bootstrap`` that ends in it) on a free port; yields the
    base URL. The request log goes to a file: a pipe nobody reads fills after a few hundred
    requests and the server stops answering."""
    port = free_port()
    command = (
        [sys.executable, "-c", bootstrap, f"127.0.0.1:{port}"]
        if bootstrap
        else [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--insecure",
        ]
    )
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo-Fengqiao-2026")
    page.click("button[type=submit]")
    page.wait_for_selector("main h1:has-text('我的待办')")  # the menu may be folded (phone)


def act(page, name: str) -> None:
    """Open the case page's form for workflow action ``name``."""
    page.click(f"details:has(form[data-action={name}]) summary")


def confirm(page, name: str, status: str) -> None:
    """Submit action ``name`` and wait for the case to read ``status``."""
    page.click(f"form[data-action={name}] button[type=submit]")
    page.wait_for_selector(f"#case-status:has-text('{status}')")


def sms_messages(outbox: str, phone: str = "") -> list[dict[str, str]]:
    """What the development SMS backend wrote (``FENGQIAO_SMS_FILE``), one JSON line each; only
    those to ``phone`` when it is given."""
    path = Path(outbox)
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [m for m in lines if not phone or m["phone"] == phone]


def sms_code(outbox: str, phone: str, before: int) -> str:
    """The six-digit code of the first SMS to ``phone`` after the ``before`` it had already had;
    the message is written after the request's commit, so it may come a moment later."""
    deadline = time.monotonic() + 10
    while len(sms_messages(outbox, phone)) <= before and time.monotonic() < deadline:
        time.sleep(0.1)
    messages = sms_messages(outbox, phone)
    assert len(messages) > before, f"no new SMS to {phone} in {outbox}"
    found = re.search(r"\b(\d{6})\b", messages[before]["text"])
    assert found, messages[before]
    return found.group(1)


def english_words(text: str) -> list[str]:
    """The Latin words of a Chinese page that are not codes, numbers or allowed names."""
    words = (
        word
        for token in TOKEN.findall(text)
        if not any(c.isdigit() for c in token)
        for word in re.findall(r"[A-Za-z]+", token)
    )
    return sorted({word for word in words if len(word) > 1 and word not in ALLOWED})
