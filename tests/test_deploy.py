"""The deployment files hold together: gunicorn's configuration loads the application, the
systemd units run commands that exist, and the environment example names every variable the
production settings require, and nginx limits what it should (the API for every worker)."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.management import get_commands

from fengqiao.core.tests.test_production import SAMPLE_ENV as PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_gunicorn_accepts_its_configuration():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fengqiao.settings.test",
        "FENGQIAO_WEB_WORKERS": "3",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--check-config",
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "fengqiao.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_units_run_commands_that_exist():
    commands = get_commands()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/fengqiao/fengqiao.env" in text, unit.name
        for name in re.findall(r"manage\.py (\w+)", text):
            assert name in commands, f"{unit.name}: manage.py {name}"


def test_the_environment_example_names_what_production_requires():
    example = (DEPLOY / "fengqiao.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^(\w+)=", example, re.M))
    prod = (ROOT / "fengqiao" / "settings" / "prod.py").read_text(encoding="utf-8")
    required = set(re.findall(r'env\.\w+\("(\w+)"\)', prod))  # read without a default
    required |= {
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "FENGQIAO_PII_KEYS",
        "FENGQIAO_BLIND_INDEX_KEY",
    }
    assert required <= named, required - named


def _nginx_blocks(text: str) -> dict[str, str]:
    """The body of each ``location`` of the nginx configuration, by its pattern (braces inside
    quoted strings are text)."""
    blocks: dict[str, str] = {}
    for match in re.finditer(r"^\s*location\s+([^{]+)\{", text, re.M):
        depth, quote, end = 1, "", match.end()
        while depth:
            char = text[end]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            else:
                depth += {"{": 1, "}": -1}.get(char, 0)
            end += 1
        blocks[match[1].strip()] = text[match.end() : end - 1]
    return blocks


def test_nginx_limits_the_api_per_credential_and_open311_per_address():
    """Issue #15: the API is limited for every worker at once by nginx, as sign-in and the portal
    are, so the application need not count it in the database."""
    text = (DEPLOY / "nginx" / "fengqiao.conf").read_text(encoding="utf-8")
    zones = re.findall(r"^limit_req_zone\s+(\S+)\s+zone=(\w+):", text, re.M)
    zone_of = {name: key for key, name in zones}
    blocks = _nginx_blocks(text)
    for location, zone, key in (
        ("/api/", "fengqiao_api", "$fengqiao_api_client"),
        ("/open311/", "fengqiao_open311", "$binary_remote_addr"),
        ("/portal/", "fengqiao_portal", "$binary_remote_addr"),
        ("= /accounts/login/", "fengqiao_login", "$binary_remote_addr"),
    ):
        assert f"limit_req zone={zone} " in blocks[location], location
        assert zone_of[zone] == key, zone
    credential = re.search(r"map \$http_authorization \$fengqiao_api_client \{(.*?)\}", text, re.S)
    assert credential is not None
    assert re.search(r'""\s+\$binary_remote_addr;', credential[1])  # no token: the address
    assert re.search(r"default\s+\$http_authorization;", credential[1])
    for location in ("/api/", "/open311/"):
        assert "limit_req_status 429;" in blocks[location]
        assert "error_page 429 = @fengqiao_too_many;" in blocks[location]
    answer = blocks["@fengqiao_too_many"]
    assert "add_header Retry-After 60 always;" in answer
    body = re.search(r"return 429 '(.*)';", answer)
    assert body is not None
    assert json.loads(body[1])["code"] == "rate_limited"  # what core.ratelimit answers


NGINX = shutil.which("nginx")


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    """``nginx -t`` on the shipped files, their absolute paths moved under ``tmp_path`` and a
    throwaway certificate made for the check."""
    proxy = tmp_path / "fengqiao_proxy.conf"
    proxy.write_text((DEPLOY / "nginx" / "fengqiao_proxy.conf").read_text(encoding="utf-8"))
    text = (DEPLOY / "nginx" / "fengqiao.conf").read_text(encoding="utf-8")
    text = text.replace("/etc/nginx/fengqiao_proxy.conf", str(proxy))
    text = text.replace("/etc/ssl/fengqiao/", f"{tmp_path}/")
    assert NGINX is not None
    version = subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=False).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", version)
    if found and tuple(map(int, found.groups())) < (1, 25, 1):
        text = text.replace("http2 on;", "")  # the directive is 1.25.1's; older ones reject it
    (tmp_path / "fengqiao.conf").write_text(text, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"events {{}}\nhttp {{ include {tmp_path}/fengqiao.conf; }}\n", encoding="utf-8"
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tiaojie.example.gov.cn")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    done = subprocess.run(
        [
            *(NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")),
            *("-e", str(tmp_path / "error.log"), "-g", f"pid {tmp_path}/nginx.pid;"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


COUNT_THE_LIMITER = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fengqiao.core import ratelimit

call_command("createcachetable", verbosity=0)
scopes = {scope.name: scope for scope in ratelimit.SCOPES}
for name in ("api", "open311", "login"):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert ratelimit.hit(scopes[name], "token:bench") == 0
    print(name, len(queries))
"""


def test_with_the_production_settings_the_api_limit_costs_no_database_query(tmp_path):
    """Issue #15: the database cache made the limiter 2-3 queries (a write among them) on every
    API request. With the production settings the API and Open311 count in the worker's memory
    (nginx holds the shared limit); sign-in still counts in the shared database cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FENGQIAO_"))}
    env.update(PRODUCTION_ENV, DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "-c", COUNT_THE_LIMITER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    counts = dict(line.split() for line in done.stdout.split("\n") if line)
    assert counts == {"api": "0", "open311": "0", "login": counts["login"]}
    assert int(counts["login"]) >= 10  # the control: a shared count is a database one
