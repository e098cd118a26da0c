"""Production settings pass ``manage.py check --deploy`` with nothing to warn about, and logs come
out as JSON lines carrying the request id."""

import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

from fengqiao.core.context import RequestContext, current_request
from fengqiao.core.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_ENV = {
    "DJANGO_SETTINGS_MODULE": "fengqiao.settings.prod",
    "DJANGO_SECRET_KEY": "k7$Vq2!xZ9@mR4#tL8^wB1&nC6*pD3(eF0)gH5_jK2+sM7=uN9-yQ4~aT6" * 1,
    "DJANGO_ALLOWED_HOSTS": "tiaojie.xiangyin.gov.cn",
    "DATABASE_URL": "sqlite:////tmp/fengqiao-deploy-check.sqlite3",
    "FENGQIAO_PII_KEYS": "p1:cHJvZC1jaGVjay1vbmx5LXBpaS1rZXktMDEyMzQ1Njc=",
    "FENGQIAO_BLIND_INDEX_KEY": "cHJvZC1jaGVjay1vbmx5LWJsaW5kLWluZGV4LWtleS0=",
    # without a real SMS backend production does not start (issue #17, core.checks)
    "FENGQIAO_SMS_BACKEND": "fengqiao.notifications.sms.HttpGatewayBackend",
    "FENGQIAO_SMS_GATEWAY_URL": "https://sms.xiangyin.gov.cn/send",
}


def test_check_deploy_is_clean():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FENGQIAO_"))}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, **SAMPLE_ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_logs_are_json_lines_with_the_request_id():
    record = logging.makeLogRecord(
        {"name": "fengqiao.test", "levelname": "WARNING", "msg": "导出 %s 行", "args": (3,)}
    )
    record.ledger = "registration"
    token = current_request.set(RequestContext(request_id=uuid.uuid4(), ip_address="10.1.2.3"))
    try:
        line = JsonFormatter().format(record)
    finally:
        current_request.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "导出 3 行"
    assert entry["level"] == "WARNING"
    assert entry["client"] == "10.1.2.3"
    assert entry["ledger"] == "registration"
    assert uuid.UUID(entry["request_id"])
