"""The deployment files hold together: gunicorn's configuration loads the application, the
systemd units run commands that exist, and the environment example names every variable the
production settings require."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

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
